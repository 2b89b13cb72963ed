#include "mqtt/activity_codec.h"

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "mqtt/presence_codec.h"

namespace deskd::mqtt {
namespace {

constexpr std::int64_t kMaxIdleSeconds = 7 * 24 * 3600;

core::ActivityChanged idle_for(std::int64_t seconds) {
  if (seconds == 0) return {core::Activity::kActive};
  return {core::Activity::kIdle, std::chrono::seconds(seconds)};
}

std::optional<core::ActivityChanged> json_activity(std::string_view payload) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* idle = o.if_contains("idle_seconds");
  const auto* locked = o.if_contains("locked");
  if (o.size() != static_cast<std::size_t>((idle ? 1 : 0) + (locked ? 1 : 0))) return std::nullopt;
  if (!idle && !locked) return std::nullopt;
  if (locked && !locked->is_bool()) return std::nullopt;
  if (idle && !(idle->is_int64() && idle->as_int64() >= 0 && idle->as_int64() <= kMaxIdleSeconds)) {
    return std::nullopt;
  }
  if (locked && locked->as_bool()) return core::ActivityChanged{core::Activity::kLocked};
  return idle ? idle_for(idle->as_int64()) : core::ActivityChanged{core::Activity::kActive};
}

}  // namespace

std::optional<core::ActivityChanged> parse_activity(std::string_view payload) {
  static const std::vector<std::string> kActive{"active", "on", "true", "unlocked"};
  static const std::vector<std::string> kIdle{"idle", "off", "false"};
  static const std::vector<std::string> kLocked{"locked"};
  static const std::vector<std::string> kNone;
  const std::string_view p = trimmed_payload(payload);
  if (parse_presence(p, kLocked, kNone)) return core::ActivityChanged{core::Activity::kLocked};
  if (auto word = parse_presence(p, kActive, kIdle)) {
    return core::ActivityChanged{*word ? core::Activity::kActive : core::Activity::kIdle};
  }
  if (!p.empty() && p.front() == '{') return json_activity(p);
  return std::nullopt;
}

}  // namespace deskd::mqtt
