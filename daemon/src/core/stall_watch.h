#pragma once

#include <array>
#include <chrono>
#include <optional>

#include "core/motion_types.h"
#include "core/time.h"

namespace deskd::core {

// Driving time without progress, for the stall rule (safety invariant 3), kept across stop/start
// at the same place (invariant 9): a stream of short runs into an obstacle adds up to the stall
// a single run would have.
//
// A leaky bucket: driving time fills it, travel in the drive direction drains it at `slow_mm_s`
// (obstruction_ratio x the expected speed), and it never goes below empty. A desk that stops dead
// fills it at one second per second, exactly like "no progress for stall_timeout"; one crawling
// into a knee fills it more slowly; one moving freely keeps it empty. When a run is cut short
// (stop, reversal, handset) its level is banked per direction at the place it stopped, and a
// later run in that direction that starts within kSamePlaceMm of it, within kMemory, starts from
// it. A run that ends by itself (target, limit, end stop) and reset() empty the bank.
class StallWatch {
 public:
  static constexpr double kSamePlaceMm = 5.0;
  static constexpr std::chrono::seconds kMemory{60};

  // A run starts in `dir` with the sensor's travel at `travel_mm`.
  void start(Drive dir, double travel_mm, double slow_mm_s, SteadyTime now);
  void reading(double travel_mm, SteadyTime now);
  // The run was cut short: bank the level.
  void interrupted(SteadyTime now);
  // The run in `dir` ended by itself (after interrupted()): nothing is stuck in that direction.
  void completed(Drive dir);
  void reset();

  // The level at `now` (time without progress, this run's and the banked).
  SteadyTime::duration stuck_for(SteadyTime now) const { return stuck_ + (now - at_); }
  // When stuck_for() reaches `timeout`, if no travel comes first.
  SteadyTime stall_at(SteadyTime::duration timeout) const { return at_ + timeout - stuck_; }

 private:
  struct Bank {
    double place_mm = 0;
    SteadyTime::duration stuck{};
    SteadyTime last{};
  };
  std::optional<Bank>& bank(Drive d) { return banks_[d == Drive::kUp ? 0 : 1]; }

  std::array<std::optional<Bank>, 2> banks_;
  Drive dir_ = Drive::kNone;
  double slow_mm_s_ = 1;
  double best_mm_ = 0;  // the furthest travel of this run in its direction (credited once)
  double last_mm_ = 0;
  SteadyTime::duration stuck_{};  // the level at at_
  SteadyTime at_{};
};

}  // namespace deskd::core
