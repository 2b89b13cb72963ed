#include "core/drive_episode.h"

#include <algorithm>
#include <cmath>

namespace deskd::core {
namespace {

constexpr double kSameTargetMm = 0.5;

}  // namespace

void DriveEpisode::start(Drive dir, double target_mm, double distance_mm, SteadyTime now) {
  const bool continues = !running_ && dir == dir_ && now - last_stop_ < kGap;
  if (!continues) driven_before_ = {};
  if (!continues || std::abs(target_mm - target_mm_) > kSameTargetMm) {
    target_planned_ = driven_before_;
    target_mm_ = target_mm;
    distance_mm_ = distance_mm;
  }
  dir_ = dir;
  running_ = true;
  run_start_ = now;
}

void DriveEpisode::retarget(double target_mm, double distance_mm, SteadyTime now) {
  target_planned_ = driven_before_ + (now - run_start_);
  target_mm_ = target_mm;
  distance_mm_ = distance_mm;
}

void DriveEpisode::started_late(SteadyTime at) {
  if (!running_ || at <= run_start_) return;
  target_planned_ = std::max(driven_before_, target_planned_ - (at - run_start_));
  run_start_ = at;
}

void DriveEpisode::stop(SteadyTime now) {
  if (!running_) return;
  running_ = false;
  driven_before_ += now - run_start_;
  last_stop_ = now;
}

}  // namespace deskd::core
