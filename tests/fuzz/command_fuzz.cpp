// Fuzzes the B/set and B/set/<key> command codec (mqtt/command_codec.h) and the topic matching
// that routes a message to it (mqtt/topics.h).
// Input: byte 0 picks the entry point, the rest is the topic/payload.
// Invariants: an accepted command round-trips (encoded again, it parses to the same command,
// under the same key); a rejected one is named: "<key>: ..." or a whole-payload message; a
// topic matches set_key()/request_op() only if it is the prefix plus a valid key/op.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_check.h"
#include "mqtt/command_codec.h"
#include "mqtt/topics.h"

namespace {

using deskd::fuzz::starts_with;
using namespace deskd::mqtt;

constexpr std::string_view kKeys[] = {"height_mm", "position",         "posture", "preset",
                                      "action",    "schedule_enabled", "comfort"};

// The command's value as JSON and as the plain text of B/set/<key>.
boost::json::value json_value(const Command& c) {
  struct V {
    boost::json::value operator()(const GoToHeight& h) const { return h.mm; }
    boost::json::value operator()(const GoToPosition& p) const { return p.position; }
    boost::json::value operator()(const GoToPosture& p) const {
      return p.posture == deskd::core::Posture::kStanding ? "standing" : "sitting";
    }
    boost::json::value operator()(const GoToPreset& p) const { return boost::json::string(p.name); }
    boost::json::value operator()(const RunAction& a) const {
      return boost::json::string(to_string(a.action));
    }
    boost::json::value operator()(const SetScheduleEnabled& s) const { return s.enabled; }
    boost::json::value operator()(const RecordComfort& r) const { return r.value; }
  };
  return std::visit(V{}, c);
}

std::string plain_value(const Command& c) {
  const boost::json::value v = json_value(c);
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "ON" : "OFF";
  return boost::json::serialize(v);
}

bool names_a_key(std::string_view error) {
  for (std::string_view k : kKeys) {
    if (starts_with(error, std::string(k) + ": ")) return true;
  }
  return false;
}

void check_json(std::string_view payload) {
  const CommandResult r = parse_set_json(payload);
  if (const auto* e = std::get_if<std::string>(&r)) {
    FUZZ_CHECK(names_a_key(*e) || *e == "invalid JSON" || *e == "expected a JSON object" ||
                   starts_with(*e, "expected one command key, got ") ||
                   starts_with(*e, "unknown key '") || starts_with(*e, "unknown action '"),
               "unnamed error: " + *e);
    return;
  }
  const Command& c = std::get<Command>(r);
  boost::json::object o;
  o[command_key(c)] = json_value(c);
  const std::string again = boost::json::serialize(o);
  const CommandResult r2 = parse_set_json(again);
  FUZZ_CHECK(std::holds_alternative<Command>(r2) && std::get<Command>(r2) == c,
             "JSON command does not round-trip: " + again);
  // The same command on B/set/<key> means the same (whitespace around a preset name is trimmed
  // there, so only names without it are compared).
  const std::string plain = plain_value(c);
  if (!plain.empty() && plain.find_first_of(" \t\r\n\v\f") == std::string::npos) {
    const CommandResult r3 = parse_set_plain(command_key(c), plain);
    FUZZ_CHECK(std::holds_alternative<Command>(r3) && std::get<Command>(r3) == c,
               "plain command differs from JSON: " + plain);
  }
}

void check_plain(std::string_view key, std::string_view value) {
  const CommandResult r = parse_set_plain(key, value);
  if (const auto* e = std::get_if<std::string>(&r)) {
    FUZZ_CHECK(starts_with(*e, std::string(key) + ": ") ||
                   starts_with(*e, "unknown key '" + std::string(key) + "'") ||
                   (key == "action" && starts_with(*e, "unknown action '")),
               "error does not name " + std::string(key) + ": " + *e);
    return;
  }
  const Command& c = std::get<Command>(r);
  FUZZ_CHECK(command_key(c) == key, "command key differs from topic key");
  const std::string plain = plain_value(c);
  const CommandResult r2 = parse_set_plain(key, plain);
  FUZZ_CHECK(std::holds_alternative<Command>(r2) && std::get<Command>(r2) == c,
             "plain command does not round-trip: " + plain);
}

void check_topic(std::string_view topic) {
  static const Topics t = make_topics("deskd", "office", "homeassistant");
  if (auto key = t.set_key(topic)) {
    FUZZ_CHECK(std::string(topic) == t.set_prefix + std::string(*key), "set_key of another topic");
    FUZZ_CHECK(valid_topic_level(*key), "set_key accepted an invalid level");
  } else if (starts_with(topic, t.set_prefix)) {
    FUZZ_CHECK(!valid_topic_level(topic.substr(t.set_prefix.size())), "valid set key refused");
  }
  if (auto op = t.request_op(topic)) {
    FUZZ_CHECK(!op->empty() && std::string(topic) == t.request_prefix + std::string(*op),
               "request_op of another topic");
  }
  // A topic name is valid exactly when each of its levels is.
  bool levels_ok = !topic.empty() && topic.size() <= 65535;
  for (std::size_t start = 0; levels_ok;) {
    const std::size_t slash = topic.find('/', start);
    levels_ok = valid_topic_level(topic.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  FUZZ_CHECK(valid_topic_name(topic) == levels_ok, "valid_topic_name disagrees with its levels");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = deskd::fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      check_json(rest);
      break;
    case 1: {  // "<key>\n<value>": the key is either one of the real keys or free text
      const std::size_t nl = rest.find('\n');
      std::string_view key = rest.substr(0, nl);
      const std::string_view value = nl == std::string_view::npos ? "" : rest.substr(nl + 1);
      if (!key.empty() && static_cast<unsigned char>(key[0]) < 6) key = kKeys[key[0] % 6];
      check_plain(key, value);
      break;
    }
    default:
      check_topic(rest);
  }
  return 0;
}
