#include "core/encoder_estimator.h"

namespace deskd::core {
namespace {

constexpr std::uint32_t kEncoderErrorLimit = 10;  // impossible transitions in one drive
// What one undecodable transition can hide: the two edges of the line folded into it and the
// other line's edge between them read the wrong way round, i.e. up to one cycle of 4 counts.
constexpr double kCountsPerError = 4.0;
// What one dropped edge can hide: itself, and the other line's next edge read the wrong way
// round (a dropped pair on one line turns a cycle of +4 into 0).
constexpr double kCountsPerLostEdge = 2.0;

}  // namespace

EncoderEstimator::EncoderEstimator(double mm_per_count, const InputSnapshot& inputs)
    : mm_per_count_(mm_per_count),
      count_(inputs.encoder_count),
      errors_(inputs.encoder_errors),
      errors_at_zero_(inputs.encoder_errors),
      lost_(inputs.encoder_lost_edges),
      lost_at_zero_(inputs.encoder_lost_edges) {}

std::optional<double> EncoderEstimator::height(SteadyTime /*now*/) const {
  if (!offset_mm_) return std::nullopt;
  return *offset_mm_ + raw_mm();
}

double EncoderEstimator::uncertainty_mm() const {
  if (!offset_mm_) return 0.0;
  const double counts = static_cast<double>(errors_ - errors_at_zero_) * kCountsPerError +
                        static_cast<double>(lost_ - lost_at_zero_) * kCountsPerLostEdge;
  return restored_doubt_mm_ + counts * mm_per_count_;
}

void EncoderEstimator::set_height(double h) {
  offset_mm_ = h - raw_mm();
  errors_at_zero_ = errors_;
  lost_at_zero_ = lost_;
  restored_doubt_mm_ = 0;
}

void EncoderEstimator::forget() {
  offset_mm_.reset();
  errors_at_zero_ = errors_;
  lost_at_zero_ = lost_;
  restored_doubt_mm_ = 0;
}

std::optional<SensorProblem> EncoderEstimator::read(const InputSnapshot& in, SteadyTime /*now*/,
                                                    Drive drive) {
  count_ = in.encoder_count;
  errors_ = in.encoder_errors;
  lost_ = in.encoder_lost_edges;
  const std::uint32_t errors = errors_ - errors_at_drive_;
  if (drive == Drive::kNone || errors < kEncoderErrorLimit) return std::nullopt;
  return SensorProblem{Fault::kSensor,
                       "encoder reported " + std::to_string(errors) + " impossible transitions"};
}

void EncoderEstimator::drive_changed(Drive d, SteadyTime /*now*/) {
  if (d != Drive::kNone) errors_at_drive_ = errors_;
}

}  // namespace deskd::core
