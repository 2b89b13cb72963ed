#pragma once

#include <deque>
#include <optional>
#include <vector>

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

  // A point of the run where a display that rounds changed its number: midway between two
  // reports whose numbers differ, at the midpoint of the two numbers (unbiased at a steady speed,
  // whatever the display's step: whole cm, 0.1 inch, mm).
  void crossing(SteadyTime at, double travel_mm);
  // The run's travel as a line through its crossings from `from` on (at cruise speed): travel_mm
  // at `at`, speed in the drive direction. The slope is fitted (least squares) once the points
  // span kMinFitSpan; before, it is `prior_speed` and only the offset is averaged. nullopt
  // without a point.
  struct Line {
    SteadyTime at;
    double travel_mm = 0;
    double speed_mm_s = 0;
    int points = 0;
    bool fitted = false;  // the slope is the points' own
    double travel_at(SteadyTime t, double sign) const;
  };
  static constexpr std::chrono::milliseconds kMinFitSpan{500};
  std::optional<Line> cruise(double prior_speed, SteadyTime from) const;
  // The speed between the crossings over the last kWindow (from the latest one at or before it);
  // nullopt before two span kMinSpan. A reading alone may be half a display step off.
  std::optional<double> crossing_speed() const;

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
  std::vector<Sample> cruise_;
};

}  // namespace deskd::core
