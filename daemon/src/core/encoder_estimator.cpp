#include "core/encoder_estimator.h"

namespace deskd::core {
namespace {

constexpr std::uint32_t kEncoderErrorLimit = 10;  // impossible transitions in one drive

}  // namespace

EncoderEstimator::EncoderEstimator(double mm_per_count, const InputSnapshot& inputs)
    : mm_per_count_(mm_per_count), count_(inputs.encoder_count), errors_(inputs.encoder_errors) {}

std::optional<double> EncoderEstimator::height(SteadyTime /*now*/) const {
  if (!offset_mm_) return std::nullopt;
  return *offset_mm_ + raw_mm();
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
