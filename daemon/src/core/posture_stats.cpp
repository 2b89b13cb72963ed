#include "core/posture_stats.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/local_time.h"

namespace deskd::core {
namespace {

std::int64_t floor_seconds(WallTime t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool date_less(const DayStats& a, const CivilDate& d) { return a.date < d; }

}  // namespace

PostureStats::PostureStats(std::vector<DayStats> history) : days_(std::move(history)) {
  std::sort(days_.begin(), days_.end(),
            [](const DayStats& a, const DayStats& b) { return a.date < b.date; });
  if (!days_.empty()) restored_newest_ = days_.back().date;
}

DayStats& PostureStats::entry(CivilDate d) {
  if (days_.empty() || days_.back().date < d) {
    days_.push_back(DayStats{d});
    return days_.back();
  }
  auto it = std::lower_bound(days_.begin(), days_.end(), d, date_less);
  if (it == days_.end() || it->date != d) it = days_.insert(it, DayStats{d});
  return *it;
}

void PostureStats::account(Posture p, WallTime start, WallTime end) {
  if (p != Posture::kSitting && p != Posture::kStanding) return;
  while (start < end) {
    if (!day_date_ || start < day_begin_ || start >= day_end_) {
      day_date_ = local_date(start);
      day_begin_ = local_to_wall(*day_date_, 0);
      day_end_ = next_local_midnight(start);
    }
    const WallTime piece_end = std::min(end, day_end_);
    const std::int64_t secs = floor_seconds(piece_end) - floor_seconds(start);
    DayStats& day = entry(*day_date_);
    if (p == Posture::kSitting) {
      day.sit_s += secs;
      if (stretch_date_ != day_date_) {
        stretch_date_ = day_date_;
        stretch_s_ = 0;
      }
      stretch_s_ += secs;
      day.longest_sit_s = std::max(day.longest_sit_s, stretch_s_);
    } else {
      day.stand_s += secs;
    }
    start = piece_end;
  }
}

void PostureStats::prune(CivilDate today, SteadyTime steady) {
  if (!prune_date_) {
    prune_date_ = restored_newest_ ? std::min(*restored_newest_, today) : today;
    prune_steady_ = steady;
  }
  // The prune date follows the wall clock's date, but advances no faster than the steady clock:
  // a wall clock set years ahead drops nothing it has not really outlived.
  const auto passed = std::chrono::floor<std::chrono::days>(steady - prune_steady_).count();
  const CivilDate limit = std::min(today, add_days(*prune_date_, static_cast<int>(passed)));
  if (*prune_date_ < limit) {
    prune_steady_ += std::chrono::days(days_between(*prune_date_, limit));
    prune_date_ = limit;
  }
  const CivilDate oldest_kept = add_days(*prune_date_, -kKeepDays);
  const auto first_kept = std::lower_bound(days_.begin(), days_.end(), oldest_kept, date_less);
  days_.erase(days_.begin(), first_kept);
}

void PostureStats::update(Posture posture, WallTime wall, SteadyTime steady, bool clock_trusted) {
  if (last_posture_ && last_wall_ && last_steady_) {
    const auto elapsed = std::max(SteadyTime::duration::zero(), steady - *last_steady_);
    const auto wall_elapsed = wall - *last_wall_;
    const auto mismatch = std::chrono::duration_cast<std::chrono::milliseconds>(
        wall_elapsed - std::chrono::duration_cast<WallTime::duration>(elapsed));
    // Without a clock jump, continue exactly where the last span ended so that rounding to
    // whole seconds never accumulates.
    const WallTime start = std::chrono::abs(mismatch) <= std::chrono::seconds(1)
                               ? *last_wall_
                               : wall - std::chrono::duration_cast<WallTime::duration>(elapsed);
    account(*last_posture_, start, wall);
  }
  if (posture == Posture::kSitting || posture == Posture::kStanding) {
    if (last_sit_stand_ && *last_sit_stand_ != posture) ++entry(local_date(wall)).transitions;
    if (posture == Posture::kStanding) stretch_s_ = 0;
    last_sit_stand_ = posture;
  }
  last_posture_ = posture;
  last_wall_ = wall;
  last_steady_ = steady;
  if (clock_trusted) prune(local_date(wall), steady);
}

void PostureStats::record_auto_move(WallTime now) { ++entry(local_date(now)).auto_moves; }
void PostureStats::record_declined(WallTime now) { ++entry(local_date(now)).declined; }
void PostureStats::record_snoozed(WallTime now) { ++entry(local_date(now)).snoozed; }

void PostureStats::record(const ScheduleEvent& event, WallTime now) {
  switch (event.kind) {
    case ScheduleEventKind::kAutoMove:
      if (event.cause == ChangeCause::kPause) ++entry(local_date(now)).auto_moves_at_pause;
      return record_auto_move(now);
    case ScheduleEventKind::kDeclined:
      return record_declined(now);
    case ScheduleEventKind::kSnoozed:
      return record_snoozed(now);
    case ScheduleEventKind::kDeferred:
      if (event.cause == ChangeCause::kBusy) ++entry(local_date(now)).deferred_busy;
      return;
    case ScheduleEventKind::kWalked:
      ++(event.walked ? entry(local_date(now)).walked_yes : entry(local_date(now)).walked_no);
      return;
    case ScheduleEventKind::kComfort: {
      DayStats& d = entry(local_date(now));
      d.comfort_sum += event.comfort;
      ++d.comfort_answers;
      return;
    }
    case ScheduleEventKind::kComfortQuestion:
    case ScheduleEventKind::kWalkQuestion:
    case ScheduleEventKind::kWarning:
    case ScheduleEventKind::kPrompt:
    case ScheduleEventKind::kReminder:
    case ScheduleEventKind::kBreak:
    case ScheduleEventKind::kClockJump:
      return;
  }
}

DayStats PostureStats::day(CivilDate d) const {
  const auto it = std::lower_bound(days_.begin(), days_.end(), d, date_less);
  if (it != days_.end() && it->date == d) return *it;
  return DayStats{d};
}

DayStats PostureStats::today(WallTime now) const { return day(local_date(now)); }

std::vector<DayStats> PostureStats::last_days(std::size_t n) const {
  const std::size_t first = days_.size() > n ? days_.size() - n : 0;
  return std::vector<DayStats>(days_.begin() + static_cast<std::ptrdiff_t>(first), days_.end());
}

}  // namespace deskd::core
