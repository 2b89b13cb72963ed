#include "core/stall_watch.h"

#include <algorithm>
#include <cmath>

namespace deskd::core {
namespace {

double sign(Drive d) { return d == Drive::kDown ? -1.0 : 1.0; }

}  // namespace

void StallWatch::start(Drive dir, double travel_mm, double slow_mm_s, SteadyTime now) {
  std::optional<Bank>& b = bank(dir);
  if (b && (now - b->last > kMemory || std::abs(travel_mm - b->place_mm) > kSamePlaceMm)) {
    b.reset();
  }
  dir_ = dir;
  slow_mm_s_ = std::max(1.0, slow_mm_s);
  best_mm_ = travel_mm;
  last_mm_ = travel_mm;
  stuck_ = b ? b->stuck : SteadyTime::duration{};
  at_ = now;
}

void StallWatch::reading(double travel_mm, SteadyTime now) {
  last_mm_ = travel_mm;
  stuck_ += now - at_;
  at_ = now;
  const double gained = (travel_mm - best_mm_) * sign(dir_);
  if (gained <= 0) return;
  best_mm_ = travel_mm;
  const auto credit = std::chrono::duration_cast<SteadyTime::duration>(
      std::chrono::duration<double>(gained / slow_mm_s_));
  stuck_ = std::max(SteadyTime::duration{}, stuck_ - credit);
}

void StallWatch::interrupted(SteadyTime now) {
  if (dir_ == Drive::kNone) return;
  bank(dir_) = Bank{last_mm_, stuck_for(now), now};
  dir_ = Drive::kNone;
}

void StallWatch::completed(Drive dir) {
  if (dir != Drive::kNone) bank(dir).reset();
}

void StallWatch::reset() {
  banks_ = {};
  dir_ = Drive::kNone;
}

}  // namespace deskd::core
