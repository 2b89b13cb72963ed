#include "core/encoder_estimator.h"

namespace deskd::core {
namespace {

constexpr std::uint32_t kEncoderErrorLimit = 10;  // impossible transitions in one drive
// What one undecodable transition can hide: the two edges of the line folded into it and the
// other line's edge between them read the wrong way round, i.e. up to one cycle of 4 counts.
constexpr double kCountsPerError = 4.0;

}  // namespace

EncoderEstimator::EncoderEstimator(double mm_per_count, const InputSnapshot& inputs)
    : mm_per_count_(mm_per_count),
      count_(inputs.encoder_count),
      errors_(inputs.encoder_errors),
      errors_at_zero_(inputs.encoder_errors) {}

std::optional<double> EncoderEstimator::height(SteadyTime /*now*/) const {
  if (!offset_mm_) return std::nullopt;
  return *offset_mm_ + raw_mm();
}

double EncoderEstimator::uncertainty_mm() const {
  if (!offset_mm_) return 0.0;
  return restored_doubt_mm_ +
         static_cast<double>(errors_ - errors_at_zero_) * kCountsPerError * mm_per_count_;
}

void EncoderEstimator::set_height(double h) {
  offset_mm_ = h - raw_mm();
  errors_at_zero_ = errors_;
  restored_doubt_mm_ = 0;
}

void EncoderEstimator::forget() {
  offset_mm_.reset();
  errors_at_zero_ = errors_;
  restored_doubt_mm_ = 0;
}

std::optional<SensorProblem> EncoderEstimator::read(const InputSnapshot& in, SteadyTime /*now*/,
                                                    Drive drive) {
  count_ = in.encoder_count;
  errors_ = in.encoder_errors;
  const std::uint32_t errors = errors_ - errors_at_drive_;
  if (drive == Drive::kNone || errors < kEncoderErrorLimit) return std::nullopt;
  return SensorProblem{Fault::kSensor,
                       "encoder reported " + std::to_string(errors) + " impossible transitions"};
}

void EncoderEstimator::drive_changed(Drive d, SteadyTime /*now*/) {
  if (d != Drive::kNone) errors_at_drive_ = errors_;
}

}  // namespace deskd::core
