#include "config/schedule_toml.h"

#include <cstddef>
#include <limits>

#include "config/toml_text.h"

namespace deskd::config {
namespace {

// Explains why `text` is not a window: reversed, empty or malformed.
std::string window_problem(const std::string& text) {
  if (text.size() == 11 && text[5] == '-') {
    const std::string start = text.substr(0, 5);
    const std::string end = text.substr(6, 5);
    if (start == end && core::parse_window(start + "-24:00")) {
      return toml_quote(text) + " is an empty window";
    }
    if (core::parse_window(end + "-" + start)) {
      return toml_quote(text) + " is reversed (the start must come before the end)";
    }
  }
  return toml_quote(text) + " is not a window \"HH:MM-HH:MM\" (00:00 to 24:00)";
}

std::vector<core::TimeWindow> read_windows(TableReader& t, std::string_view key) {
  auto items = t.string_array(key);
  std::vector<core::TimeWindow> out;
  if (!items) return out;
  for (const auto& item : *items) {
    auto w = core::parse_window(item.text);
    if (!w) t.fail_at(item.where, t.qualified(key) + ": " + window_problem(item.text));
    out.push_back(*w);
  }
  return out;
}

std::vector<std::string> read_strings(TableReader& t, std::string_view key,
                                      std::vector<std::string> fallback) {
  auto items = t.string_array(key);
  if (!items) return fallback;
  std::vector<std::string> out;
  for (auto& item : *items) {
    if (item.text.empty()) t.fail_at(item.where, t.qualified(key) + ": empty string");
    out.push_back(item.text);
  }
  return out;
}

// core::validate() names the field first ("sit_minutes: ...", "progression.step_minutes: ...");
// find that key's position, else the table's.
SourcePosition position_for(TableReader& schedule, TableReader& progression, TableReader& breaks,
                            const std::string& message) {
  const std::string field = message.substr(0, message.find(':'));
  const auto dot = field.find('.');
  if (dot == std::string::npos) return schedule.position_of(field);
  const std::string table = field.substr(0, dot);
  const std::string key = field.substr(dot + 1);
  if (table == "progression") return progression.position_of(key);
  if (table == "breaks") return breaks.position_of(key);
  return schedule.position();
}

}  // namespace

core::ScheduleSettings read_schedule(TableReader& t, core::ScheduleSettings s) {
  if (auto v = t.boolean("enabled")) s.enabled = *v;
  if (auto v = t.choice("mode", {"auto", "confirm", "remind"})) {
    s.mode = *core::schedule_mode_from_string(*v);
  }
  // Ranges are checked by core::validate() below, so the messages match schedule/set's.
  constexpr std::int64_t kAny = std::numeric_limits<int>::max();
  if (auto v = t.integer("sit_minutes", -kAny, kAny)) s.sit_minutes = *v;
  if (auto v = t.integer("stand_minutes", -kAny, kAny)) s.stand_minutes = *v;
  if (auto v = t.integer("warn_seconds", -kAny, kAny)) s.warn_seconds = *v;
  if (auto v = t.integer("snooze_minutes", -kAny, kAny)) s.snooze_minutes = *v;
  if (auto v = t.boolean("nudge")) s.nudge = *v;
  if (auto v = t.integer("max_auto_moves_per_day", -kAny, kAny)) s.max_auto_moves_per_day = *v;
  if (auto v = t.boolean("require_time_sync")) s.require_time_sync = *v;
  for (std::size_t day = 0; day < core::kWeekdayKeys.size(); ++day) {
    if (t.has(core::kWeekdayKeys[day])) s.windows[day] = read_windows(t, core::kWeekdayKeys[day]);
  }
  if (auto v = t.date_array("skip_dates")) s.skip_dates = *v;
  if (auto v = t.string("presence_topic")) s.presence_topic = *v;
  s.presence_on = read_strings(t, "presence_on", s.presence_on);
  s.presence_off = read_strings(t, "presence_off", s.presence_off);

  TableReader p = t.table("progression");
  if (auto v = p.boolean("enabled")) s.progression.enabled = *v;
  if (auto v = p.integer("start_minutes", -kAny, kAny)) s.progression.start_minutes = *v;
  if (auto v = p.integer("step_minutes", -kAny, kAny)) s.progression.step_minutes = *v;
  if (auto v = p.integer("period_days", -kAny, kAny)) s.progression.period_days = *v;
  if (auto v = p.integer("target_minutes", -kAny, kAny)) s.progression.target_minutes = *v;
  if (auto v = p.date("start_date")) s.progression.start_date = *v;
  p.finish();

  TableReader b = t.table("breaks");
  if (auto v = b.boolean("enabled")) s.breaks.enabled = *v;
  if (auto v = b.integer("every_minutes", -kAny, kAny)) s.breaks.every_minutes = *v;
  if (auto v = b.integer("duration_minutes", -kAny, kAny)) s.breaks.duration_minutes = *v;
  b.finish();
  t.finish();

  if (auto e = core::validate(s)) {
    const std::string prefix = t.path().empty() ? "" : t.path() + ".";
    t.fail_at(position_for(t, p, b, *e), prefix + *e);
  }
  return s;
}

std::string schedule_to_toml(const core::ScheduleSettings& s, std::string_view table) {
  const std::string name(table);
  auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  auto i = [](int v) { return std::to_string(v); };
  std::string out = "[" + name + "]\n";
  out += "enabled = " + b(s.enabled) + "\n";
  out += "mode = " + toml_quote(core::to_string(s.mode)) + "\n";
  out += "sit_minutes = " + i(s.sit_minutes) + "\n";
  out += "stand_minutes = " + i(s.stand_minutes) + "\n";
  out += "warn_seconds = " + i(s.warn_seconds) + "\n";
  out += "snooze_minutes = " + i(s.snooze_minutes) + "\n";
  out += "nudge = " + b(s.nudge) + "\n";
  out += "max_auto_moves_per_day = " + i(s.max_auto_moves_per_day) + "\n";
  out += "require_time_sync = " + b(s.require_time_sync) + "\n";
  for (std::size_t day = 0; day < core::kWeekdayKeys.size(); ++day) {
    std::vector<std::string> windows;
    for (const auto& w : s.windows[day]) windows.push_back(core::format_window(w));
    out += std::string(core::kWeekdayKeys[day]) + " = " + toml_string_array(windows) + "\n";
  }
  std::vector<std::string> dates;
  for (const auto& d : s.skip_dates) dates.push_back(core::format_date(d));
  out += "skip_dates = " + toml_string_array(dates) + "\n";
  out += "presence_topic = " + toml_quote(s.presence_topic) + "\n";
  out += "presence_on = " + toml_string_array(s.presence_on) + "\n";
  out += "presence_off = " + toml_string_array(s.presence_off) + "\n";

  const auto& p = s.progression;
  out += "\n[" + name + ".progression]\n";
  out += "enabled = " + b(p.enabled) + "\n";
  out += "start_minutes = " + i(p.start_minutes) + "\n";
  out += "step_minutes = " + i(p.step_minutes) + "\n";
  out += "period_days = " + i(p.period_days) + "\n";
  out += "target_minutes = " + i(p.target_minutes) + "\n";
  if (p.start_date) {
    out += "start_date = " + toml_quote(core::format_date(*p.start_date)) + "\n";
  } else {
    out += "# start_date: unset (the first day deskd runs with progression on)\n";
  }

  const auto& br = s.breaks;
  out += "\n[" + name + ".breaks]\n";
  out += "enabled = " + b(br.enabled) + "\n";
  out += "every_minutes = " + i(br.every_minutes) + "\n";
  out += "duration_minutes = " + i(br.duration_minutes) + "\n";
  return out;
}

}  // namespace deskd::config
