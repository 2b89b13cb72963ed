#include "mqtt/schedule_codec.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "mqtt/json_util.h"

namespace deskd::mqtt {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

// Reads typed fields; on failure keeps the message, prefixed with the field's path, in `error`.
class Patcher {
 public:
  explicit Patcher(std::string prefix) : prefix_(std::move(prefix)) {}

  std::string error;

  bool int_field(const std::string& key, const value& v, int& out) {
    std::string why;
    auto i = json_int(v, &why);
    if (!i) return fail(key, why);
    out = *i;
    return true;
  }
  bool bool_field(const std::string& key, const value& v, bool& out) {
    std::string why;
    auto b = json_bool(v, &why);
    if (!b) return fail(key, why);
    out = *b;
    return true;
  }
  bool fail(const std::string& key, const std::string& why) {
    error = prefix_ + key + ": " + why;
    return false;
  }

 private:
  std::string prefix_;
};

bool patch_windows(const value& v, core::ScheduleSettings& s, std::string& error) {
  if (!v.is_object()) {
    error = "windows: expected an object of weekdays";
    return false;
  }
  for (const auto& [key, day_value] : v.get_object()) {
    std::size_t day = core::kWeekdayKeys.size();
    for (std::size_t i = 0; i < core::kWeekdayKeys.size(); ++i) {
      if (core::kWeekdayKeys[i] == key) day = i;
    }
    const std::string path = "windows." + std::string(key);
    if (day == core::kWeekdayKeys.size()) {
      error = path + ": unknown field (expected mon..sun)";
      return false;
    }
    if (!day_value.is_array()) {
      error = path + ": expected an array of \"HH:MM-HH:MM\"";
      return false;
    }
    std::vector<core::TimeWindow> windows;
    const array& items = day_value.get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!items[i].is_string()) {
        error = item_path + ": expected a string \"HH:MM-HH:MM\"";
        return false;
      }
      const std::string_view text = items[i].get_string();
      auto w = core::parse_window(text);
      if (!w) {
        error = item_path + ": malformed window '" + std::string(text) + "'";
        return false;
      }
      windows.push_back(*w);
    }
    s.windows[day] = std::move(windows);
  }
  return true;
}

bool patch_skip_dates(const value& v, core::ScheduleSettings& s, std::string& error) {
  if (!v.is_array()) {
    error = "skip_dates: expected an array of \"YYYY-MM-DD\"";
    return false;
  }
  std::vector<core::CivilDate> dates;
  const array& items = v.get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = "skip_dates[" + std::to_string(i) + "]";
    if (!items[i].is_string()) {
      error = path + ": expected a string \"YYYY-MM-DD\"";
      return false;
    }
    auto d = core::parse_date(items[i].get_string());
    if (!d) {
      error = path + ": invalid date '" + std::string(items[i].get_string()) + "'";
      return false;
    }
    dates.push_back(*d);
  }
  s.skip_dates = std::move(dates);
  return true;
}

bool patch_progression(const value& v, core::Progression& p, std::string& error) {
  if (!v.is_object()) {
    error = "progression: expected an object";
    return false;
  }
  Patcher f("progression.");
  for (const auto& [k, field] : v.get_object()) {
    const std::string key(k);
    bool ok = true;
    if (key == "enabled") {
      ok = f.bool_field(key, field, p.enabled);
    } else if (key == "start_minutes") {
      ok = f.int_field(key, field, p.start_minutes);
    } else if (key == "step_minutes") {
      ok = f.int_field(key, field, p.step_minutes);
    } else if (key == "period_days") {
      ok = f.int_field(key, field, p.period_days);
    } else if (key == "target_minutes") {
      ok = f.int_field(key, field, p.target_minutes);
    } else if (key == "start_date") {
      if (field.is_null()) {
        p.start_date.reset();
      } else if (!field.is_string()) {
        ok = f.fail(key, "expected a string \"YYYY-MM-DD\" or null");
      } else if (auto d = core::parse_date(field.get_string())) {
        p.start_date = *d;
      } else {
        ok = f.fail(key, "invalid date '" + std::string(field.get_string()) + "'");
      }
    } else {
      ok = f.fail(key, "unknown field");
    }
    if (!ok) {
      error = f.error;
      return false;
    }
  }
  return true;
}

