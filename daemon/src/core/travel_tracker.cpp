#include "core/travel_tracker.h"

#include <algorithm>

namespace deskd::core {
namespace {

double seconds(SteadyTime::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

void TravelTracker::start(Drive dir, double travel_mm, SteadyTime now) {
  sign_ = dir == Drive::kDown ? -1.0 : 1.0;
  start_mm_ = travel_mm;
  samples_.assign(1, Sample{now, travel_mm});
  last_progress_ = now;
  progress_mm_ = travel_mm;
}

void TravelTracker::reading(double travel_mm, SteadyTime now) {
  if (travel_mm == samples_.back().mm) return;
  samples_.push_back({now, travel_mm});
  while (samples_.size() > 2 && samples_[1].t <= now - kWindow) samples_.pop_front();
  if ((travel_mm - progress_mm_) * sign_ > 0) {
    last_progress_ = now;
    progress_mm_ = travel_mm;
  }
}

double TravelTracker::speed(SteadyTime now) const {
  // Anchor: the latest reading at or before now - kWindow (or the first one kept).
  const Sample* anchor = &samples_.front();
  for (const Sample& s : samples_) {
    if (s.t > now - kWindow) break;
    anchor = &s;
  }
  const double dt = seconds(now - anchor->t);
  if (dt <= 0) return 0;
  return (samples_.back().mm - anchor->mm) * sign_ / dt;
}

double TravelTracker::reading_speed(SteadyTime now, double cap) const {
  if (samples_.size() >= 3 && !settled_speed()) {
    // Still accelerating: the last few readings (the first one after the start is off by up to
    // one count, so it is never the anchor).
    const Sample& first = samples_[samples_.size() > 5 ? samples_.size() - 5 : 1];
    return (samples_.back().mm - first.mm) * sign_ / seconds(samples_.back().t - first.t);
  }
  if (!settled_speed()) {
    const double dt = seconds(now - samples_.front().t);
    return dt > 0 ? std::min(cap, travelled_mm() / dt) : 0.0;
  }
  const double dt = seconds(samples_.back().t - samples_.front().t);
  return (samples_.back().mm - samples_.front().mm) * sign_ / dt;
}

}  // namespace deskd::core
