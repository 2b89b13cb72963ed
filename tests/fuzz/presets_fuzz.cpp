// Fuzzes the presets/set codec (mqtt/request_codec.h: parse_request + parse_presets_request).
// Input: 4 bytes of limits (min_mm, span; little-endian 16 bit each), then the request payload.
// Invariants: accepted presets have valid names and heights within the limits, and the same
// presets encoded again parse to the same map; a refusal names "presets", "presets.<name>" or
// the unknown field.
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <variant>

#include "fuzz_check.h"
#include "mqtt/request_codec.h"
#include "mqtt/topics.h"

namespace {

using deskd::fuzz::starts_with;
using Presets = std::map<std::string, int>;

bool names_field(const std::string& e, const boost::json::object& body) {
  if (starts_with(e, "presets: ") || starts_with(e, "presets.")) return true;
  for (const auto& kv : body) {
    if (e == std::string(kv.key()) + ": unknown field") return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const int min_mm = data[0] | (data[1] << 8);
  const int max_mm = min_mm + (data[2] | (data[3] << 8));
  const auto parsed = deskd::mqtt::parse_request(deskd::fuzz::as_text(data + 4, size - 4));
  if (!std::holds_alternative<deskd::mqtt::Request>(parsed)) return 0;  // request_fuzz's part
  const boost::json::object& body = std::get<deskd::mqtt::Request>(parsed).body;
  const auto presets = deskd::mqtt::parse_presets_request(body, min_mm, max_mm);
  if (const auto* e = std::get_if<std::string>(&presets)) {
    FUZZ_CHECK(names_field(*e, body), "unnamed presets error: " + *e);
    return 0;
  }
  const Presets& p = std::get<Presets>(presets);
  boost::json::object again;
  boost::json::object& list = again["presets"].emplace_object();
  for (const auto& [name, mm] : p) {
    FUZZ_CHECK(deskd::mqtt::valid_discovery_id(name), "invalid preset name accepted: " + name);
    FUZZ_CHECK(mm >= min_mm && mm <= max_mm, "height outside the limits: " + name);
    list[name] = mm;
  }
  const auto p2 = deskd::mqtt::parse_presets_request(again, min_mm, max_mm);
  FUZZ_CHECK(std::holds_alternative<Presets>(p2) && std::get<Presets>(p2) == p,
             "presets do not round-trip: " + boost::json::serialize(again));
  return 0;
}
