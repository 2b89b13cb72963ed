#pragma once

#include "core/position_estimator.h"

namespace deskd::core {

// No travel sensor, calibrated speeds: the height is integrated from the run time (motor and
// handset), clamped to the end stops. Calibration runs down for the full travel time.
class TimedEstimator : public PositionEstimator {
 public:
  TimedEstimator(const MotionSettings& settings, double up_speed_mm_s, double down_speed_mm_s);

  std::optional<double> height(SteadyTime now) const override;
  std::optional<double> travel_mm() const override { return std::nullopt; }
  Calibration calibration() const override { return Calibration::kTimedRun; }
  std::optional<SensorProblem> read(const InputSnapshot&, SteadyTime, Drive) override {
    return std::nullopt;
  }
  void set_height(double h) override { height_ = h; }
  void forget() override { height_.reset(); }
  void drive_changed(Drive d, SteadyTime now) override;
  void handset_released(Drive dir, SteadyTime since, SteadyTime now) override;

 private:
  double integrate(double from, Drive dir, SteadyTime::duration run) const;

  double bottom_mm_;
  double top_mm_;
  double up_speed_;
  double down_speed_;
  std::optional<double> height_;  // at drive_since_ while driving
  Drive drive_ = Drive::kNone;
  SteadyTime drive_since_{};
};

}  // namespace deskd::core
