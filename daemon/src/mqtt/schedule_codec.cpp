#include "mqtt/schedule_codec.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/schedule_fields.h"
#include "mqtt/json_util.h"

namespace deskd::mqtt {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

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

// Sets one table field (core::kScheduleFields) from JSON; false with `error` set on a wrong type.
bool patch_field(const core::ScheduleField& f, const value& v, core::ScheduleSettings& s,
                 std::string& error) {
  const std::string path = core::qualified_key(f) + ": ";
  std::string why;
  switch (f.kind) {
    case core::FieldKind::kBool:
      if (auto b = json_bool(v, &why)) return (*f.flag(s) = *b, true);
      break;
    case core::FieldKind::kInt:
      if (auto i = json_int(v, &why)) return (*f.number(s) = *i, true);
      break;
    case core::FieldKind::kMode:
      if (!v.is_string()) {
        why = "expected a string";
      } else if (auto m = core::schedule_mode_from_string(v.get_string())) {
        return (*f.mode(s) = *m, true);
      } else {
        why = "expected auto, confirm or remind, got '" + std::string(v.get_string()) + "'";
      }
      break;
    case core::FieldKind::kCheckin:
      if (!v.is_string()) {
        why = "expected a string";
      } else if (auto m = core::comfort_checkin_from_string(v.get_string())) {
        return (*f.checkin(s) = *m, true);
      } else {
        why = "expected off, after_stand or daily, got '" + std::string(v.get_string()) + "'";
      }
      break;
  }
  error = path + why;
  return false;
}

bool patch_start_date(const value& v, core::Progression& p, std::string& error) {
  if (v.is_null()) {
    p.start_date.reset();
  } else if (!v.is_string()) {
    error = "progression.start_date: expected a string \"YYYY-MM-DD\" or null";
  } else if (auto d = core::parse_date(v.get_string())) {
    p.start_date = *d;
  } else {
    error = "progression.start_date: invalid date '" + std::string(v.get_string()) + "'";
  }
  return error.empty();
}

// A nested group ("progression", "breaks"): its table fields, and progression's start_date.
bool patch_group(core::FieldGroup group, const value& v, core::ScheduleSettings& s,
                 std::string& error) {
  const std::string name(core::group_name(group));
  if (!v.is_object()) {
    error = name + ": expected an object";
    return false;
  }
  for (const auto& [k, field] : v.get_object()) {
    if (const auto* f = core::find_field(group, k)) {
      if (!patch_field(*f, field, s, error)) return false;
    } else if (group == core::FieldGroup::kProgression && k == "start_date") {
      if (!patch_start_date(field, s.progression, error)) return false;
    } else {
      error = name + "." + std::string(k) + ": unknown field";
      return false;
    }
  }
  return true;
}

// The table fields of `group` as JSON members, in the table's order.
void put_fields(core::FieldGroup group, const core::ScheduleSettings& s, object& o) {
  for (const auto& f : core::kScheduleFields) {
    if (f.group != group) continue;
    switch (f.kind) {
      case core::FieldKind::kBool:
        o[f.key] = core::bool_value(f, s);
        break;
      case core::FieldKind::kInt:
        o[f.key] = core::int_value(f, s);
        break;
      case core::FieldKind::kMode:
        o[f.key] = core::to_string(core::mode_value(f, s));
        break;
      case core::FieldKind::kCheckin:
        o[f.key] = core::to_string(core::checkin_value(f, s));
        break;
    }
  }
}

}  // namespace

boost::json::object schedule_to_json(const core::ScheduleSettings& s) {
  object o;
  put_fields(core::FieldGroup::kTop, s, o);
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
  object progression;
  put_fields(core::FieldGroup::kProgression, s, progression);
  const auto& start = s.progression.start_date;
  progression["start_date"] = start ? value(core::format_date(*start)) : value(nullptr);
  o["progression"] = std::move(progression);
  object breaks;
  put_fields(core::FieldGroup::kBreaks, s, breaks);
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
  for (const auto& [k, v] : patch) {
    bool ok = true;
    if (k == "transaction") continue;
    if (const auto* f = core::find_field(core::FieldGroup::kTop, k)) {
      ok = patch_field(*f, v, s, error);
    } else if (k == "windows") {
      ok = patch_windows(v, s, error);
    } else if (k == "skip_dates") {
      ok = patch_skip_dates(v, s, error);
    } else if (k == "progression") {
      ok = patch_group(core::FieldGroup::kProgression, v, s, error);
    } else if (k == "breaks") {
      ok = patch_group(core::FieldGroup::kBreaks, v, s, error);
    } else {
      error = std::string(k) + ": unknown field";
      ok = false;
    }
    if (!ok) return error;
  }
  if (auto invalid = core::validate(s)) return *invalid;
  return s;
}

}  // namespace deskd::mqtt