bool patch_breaks(const value& v, core::MovementBreaks& b, std::string& error) {
  if (!v.is_object()) {
    error = "breaks: expected an object";
    return false;
  }
  Patcher f("breaks.");
  for (const auto& [k, field] : v.get_object()) {
    const std::string key(k);
    bool ok = true;
    if (key == "enabled") {
      ok = f.bool_field(key, field, b.enabled);
    } else if (key == "every_minutes") {
      ok = f.int_field(key, field, b.every_minutes);
    } else if (key == "duration_minutes") {
      ok = f.int_field(key, field, b.duration_minutes);
    } else {
      ok = f.fail(key, "unknown field");
    }
    if (!ok) {
      error = f.error;
      return false;
    }
  }
  return true;
}

}  // namespace

boost::json::object schedule_to_json(const core::ScheduleSettings& s) {
  object o;
  o["enabled"] = s.enabled;
  o["mode"] = core::to_string(s.mode);
  o["sit_minutes"] = s.sit_minutes;
  o["stand_minutes"] = s.stand_minutes;
  o["warn_seconds"] = s.warn_seconds;
  o["snooze_minutes"] = s.snooze_minutes;
  o["nudge"] = s.nudge;
  o["max_auto_moves_per_day"] = s.max_auto_moves_per_day;
  o["require_time_sync"] = s.require_time_sync;
  object windows;
  for (std::size_t day = 0; day < core::kWeekdayKeys.size(); ++day) {
    array list;
    for (const auto& w : s.windows[day]) list.emplace_back(core::format_window(w));
    windows[core::kWeekdayKeys[day]] = std::move(list);
  }
  o["windows"] = std::move(windows);
  array skip;
  for (const auto& d : s.skip_dates) skip.emplace_back(core::format_date(d));
  o["skip_dates"] = std::move(skip);
  const auto& p = s.progression;
  object progression;
  progression["enabled"] = p.enabled;
  progression["start_minutes"] = p.start_minutes;
  progression["step_minutes"] = p.step_minutes;
  progression["period_days"] = p.period_days;
  progression["target_minutes"] = p.target_minutes;
  if (p.start_date) {
    progression["start_date"] = core::format_date(*p.start_date);
  } else {
    progression["start_date"] = nullptr;
  }
  o["progression"] = std::move(progression);
  object breaks;
  breaks["enabled"] = s.breaks.enabled;
  breaks["every_minutes"] = s.breaks.every_minutes;
  breaks["duration_minutes"] = s.breaks.duration_minutes;
  o["breaks"] = std::move(breaks);
  return o;
}

std::string encode_schedule(const core::ScheduleSettings& s) {
  return boost::json::serialize(schedule_to_json(s));
}

std::variant<core::ScheduleSettings, std::string> apply_schedule_patch(
    const core::ScheduleSettings& current, const boost::json::object& patch) {
  core::ScheduleSettings s = current;
  std::string error;
  Patcher f("");
  for (const auto& [k, v] : patch) {
    const std::string key(k);
    bool ok = true;
    if (key == "transaction") {
      continue;
    } else if (key == "enabled") {
      ok = f.bool_field(key, v, s.enabled);
    } else if (key == "mode") {
      if (!v.is_string()) {
        ok = f.fail(key, "expected a string");
      } else if (auto m = core::schedule_mode_from_string(v.get_string())) {
        s.mode = *m;
      } else {
        ok = f.fail(key,
                    "expected auto, confirm or remind, got '" + std::string(v.get_string()) + "'");
      }
    } else if (key == "sit_minutes") {
      ok = f.int_field(key, v, s.sit_minutes);
    } else if (key == "stand_minutes") {
      ok = f.int_field(key, v, s.stand_minutes);
    } else if (key == "warn_seconds") {
      ok = f.int_field(key, v, s.warn_seconds);
    } else if (key == "snooze_minutes") {
      ok = f.int_field(key, v, s.snooze_minutes);
    } else if (key == "nudge") {
      ok = f.bool_field(key, v, s.nudge);
    } else if (key == "max_auto_moves_per_day") {
      ok = f.int_field(key, v, s.max_auto_moves_per_day);
    } else if (key == "require_time_sync") {
      ok = f.bool_field(key, v, s.require_time_sync);
    } else if (key == "windows") {
      if (!patch_windows(v, s, error)) return error;
    } else if (key == "skip_dates") {
      if (!patch_skip_dates(v, s, error)) return error;
    } else if (key == "progression") {
      if (!patch_progression(v, s.progression, error)) return error;
    } else if (key == "breaks") {
      if (!patch_breaks(v, s.breaks, error)) return error;
    } else {
      ok = f.fail(key, "unknown field");
    }
    if (!ok) return f.error;
  }
  if (auto invalid = core::validate(s)) return *invalid;
  return s;
}

}  // namespace deskd::mqtt
