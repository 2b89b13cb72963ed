#include "config/schedule_toml.h"

#include <cstddef>
#include <limits>

#include "config/toml_text.h"
#include "core/schedule_fields.h"

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

// The table fields of `group` (core::kScheduleFields). Ranges are checked by core::validate()
// afterwards, so the messages match schedule/set's.
void read_fields(TableReader& t, core::FieldGroup group, core::ScheduleSettings& s) {
  constexpr std::int64_t kAny = std::numeric_limits<int>::max();
  for (const auto& f : core::kScheduleFields) {
    if (f.group != group) continue;
    switch (f.kind) {
      case core::FieldKind::kBool:
        if (auto v = t.boolean(f.key)) *f.flag(s) = *v;
        break;
      case core::FieldKind::kInt:
        if (auto v = t.integer(f.key, -kAny, kAny)) *f.number(s) = *v;
        break;
      case core::FieldKind::kMode:
        if (auto v = t.choice(f.key, {"auto", "confirm", "remind"})) {
          *f.mode(s) = *core::schedule_mode_from_string(*v);
        }
        break;
      case core::FieldKind::kCheckin:
        if (auto v = t.choice(f.key, {"off", "after_stand", "daily"})) {
          *f.checkin(s) = *core::comfort_checkin_from_string(*v);
        }
        break;
    }
  }
}

// The table fields of `group` as TOML lines, in the table's order.
std::string fields_to_toml(core::FieldGroup group, const core::ScheduleSettings& s) {
  std::string out;
  for (const auto& f : core::kScheduleFields) {
    if (f.group != group) continue;
    out += std::string(f.key) + " = ";
    switch (f.kind) {
      case core::FieldKind::kBool:
        out += core::bool_value(f, s) ? "true" : "false";
        break;
      case core::FieldKind::kInt:
        out += std::to_string(core::int_value(f, s));
        break;
      case core::FieldKind::kMode:
        out += toml_quote(core::to_string(core::mode_value(f, s)));
        break;
      case core::FieldKind::kCheckin:
        out += toml_quote(core::to_string(core::checkin_value(f, s)));
        break;
    }
    out += "\n";
  }
  return out;
}

}  // namespace

core::ScheduleSettings read_schedule(TableReader& t, core::ScheduleSettings s) {
  read_fields(t, core::FieldGroup::kTop, s);
  for (std::size_t day = 0; day < core::kWeekdayKeys.size(); ++day) {
    if (t.has(core::kWeekdayKeys[day])) s.windows[day] = read_windows(t, core::kWeekdayKeys[day]);
  }
  if (auto v = t.date_array("skip_dates")) s.skip_dates = *v;
  if (auto v = t.string("presence_topic")) s.presence_topic = *v;
  if (auto v = t.string("busy_topic")) s.busy_topic = *v;
  if (auto v = t.string("activity_topic")) s.activity_topic = *v;
  s.presence_on = read_strings(t, "presence_on", s.presence_on);
  s.presence_off = read_strings(t, "presence_off", s.presence_off);

  TableReader p = t.table("progression");
  read_fields(p, core::FieldGroup::kProgression, s);
  if (auto v = p.date("start_date")) s.progression.start_date = *v;
  p.finish();

  TableReader b = t.table("breaks");
  read_fields(b, core::FieldGroup::kBreaks, s);
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
  std::string out = "[" + name + "]\n" + fields_to_toml(core::FieldGroup::kTop, s);
  for (std::size_t day = 0; day < core::kWeekdayKeys.size(); ++day) {
    std::vector<std::string> windows;
    for (const auto& w : s.windows[day]) windows.push_back(core::format_window(w));
    out += std::string(core::kWeekdayKeys[day]) + " = " + toml_string_array(windows) + "\n";
  }
  std::vector<std::string> dates;
  for (const auto& d : s.skip_dates) dates.push_back(core::format_date(d));
  out += "skip_dates = " + toml_string_array(dates) + "\n";
  out += "presence_topic = " + toml_quote(s.presence_topic) + "\n";
  out += "busy_topic = " + toml_quote(s.busy_topic) + "\n";
  out += "activity_topic = " + toml_quote(s.activity_topic) + "\n";
  out += "presence_on = " + toml_string_array(s.presence_on) + "\n";
  out += "presence_off = " + toml_string_array(s.presence_off) + "\n";

  out += "\n[" + name + ".progression]\n" + fields_to_toml(core::FieldGroup::kProgression, s);
  if (const auto& start = s.progression.start_date) {
    out += "start_date = " + toml_quote(core::format_date(*start)) + "\n";
  } else {
    out += "# start_date: unset (the first day deskd runs with progression on)\n";
  }
  out += "\n[" + name + ".breaks]\n" + fields_to_toml(core::FieldGroup::kBreaks, s);
  return out;
}

}  // namespace deskd::config
