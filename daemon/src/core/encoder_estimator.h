#pragma once

#include "core/position_estimator.h"

namespace deskd::core {

// A relative encoder: height = offset + count * mm_per_count once the offset is known
// (restored, a limit switch or an end stop). Too many impossible quadrature transitions in one
// drive are a sensor fault; fewer are tolerated, but each one makes the height uncertain by up to
// one quadrature cycle until the next re-zero (a CPU too busy to read the lines in time, or an
// interrupt that folded two edges of a line into one, hides edges no decoder can count).
class EncoderEstimator : public PositionEstimator {
 public:
  EncoderEstimator(double mm_per_count, const InputSnapshot& inputs);

  std::optional<double> height(SteadyTime now) const override;
  std::optional<double> travel_mm() const override { return raw_mm(); }
  double resolution_mm() const override { return mm_per_count_; }
  double uncertainty_mm() const override;
  void restore_uncertainty(double mm) override { restored_doubt_mm_ = mm; }
  Calibration calibration() const override { return Calibration::kEndStopEvidence; }
  std::optional<SensorProblem> read(const InputSnapshot& in, SteadyTime now, Drive drive) override;
  void set_height(double h) override;
  void forget() override;
  void drive_changed(Drive d, SteadyTime now) override;

 private:
  double raw_mm() const { return static_cast<double>(count_) * mm_per_count_; }

  double mm_per_count_;
  std::int64_t count_;
  std::uint32_t errors_;
  std::uint32_t errors_at_drive_ = 0;
  std::uint32_t errors_at_zero_;  // errors_ when the offset was last set
  std::uint32_t lost_ = 0;        // edges the kernel may have dropped (InputSnapshot)
  std::uint32_t lost_at_zero_;
  double restored_doubt_mm_ = 0;  // the saved height's doubt, until the next re-zero
  std::optional<double> offset_mm_;
};

}  // namespace deskd::core
