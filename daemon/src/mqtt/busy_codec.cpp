#include "mqtt/busy_codec.h"

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "mqtt/presence_codec.h"

namespace deskd::mqtt {
namespace {

std::optional<bool> json_busy(std::string_view payload) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* b = o.if_contains("busy");
  if (o.size() != 1 || !b || !b->is_bool()) return std::nullopt;
  return b->as_bool();
}

}  // namespace

std::optional<bool> parse_busy(std::string_view payload) {
  static const std::vector<std::string> kBusy{"on", "true", "busy"};
  static const std::vector<std::string> kFree{"off", "false", "free"};
  const std::string_view p = trimmed_payload(payload);
  if (auto word = parse_presence(p, kBusy, kFree)) return word;
  if (!p.empty() && p.front() == '{') return json_busy(p);
  return std::nullopt;
}

}  // namespace deskd::mqtt
