#pragma once

#include "core/position_estimator.h"

namespace deskd::core {

// `[sensor] kind = "none"`: only the end stops are known. A move runs to the nearer end stop for
// the full travel time; any other motion (handset) loses the position.
class EndStopEstimator : public PositionEstimator {
 public:
  std::optional<double> height(SteadyTime) const override { return height_; }
  std::optional<double> travel_mm() const override { return std::nullopt; }
  Calibration calibration() const override { return Calibration::kTimedRun; }
  bool end_stops_only() const override { return true; }
  std::optional<SensorProblem> read(const InputSnapshot&, SteadyTime, Drive) override {
    return std::nullopt;
  }
  void set_height(double h) override { height_ = h; }
  void forget() override { height_.reset(); }
  void drive_changed(Drive d, SteadyTime) override {
    if (d != Drive::kNone) height_.reset();
  }
  void handset_released(Drive, SteadyTime, SteadyTime) override { height_.reset(); }

 private:
  std::optional<double> height_;
};

}  // namespace deskd::core
