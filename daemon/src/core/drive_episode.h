#pragma once

#include <chrono>

#include "core/motion_types.h"
#include "core/time.h"

namespace deskd::core {

// The driving time a stop/start stream carries from one run to the next, so that neither
// max_run nor the per-move estimate starts afresh at every start (safety invariants 2 and 9).
// A run in the same direction that starts within kGap of a stop that cut the last run short
// (a stop command, a reversal, the handset) continues the episode:
// its driving time counts towards max_run, and towards the same target it keeps the estimate
// planned for that target. Times are driving time, mapped back onto the clock by leg_origin().
class DriveEpisode {
 public:
  static constexpr std::chrono::seconds kGap{3};

  // A run starts at `now` towards `target_mm`, `distance_mm` away.
  void start(Drive dir, double target_mm, double distance_mm, SteadyTime now);
  // The running leg got a new target `distance_mm` away at `now`.
  void retarget(double target_mm, double distance_mm, SteadyTime now);
  void stop(SteadyTime now);
  // The running leg's drive took effect only at `at` (a controller still waking up): its
  // driving time counts from then.
  void started_late(SteadyTime at);
  // The run ended by itself, or a fault was cleared: the next run starts a new episode.
  void reset() { dir_ = Drive::kNone; }

  // Where max_run counts from: the run's start moved back by the episode's earlier driving.
  SteadyTime drive_since() const { return run_start_ - driven_before_; }
  // Where the current target's estimate counts from, and the distance it was planned for.
  SteadyTime planned_at() const { return drive_since() + target_planned_; }
  double distance_mm() const { return distance_mm_; }

 private:
  Drive dir_ = Drive::kNone;
  bool running_ = false;
  SteadyTime run_start_{};
  SteadyTime last_stop_{};
  SteadyTime::duration driven_before_{};   // driving time of the episode's earlier runs
  SteadyTime::duration target_planned_{};  // episode driving time when the target was set
  double target_mm_ = 0;
  double distance_mm_ = 0;
};

}  // namespace deskd::core
