// TravelTracker on a bus display that rounds (issue 20 §3): the run is read at the display's
// changes (crossings), not at its readings.
#include "core/travel_tracker.h"

#include <gtest/gtest.h>

#include <cmath>

namespace deskd::core {
namespace {

using std::chrono::milliseconds;

// A desk moving at 38 mm/s (`sign` +1 up, -1 down) after a 25 ms lag and a 150 ms linear
// spin-up, from `from_mm`.
double true_mm(double from_mm, double sign, double t_s) {
  constexpr double kV = 38, kLag = 0.025, kRamp = 0.15;
  const double t = std::max(0.0, t_s - kLag);
  return from_mm + sign * (t < kRamp ? kV * t * t / (2 * kRamp) : kV * (t - kRamp / 2));
}

// Feeds `tracker` the way MotionController does: every report a reading; where the number changed,
// a crossing midway between the two reports at the midpoint of the two numbers.
class DisplayRun {
 public:
  DisplayRun(double from_mm, Drive dir, milliseconds period, double (*display)(double))
      : from_(from_mm), sign_(dir == Drive::kUp ? 1.0 : -1.0), period_(period), display_(display) {
    tracker_.start(dir, display_(from_mm), start_);
    last_ = display_(from_mm);
  }
  void run_until(milliseconds t) {
    while (next_ <= t) {
      const double shown = display_(true_mm(from_, sign_, next_.count() / 1000.0));
      const SteadyTime at = start_ + next_;
      tracker_.reading(shown, at);
      if ((shown - last_) * sign_ > 0 && last_at_ > start_) {
        tracker_.crossing(last_at_ + (at - last_at_) / 2, (last_ + shown) / 2);
      }
      last_ = shown;
      last_at_ = at;
      next_ += period_;
    }
  }
  TravelTracker tracker_;
  SteadyTime start_{std::chrono::hours(1)};

 private:
  double from_;
  double sign_;
  milliseconds period_;
  double (*display_)(double);
  milliseconds next_ = period_;
  double last_ = 0;
  SteadyTime last_at_ = start_;
};

double tenth_inch(double mm) { return std::round(mm / 2.54) * 2.54; }
double loctek(double mm) {  // 0.1 cm below 100 cm, whole cm (rounded) from there
  return mm >= 999.5 ? std::round(mm / 10) * 10 : std::round(mm);
}

TEST(TravelTrackerTest, TheCrossingLineOfA01InchDisplayGivesTheHeightBetweenReports) {
  DisplayRun run(700.3, Drive::kUp, milliseconds(200), tenth_inch);
  run.run_until(milliseconds(1400));
  const SteadyTime now = run.start_ + milliseconds(1490);
  const auto line = run.tracker_.cruise(30.0, run.start_ + milliseconds(400));
  ASSERT_TRUE(line.has_value());
  EXPECT_TRUE(line->fitted);
  EXPECT_NEAR(line->speed_mm_s, 38, 1.5);
  EXPECT_NEAR(line->travel_at(now, 1.0), true_mm(700.3, 1.0, 1.49), 0.8);
}

TEST(TravelTrackerTest, ASpeedJudgedAtCrossingsIgnoresAStartHalfAWholeCmOff) {
  // Shown 1000 at 1004.9: the readings alone say the desk made half its real progress.
  DisplayRun run(1004.9, Drive::kDown, milliseconds(100), loctek);
  run.run_until(milliseconds(500));
  const SteadyTime now = run.start_ + milliseconds(500);
  EXPECT_LT(run.tracker_.speed(now), 0.6 * 38);  // the readings: barely half the speed
  const auto crossing = run.tracker_.crossing_speed();
  ASSERT_TRUE(crossing.has_value());
  EXPECT_NEAR(*crossing, 38, 8);
}

}  // namespace
}  // namespace deskd::core
