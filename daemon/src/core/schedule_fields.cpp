#include "core/schedule_fields.h"

#include <string>

namespace deskd::core {
namespace {

using S = ScheduleSettings;
using G = FieldGroup;
using K = FieldKind;

ScheduleField flag(G g, std::string_view key, bool* (*at)(S&)) {
  ScheduleField f{g, key, K::kBool};
  f.flag = at;
  return f;
}
ScheduleField number(G g, std::string_view key, int min, int max, int* (*at)(S&)) {
  ScheduleField f{g, key, K::kInt, min, max};
  f.number = at;
  return f;
}

ScheduleField checkin(G g, std::string_view key, ComfortCheckinMode* (*at)(S&)) {
  ScheduleField f{g, key, K::kCheckin};
  f.checkin = at;
  return f;
}

}  // namespace

const std::array<ScheduleField, 23> kScheduleFields{
    flag(G::kTop, "enabled", [](S& s) { return &s.enabled; }),
    ScheduleField{G::kTop, "mode", K::kMode, 0, 0, nullptr, nullptr, [](S& s) { return &s.mode; }},
    number(G::kTop, "sit_minutes", 5, 240, [](S& s) { return &s.sit_minutes; }),
    number(G::kTop, "stand_minutes", 5, 240, [](S& s) { return &s.stand_minutes; }),
    number(G::kTop, "warn_seconds", 0, 600, [](S& s) { return &s.warn_seconds; }),
    number(G::kTop, "snooze_minutes", 1, 240, [](S& s) { return &s.snooze_minutes; }),
    flag(G::kTop, "nudge", [](S& s) { return &s.nudge; }),
    number(G::kTop, "max_auto_moves_per_day", 0, 100,
           [](S& s) { return &s.max_auto_moves_per_day; }),
    number(G::kTop, "max_skips_per_day", 0, 50, [](S& s) { return &s.max_skips_per_day; }),
    flag(G::kTop, "require_time_sync", [](S& s) { return &s.require_time_sync; }),
    number(G::kTop, "busy_max_defer_minutes", 0, 480,
           [](S& s) { return &s.busy_max_defer_minutes; }),
    number(G::kTop, "break_wait_minutes", 0, 60, [](S& s) { return &s.break_wait_minutes; }),
    number(G::kTop, "break_idle_seconds", 10, 1800, [](S& s) { return &s.break_idle_seconds; }),
    checkin(G::kTop, "comfort_checkin", [](S& s) { return &s.comfort_checkin; }),
    flag(G::kProgression, "enabled", [](S& s) { return &s.progression.enabled; }),
    number(G::kProgression, "start_minutes", 1, 240,
           [](S& s) { return &s.progression.start_minutes; }),
    number(G::kProgression, "step_minutes", 1, 120,
           [](S& s) { return &s.progression.step_minutes; }),
    number(G::kProgression, "period_days", 1, 365, [](S& s) { return &s.progression.period_days; }),
    number(G::kProgression, "target_minutes", 5, 240,
           [](S& s) { return &s.progression.target_minutes; }),
    flag(G::kBreaks, "enabled", [](S& s) { return &s.breaks.enabled; }),
    number(G::kBreaks, "every_minutes", 10, 480, [](S& s) { return &s.breaks.every_minutes; }),
    number(G::kBreaks, "duration_minutes", 1, 60, [](S& s) { return &s.breaks.duration_minutes; }),
    flag(G::kBreaks, "ask_walked", [](S& s) { return &s.breaks.ask_walked; }),
};

std::string_view group_name(FieldGroup g) {
  switch (g) {
    case FieldGroup::kTop:
      return "";
    case FieldGroup::kProgression:
      return "progression";
    case FieldGroup::kBreaks:
      return "breaks";
  }
  return "";
}

std::string qualified_key(const ScheduleField& f) {
  const std::string_view group = group_name(f.group);
  return group.empty() ? std::string(f.key) : std::string(group) + "." + std::string(f.key);
}

// The tables' accessors only take the address of a member; reading through them changes nothing.
bool bool_value(const ScheduleField& f, const ScheduleSettings& s) {
  return *f.flag(const_cast<ScheduleSettings&>(s));
}
int int_value(const ScheduleField& f, const ScheduleSettings& s) {
  return *f.number(const_cast<ScheduleSettings&>(s));
}
ScheduleMode mode_value(const ScheduleField& f, const ScheduleSettings& s) {
  return *f.mode(const_cast<ScheduleSettings&>(s));
}

ComfortCheckinMode checkin_value(const ScheduleField& f, const ScheduleSettings& s) {
  return *f.checkin(const_cast<ScheduleSettings&>(s));
}

const ScheduleField* find_field(FieldGroup group, std::string_view key) {
  for (const auto& f : kScheduleFields) {
    if (f.group == group && f.key == key) return &f;
  }
  return nullptr;
}

}  // namespace deskd::core
