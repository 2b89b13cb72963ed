#pragma once

#include "core/position_estimator.h"

namespace deskd::core {

// The desk controller's bus reports the absolute height (BUS_CONTRACT.md): known as soon as a
// height frame arrived, no calibration needed (`calibrate` re-reads it). While driving, a height
// older than `bus_stale` (counted from the drive's start at the earliest), a missing height or an
// error code the desk shows stop the motor with a fault.
class BusEstimator : public PositionEstimator {
 public:
  BusEstimator(std::chrono::milliseconds stale, const InputSnapshot& inputs);

  std::optional<double> height(SteadyTime) const override { return height_; }
  std::optional<double> travel_mm() const override { return height_; }
  // Controllers report every 100 ms (Loctek) to 200 ms (Jiecang) while moving: the motion
  // controller extrapolates the height between two reports (at most this far) and times the
  // stop in between.
  double resolution_mm() const override { return kReportSpanMm; }
  static constexpr double kReportSpanMm = 3.0;
  Calibration calibration() const override { return Calibration::kReadHeight; }
  std::optional<SensorProblem> read(const InputSnapshot& in, SteadyTime now, Drive drive) override;
  std::optional<SensorProblem> check(SteadyTime now, Drive drive) const override;
  std::optional<SteadyTime> check_at(Drive drive) const override;
  void set_height(double) override {}  // absolute: the bus is the truth
  void forget() override {}
  void drive_changed(Drive d, SteadyTime now) override;

 private:
  SteadyTime fresh_since() const { return std::max(height_at_, drive_since_); }

  std::chrono::milliseconds stale_;
  std::optional<double> height_;
  SteadyTime height_at_{};
  SteadyTime drive_since_{};
  BusFault fault_ = BusFault::kNone;
  std::string fault_code_;
};

}  // namespace deskd::core
