#include "core/schedule_event.h"

namespace deskd::core {

std::string_view to_string(ScheduleEventKind k) {
  switch (k) {
    case ScheduleEventKind::kWarning:
      return "warning";
    case ScheduleEventKind::kPrompt:
      return "prompt";
    case ScheduleEventKind::kReminder:
      return "reminder";
    case ScheduleEventKind::kAutoMove:
      return "auto_move";
    case ScheduleEventKind::kDeclined:
      return "declined";
    case ScheduleEventKind::kSnoozed:
      return "snoozed";
    case ScheduleEventKind::kBreak:
      return "break";
    case ScheduleEventKind::kClockJump:
      return "clock_jump";
    case ScheduleEventKind::kDeferred:
      return "deferred";
    case ScheduleEventKind::kWalkQuestion:
      return "walk_question";
    case ScheduleEventKind::kWalked:
      return "walked";
    case ScheduleEventKind::kComfortQuestion:
      return "comfort_question";
    case ScheduleEventKind::kComfort:
      return "comfort";
  }
  return "warning";
}

}  // namespace deskd::core
