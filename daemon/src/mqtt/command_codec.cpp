#include "mqtt/command_codec.h"

#include <array>
#include <boost/json/value.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

#include "core/comfort.h"
#include "mqtt/json_util.h"

namespace deskd::mqtt {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 11> kActions{{
    {Action::kStop, "stop"},
    {Action::kClearFault, "clear_fault"},
    {Action::kCalibrate, "calibrate"},
    {Action::kConfirm, "confirm"},
    {Action::kSnooze, "snooze"},
    {Action::kSkip, "skip"},
    {Action::kPauseToday, "pause_today"},
    {Action::kResume, "resume"},
    {Action::kNudge, "nudge"},
    {Action::kWalked, "walked"},
    {Action::kNotWalked, "not_walked"},
}};

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

CommandResult height(int mm) { return Command{GoToHeight{mm}}; }

CommandResult position(int p) {
  if (p < 0 || p > 100) return std::string("position: must be 0..100");
  return Command{GoToPosition{p}};
}

CommandResult posture(std::string_view s) {
  if (s == "sitting") return Command{GoToPosture{core::Posture::kSitting}};
  if (s == "standing") return Command{GoToPosture{core::Posture::kStanding}};
  return "posture: expected 'sitting' or 'standing', got " + quoted(s);
}

CommandResult preset(std::string_view s) {
  if (s.empty()) return std::string("preset: must not be empty");
  return Command{GoToPreset{std::string(s)}};
}

CommandResult comfort(int value) {
  if (auto why = core::comfort_error(value)) return *why;
  return Command{RecordComfort{value}};
}

CommandResult action(std::string_view s) {
  if (auto a = action_from_string(s)) return Command{RunAction{*a}};
  return "unknown action " + quoted(s);
}

// A plain-text integer; integral decimals ("1100.0") are accepted.
std::optional<int> plain_int(std::string_view s) {
  int i = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ec == std::errc() && end == s.data() + s.size()) return i;
  double d = 0;
  auto [dend, dec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (dec == std::errc() && dend == s.data() + s.size() && std::isfinite(d) && d == std::floor(d) &&
      d >= -1e9 && d <= 1e9) {
    return static_cast<int>(d);
  }
  return std::nullopt;
}

std::optional<bool> plain_bool(std::string_view s) {
  const std::string l = lower(s);
  if (l == "on" || l == "true" || l == "1") return true;
  if (l == "off" || l == "false" || l == "0") return false;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Action a) {
  for (const auto& [value, name] : kActions) {
    if (value == a) return name;
  }
  return "?";
}

std::optional<Action> action_from_string(std::string_view s) {
  for (const auto& [value, name] : kActions) {
    if (name == s) return value;
  }
  return std::nullopt;
}

CommandResult parse_set_json(std::string_view payload) {
  std::string error;
  auto obj = parse_json_object(payload, &error);
  if (!obj) return error;
  if (obj->empty()) return std::string("expected one command key, got none");
  if (obj->size() > 1) {
    std::string keys;
    for (const auto& kv : *obj) keys += (keys.empty() ? "" : ", ") + quoted(kv.key());
    return "expected one command key, got " + keys;
  }
  const auto& [key, value] = *obj->begin();
  const std::string k(key);
  if (k == "height_mm") {
    auto mm = json_int(value, &error);
    if (!mm) return k + ": " + error;
    return height(*mm);
  }
  if (k == "position") {
    auto p = json_int(value, &error);
    if (!p) return k + ": " + error;
    return position(*p);
  }
  if (k == "comfort") {
    auto n = json_int(value, &error);
    if (!n) return k + ": expected an integer from 1 to 5";
    return comfort(*n);
  }
  if (k == "posture" || k == "preset" || k == "action") {
    auto s = json_string(value, &error);
    if (!s) return k + ": " + error;
    if (k == "posture") return posture(*s);
    if (k == "preset") return preset(*s);
    return action(*s);
  }
  if (k == "schedule_enabled") {
    auto b = json_bool(value, &error);
    if (!b) return k + ": " + error;
    return Command{SetScheduleEnabled{*b}};
  }
  return "unknown key " + quoted(k);
}

CommandResult parse_set_plain(std::string_view key, std::string_view raw) {
  const std::string_view value = trim(raw);
  const std::string k(key);
  if (k == "height_mm" || k == "position" || k == "comfort") {
    auto i = plain_int(value);
    if (!i) return k + ": expected an integer, got " + quoted(value);
    if (k == "comfort") return comfort(*i);
    return k == "height_mm" ? height(*i) : position(*i);
  }
  if (k == "posture") return posture(value);
  if (k == "preset") return preset(value);
  if (k == "action") return action(value);
  if (k == "schedule_enabled") {
    auto b = plain_bool(value);
    if (!b) return k + ": expected ON or OFF, got " + quoted(value);
    return Command{SetScheduleEnabled{*b}};
  }
  return "unknown key " + quoted(k);
}

std::string_view command_key(const Command& c) {
  struct Visitor {
    std::string_view operator()(const GoToHeight&) const { return "height_mm"; }
    std::string_view operator()(const GoToPosition&) const { return "position"; }
    std::string_view operator()(const GoToPosture&) const { return "posture"; }
    std::string_view operator()(const GoToPreset&) const { return "preset"; }
    std::string_view operator()(const RunAction&) const { return "action"; }
    std::string_view operator()(const SetScheduleEnabled&) const { return "schedule_enabled"; }
    std::string_view operator()(const RecordComfort&) const { return "comfort"; }
  };
  return std::visit(Visitor{}, c);
}

}  // namespace deskd::mqtt
