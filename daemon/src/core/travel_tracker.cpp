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
  cruise_.clear();
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

void TravelTracker::crossing(SteadyTime at, double travel_mm) {
  cruise_.push_back({at, travel_mm});
}

std::optional<double> TravelTracker::crossing_speed() const {
  if (cruise_.size() < 2) return std::nullopt;
  const Sample& last = cruise_.back();
  const Sample* anchor = &cruise_.front();
  for (const Sample& p : cruise_) {
    if (p.t > last.t - kWindow) break;
    anchor = &p;
  }
  if (last.t - anchor->t < kMinSpan) return std::nullopt;
  return (last.mm - anchor->mm) * sign_ / seconds(last.t - anchor->t);
}

double TravelTracker::Line::travel_at(SteadyTime t, double sign) const {
  return travel_mm + sign * speed_mm_s * seconds(t - at);
}

std::optional<TravelTracker::Line> TravelTracker::cruise(double prior_speed,
                                                         SteadyTime from) const {
  const auto first =
      std::find_if(cruise_.begin(), cruise_.end(), [from](const Sample& p) { return p.t >= from; });
  if (first == cruise_.end()) return std::nullopt;
  const std::vector<Sample> points(first, cruise_.end());
  const SteadyTime t0 = points.front().t;
  double mean_t = 0, mean_mm = 0;
  for (const Sample& p : points) {
    mean_t += seconds(p.t - t0);
    mean_mm += p.mm;
  }
  const auto n = static_cast<double>(points.size());
  mean_t /= n;
  mean_mm /= n;
  double speed = prior_speed;
  const bool fit = points.back().t - t0 >= kMinFitSpan && points.size() >= 3;
  if (fit) {
    double stt = 0, stm = 0;
    for (const Sample& p : points) {
      const double dt = seconds(p.t - t0) - mean_t;
      stt += dt * dt;
      stm += dt * (p.mm - mean_mm);
    }
    speed = stm / stt * sign_;
  }
  const SteadyTime at =
      t0 + std::chrono::duration_cast<SteadyTime::duration>(std::chrono::duration<double>(mean_t));
  return Line{at, mean_mm, speed, static_cast<int>(points.size()), fit};
}

}  // namespace deskd::core
