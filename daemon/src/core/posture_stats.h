#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/day_stats.h"
#include "core/motion_types.h"
#include "core/schedule_io.h"
#include "core/schedule_settings.h"
#include "core/time.h"

namespace deskd::core {

// Posture statistics per local day (DayStats), kept for kKeepDays days.
//
// - Time is measured on the steady clock and attributed to the wall-clock span that ends at the
//   update's wall time, split at local midnights. Wall clock jumps (NTP sync from 1970, manual
//   setting) therefore add or lose nothing, and a suspended machine (steady clock stopped)
//   counts nothing for the suspension.
// - Only sitting and standing are counted. The daemon passes Posture::kUnknown while nobody is
//   at the desk (presence) so that an empty desk at sitting height is not "sitting".
// - A transition is a change between sitting and standing; passing through "between" (a move)
//   is not a transition by itself, and sitting -> between -> sitting is none.
// - A sitting stretch ends only when the posture becomes standing; time "between" neither
//   counts nor ends it. longest_sit_s of a day is the longest part of a stretch within that day
//   (a stretch across midnight restarts at 0 on the new day).
class PostureStats {
 public:
  static constexpr int kKeepDays = 400;

  // `history` as parsed from the state directory: sorted by date, one entry per date.
  explicit PostureStats(std::vector<DayStats> history = {});

  // Call on every posture change and periodically (before publishing or saving).
  // Days older than kKeepDays are dropped only while `clock_trusted`, and never more than the
  // steady clock says really passed: a wall clock set to the future prunes nothing.
  void update(Posture posture, WallTime wall, SteadyTime steady, bool clock_trusted = true);

  void record_auto_move(WallTime now);
  void record_declined(WallTime now);
  void record_snoozed(WallTime now);
  // Counts a Scheduler event: "auto_move", "declined", "snoozed", "deferred"; other types are
  // ignored.
  void record(const ScheduleEvent& event, WallTime now);

  // The statistics of local date `d` (zeros if nothing was recorded); accounted up to the last
  // update().
  DayStats day(CivilDate d) const;
  DayStats today(WallTime now) const;
  // All kept days, oldest first.
  const std::vector<DayStats>& history() const { return days_; }
  // The last `n` kept days (or fewer), oldest first.
  std::vector<DayStats> last_days(std::size_t n) const;

 private:
  DayStats& entry(CivilDate d);
  void account(Posture p, WallTime start, WallTime end);
  void prune(CivilDate today, SteadyTime steady);

  std::vector<DayStats> days_;
  std::optional<Posture> last_posture_;
  std::optional<Posture> last_sit_stand_;
  std::optional<WallTime> last_wall_;
  std::optional<SteadyTime> last_steady_;
  std::int64_t stretch_s_ = 0;
  std::optional<CivilDate> stretch_date_;
  // The local day last split at: [day_begin_, day_end_) is day_date_.
  std::optional<CivilDate> restored_newest_;  // the newest day of the restored history
  std::optional<CivilDate> prune_date_;       // days before this minus kKeepDays are dropped
  SteadyTime prune_steady_{};                 // the steady time at which prune_date_ was reached
  std::optional<CivilDate> day_date_;
  WallTime day_begin_{};
  WallTime day_end_{};
};

}  // namespace deskd::core
