// Fuzzes the B/request/<op> envelope (mqtt/request_codec.h: parse_request, the responses) and
// the stats/get body.
// Invariants: an accepted request's transaction is echoed exactly in both responses and the
// responses are JSON objects with the contract's status; a rejected envelope gets one of the
// three named messages; stats/get accepts only 1..max days and names "days" (or the unknown
// field) when it refuses.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "fuzz_check.h"
#include "mqtt/request_codec.h"

namespace {

using deskd::fuzz::starts_with;
namespace json = boost::json;

void check_response(const std::string& text, std::string_view status,
                    const std::optional<json::value>& transaction) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  FUZZ_CHECK(!ec && v.is_object(), "response is not a JSON object: " + text);
  const json::object& o = v.get_object();
  FUZZ_CHECK(o.contains("status") && o.at("status") == json::string(status), "status: " + text);
  if (transaction) {
    // Boost.JSON 1.81 parses some doubles with huge exponents one ulp off (1.5e200 comes back
    // as 1.5000000000000001E200: its parser is not correctly rounded), so the echo is compared
    // with the transaction as Boost itself reads it back.
    const json::value expected = json::parse(json::serialize(*transaction));
    FUZZ_CHECK(o.contains("transaction") && o.at("transaction") == expected,
               "transaction not echoed: " + text);
  } else {
    FUZZ_CHECK(!o.contains("transaction"), "transaction invented: " + text);
  }
}

void check_stats_body(const json::object& body) {
  constexpr int kDefault = 7;
  constexpr int kMax = 400;
  const auto days = deskd::mqtt::parse_count_request(body, "days", kDefault, kMax);
  if (const auto* e = std::get_if<std::string>(&days)) {
    bool named = starts_with(*e, "days: ");
    for (const auto& kv : body) named = named || *e == std::string(kv.key()) + ": unknown field";
    FUZZ_CHECK(named, "unnamed stats/get error: " + *e);
    return;
  }
  const int n = std::get<int>(days);
  FUZZ_CHECK(n >= 1 && n <= kMax, "days out of range: " + std::to_string(n));
  FUZZ_CHECK(body.contains("days") || n == kDefault, "default days not used");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = deskd::mqtt::parse_request(deskd::fuzz::as_text(data, size));
  if (const auto* e = std::get_if<std::string>(&parsed)) {
    FUZZ_CHECK(*e == "invalid JSON" || *e == "expected a JSON object" ||
                   *e == "transaction: expected a string or a number",
               "unnamed request error: " + *e);
    return 0;
  }
  const auto& request = std::get<deskd::mqtt::Request>(parsed);
  FUZZ_CHECK(!request.body.contains("transaction"), "transaction left in the body");
  if (request.transaction) {
    FUZZ_CHECK(request.transaction->is_string() || request.transaction->is_number(),
               "transaction of another type");
  }
  // The daemon answers with data it built itself; what it echoes from the request is the
  // transaction.
  check_response(
      deskd::mqtt::encode_response_ok(boost::json::object{{"days", 7}}, request.transaction), "ok",
      request.transaction);
  check_response(deskd::mqtt::encode_response_error("bad request", request.transaction), "error",
                 request.transaction);
  check_stats_body(request.body);
  return 0;
}
