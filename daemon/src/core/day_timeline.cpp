#include "core/day_timeline.h"

namespace deskd::core {

void DayTimeline::observe(Posture posture, WallTime wall, bool clock_trusted) {
  if (!clock_trusted) return;
  const CivilDate today = local_date(wall);
  if (date_ && today < *date_) return;  // the clock went back past midnight: keep the day shown
  if (!date_ || today != *date_) {
    // Still running at midnight: the new day starts in the posture the old one ended in.
    const bool ran_through = date_ && !periods_.empty();
    const Posture carried = ran_through ? periods_.back().posture : posture;
    const WallTime midnight = local_to_wall(today, 0);
    date_ = today;
    periods_.clear();
    periods_.push_back({ran_through ? midnight : wall, carried});
    ++revision_;
  }
  if (wall < periods_.back().start || periods_.back().posture == posture) return;
  periods_.push_back({wall, posture});
  if (periods_.size() > kMaxPeriods) periods_.erase(periods_.begin());
  ++revision_;
}

}  // namespace deskd::core
