#pragma once

#include <deque>
#include <optional>

#include "core/motion_types.h"
#include "core/time.h"

namespace deskd::core {

// Follows the sensor's travel during one drive: when it last made progress (stall, invariant 3)
// and how fast it goes. The speed counts the time since the last reading, so a dead stop reads
// as slowing down even though it produces no readings.
class TravelTracker {
 public:
  static constexpr std::chrono::milliseconds kWindow{300};
  static constexpr std::chrono::milliseconds kMinSpan{150};

  void start(Drive dir, double travel_mm, SteadyTime now);
  // A new reading while driving.
  void reading(double travel_mm, SteadyTime now);

  SteadyTime last_progress() const { return last_progress_; }
  SteadyTime last_reading() const { return samples_.back().t; }
  // The time between the last two readings of this run (zero before the second): how far the
  // height may be extrapolated past a reading (a bus controller reports every 100-200 ms).
  SteadyTime::duration reading_interval() const {
    return samples_.size() < 2 ? SteadyTime::duration{}
                               : samples_.back().t - samples_[samples_.size() - 2].t;
  }
  double travelled_mm() const { return (samples_.back().mm - start_mm_) * sign_; }
  // Speed in the drive direction over the last kWindow up to `now` (0 when nothing moved).
  double speed(SteadyTime now) const;
  // Speed between readings over the window once it spans kMinSpan; before, between the readings
  // after the first one, or with fewer since the start (at most `cap`: one count says little).
  double reading_speed(SteadyTime now, double cap) const;
  // The window holds readings over at least kMinSpan (the speed is worth judging).
  bool settled_speed() const { return samples_.back().t - samples_.front().t >= kMinSpan; }

 private:
  struct Sample {
    SteadyTime t;
    double mm;
  };
  std::deque<Sample> samples_{Sample{}};
  double sign_ = 1.0;
  double start_mm_ = 0;
  SteadyTime last_progress_{};
  double progress_mm_ = 0;
};

}  // namespace deskd::core
