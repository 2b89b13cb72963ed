#include "core/progression.h"

#include <algorithm>

#include "core/local_time.h"

namespace deskd::core {

int progression_minutes_on(const ScheduleSettings& s, std::optional<CivilDate> start, CivilDate d) {
  const Progression& p = s.progression;
  if (!p.enabled) return s.stand_minutes;
  if (!start) return p.start_minutes;
  const int days = days_between(*start, d);
  if (days < 0) return p.start_minutes;
  const long long grown =
      p.start_minutes + static_cast<long long>(p.step_minutes) * (days / p.period_days);
  return static_cast<int>(std::min<long long>(grown, p.target_minutes));
}

std::optional<ProgressionStep> next_progression_step(const ScheduleSettings& s,
                                                     std::optional<CivilDate> start,
                                                     CivilDate today) {
  const Progression& p = s.progression;
  if (!p.enabled) return std::nullopt;
  const CivilDate first = start.value_or(today);
  const int now_minutes = progression_minutes_on(s, first, today);
  if (now_minutes >= p.target_minutes) return std::nullopt;
  // The minutes change at first + k * period_days (k >= 1); before `first` they stay
  // start_minutes until first + period_days.
  const int days = days_between(first, today);
  const int periods_done = days < 0 ? 0 : days / p.period_days;
  const CivilDate next = add_days(first, (periods_done + 1) * p.period_days);
  return ProgressionStep{next, progression_minutes_on(s, first, next)};
}

}  // namespace deskd::core
