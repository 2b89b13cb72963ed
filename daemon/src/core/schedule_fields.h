#pragma once

#include <array>
#include <string_view>

#include "core/schedule_settings.h"

namespace deskd::core {

// The schedule's scalar fields in one table: where each lives, its name and its range, in the
// order every codec writes them. validate(), the TOML reader and writer (config/schedule_toml)
// and the JSON codec (mqtt/schedule_codec) walk it; the structured values (the weekday windows,
// skip_dates, progression.start_date, the presence topic and words) each codec spells out.
enum class FieldGroup {
  kTop,          // [schedule] / the top-level object
  kProgression,  // [schedule.progression] / "progression"
  kBreaks,       // [schedule.breaks] / "breaks"
};
enum class FieldKind { kBool, kInt, kMode, kCheckin };

struct ScheduleField {
  FieldGroup group;
  std::string_view key;  // within its group
  FieldKind kind;
  int min = 0;  // kInt: the range validate() checks (in a group only while it is enabled)
  int max = 0;
  bool* (*flag)(ScheduleSettings&) = nullptr;                   // kBool
  int* (*number)(ScheduleSettings&) = nullptr;                  // kInt
  ScheduleMode* (*mode)(ScheduleSettings&) = nullptr;           // kMode
  ComfortCheckinMode* (*checkin)(ScheduleSettings&) = nullptr;  // kCheckin
};

// "progression", "breaks" ("" for kTop).
std::string_view group_name(FieldGroup g);
// "sit_minutes", "progression.step_minutes": the name messages use.
std::string qualified_key(const ScheduleField& f);

bool bool_value(const ScheduleField& f, const ScheduleSettings& s);
int int_value(const ScheduleField& f, const ScheduleSettings& s);
ScheduleMode mode_value(const ScheduleField& f, const ScheduleSettings& s);
ComfortCheckinMode checkin_value(const ScheduleField& f, const ScheduleSettings& s);

// The field `key` of `group`, or nullptr.
const ScheduleField* find_field(FieldGroup group, std::string_view key);

extern const std::array<ScheduleField, 23> kScheduleFields;

}  // namespace deskd::core
