#include "core/manual_use.h"

namespace deskd::core {

void ManualUse::moved(std::optional<double> from, SteadyTime now) {
  if (!active_) {
    active_ = true;
    from_ = from;
  }
  last_change_ = now;
}

void ManualUse::handset_pressed(Drive dir, std::optional<double> from, SteadyTime now) {
  moved(from, now);
  handset_since_ = now;
  handset_dir_ = dir;
}

void ManualUse::handset_released(SteadyTime now) {
  handset_since_.reset();
  last_change_ = now;
}

std::optional<SteadyTime> ManualUse::ends_at() const {
  if (!active_ || handset_since_) return std::nullopt;
  return last_change_ + quietly_for_;
}

std::optional<MotionNotice> ManualUse::end(std::optional<double> height) {
  if (!active_ || handset_since_) return std::nullopt;
  active_ = false;
  MotionNotice n{MotionNotice::Kind::kManualMove, MoveSource::kHandset};
  n.from_mm = from_;
  n.height_mm = height;
  from_.reset();
  return n;
}

}  // namespace deskd::core
