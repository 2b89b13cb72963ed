#include "core/timed_estimator.h"

#include <algorithm>

namespace deskd::core {

TimedEstimator::TimedEstimator(const MotionSettings& settings, double up_speed_mm_s,
                               double down_speed_mm_s)
    : bottom_mm_(settings.bottom_height_mm),
      top_mm_(settings.top_height_mm),
      up_speed_(up_speed_mm_s),
      down_speed_(down_speed_mm_s) {}

double TimedEstimator::integrate(double from, Drive dir, SteadyTime::duration run) const {
  const double s = std::chrono::duration<double>(run).count();
  const double v = dir == Drive::kUp ? up_speed_ : dir == Drive::kDown ? -down_speed_ : 0.0;
  return std::clamp(from + v * s, bottom_mm_, top_mm_);
}

std::optional<double> TimedEstimator::height(SteadyTime now) const {
  if (!height_) return std::nullopt;
  return integrate(*height_, drive_, now - drive_since_);
}

void TimedEstimator::drive_changed(Drive d, SteadyTime now) {
  height_ = height(now);
  drive_ = d;
  drive_since_ = now;
}

void TimedEstimator::handset_released(Drive dir, SteadyTime since, SteadyTime now) {
  if (height_) height_ = integrate(*height_, dir, now - since);
}

}  // namespace deskd::core
