#include "core/schedule_phase.h"

namespace deskd::core {

std::string_view to_string(SchedulePhase p) {
  switch (p) {
    case SchedulePhase::kDisabled:
      return "disabled";
    case SchedulePhase::kOutsideHours:
      return "outside_hours";
    case SchedulePhase::kPaused:
      return "paused";
    case SchedulePhase::kBlocked:
      return "blocked";
    case SchedulePhase::kCounting:
      return "counting";
    case SchedulePhase::kWarning:
      return "warning";
    case SchedulePhase::kAwaitingConfirm:
      return "awaiting_confirm";
    case SchedulePhase::kMoving:
      return "moving";
  }
  return "disabled";
}

}  // namespace deskd::core
