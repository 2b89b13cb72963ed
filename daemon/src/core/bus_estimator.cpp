#include "core/bus_estimator.h"

#include <algorithm>

namespace deskd::core {

BusEstimator::BusEstimator(std::chrono::milliseconds stale, const InputSnapshot& inputs)
    : stale_(stale),
      height_(inputs.bus_height_mm),
      height_at_(inputs.bus_height_at),
      fault_(inputs.bus_fault),
      fault_code_(inputs.bus_fault_code) {}

std::optional<SensorProblem> BusEstimator::read(const InputSnapshot& in, SteadyTime now,
                                                Drive drive) {
  height_ = in.bus_height_mm;
  height_at_ = in.bus_height_at;
  fault_ = in.bus_fault;
  fault_code_ = in.bus_fault_code;
  return check(now, drive);
}

std::optional<SensorProblem> BusEstimator::check(SteadyTime now, Drive drive) const {
  if (fault_ != BusFault::kNone) {
    const Fault f = fault_ == BusFault::kLimit         ? Fault::kLimit
                    : fault_ == BusFault::kObstruction ? Fault::kObstruction
                                                       : Fault::kSensor;
    return SensorProblem{f, fault_code_.empty() ? "desk bus error" : fault_code_};
  }
  if (drive == Drive::kNone) return std::nullopt;
  if (!height_) return SensorProblem{Fault::kSensor, "desk bus: no height while moving"};
  if (now - fresh_since() > stale_) {
    return SensorProblem{Fault::kSensor, "desk bus: height older than " +
                                             std::to_string(stale_.count()) + " ms while moving"};
  }
  return std::nullopt;
}

std::optional<SteadyTime> BusEstimator::check_at(Drive drive) const {
  if (drive == Drive::kNone || !height_) return std::nullopt;
  return fresh_since() + stale_ + SteadyTime::duration(1);
}

void BusEstimator::drive_changed(Drive d, SteadyTime now) {
  if (d != Drive::kNone) drive_since_ = now;
}

}  // namespace deskd::core
