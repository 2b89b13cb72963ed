#pragma once

#include <string_view>

namespace deskd::core {

// What the schedule is doing, as published in B/state `phase`. Every phase but counting,
// warning and awaiting_confirm comes with a reason (B/state `phase_reason`).
enum class SchedulePhase {
  kDisabled,         // schedule_enabled is false
  kOutsideHours,     // outside the working windows, or a skip date
  kPaused,           // paused for the rest of the local day
  kBlocked,          // working hours, but no automatic change may happen now (reason says why)
  kCounting,         // a period runs; next_change says when it ends
  kWarning,          // auto mode: the move is announced and happens at next_change
  kAwaitingConfirm,  // confirm mode: prompted, waiting for confirm; remind mode: reminded
  kMoving,           // an automatic move (or a manual one) is in progress
};

std::string_view to_string(SchedulePhase p);

}  // namespace deskd::core
