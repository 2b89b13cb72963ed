#pragma once

#include <optional>

#include "core/motion_settings.h"
#include "core/time.h"

namespace deskd::core {

// One leg of motor drive, as far as its timing goes.
struct MoveLeg {
  bool run_to_end = false;   // no travel sensor: the end stop is assumed reached after run_until
  SteadyTime drive_since{};  // when the motor started (the leg may have been re-targeted since)
  SteadyTime planned_at{};   // when the current target was set
  double distance_mm = 0;    // from the height at planned_at to the target
  double speed_mm_s = 0;     // expected speed in the leg's direction
};

struct MoveDeadlines {
  SteadyTime give_up;                   // past it: stop, fault `timeout` (invariant 2)
  std::optional<SteadyTime> run_until;  // run_to_end: stop here, the end stop is reached
};

// The deadlines of a leg: never later than drive_since + max_run; a target leg gets its travel
// estimate * deadline_margin + 2 s from planned_at; an end-stop run the full travel time * 1.15
// + 0.5 s from drive_since (re-targeting keeps it: the run already covers the whole travel).
MoveDeadlines move_deadlines(const MoveLeg& leg, const MotionSettings& settings);

}  // namespace deskd::core
