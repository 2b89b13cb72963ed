#pragma once

#include <optional>

#include "core/schedule_settings.h"

namespace deskd::core {

// [schedule.progression] as a function of the date (DESIGN.md §5: standing time starts small and
// grows week by week). `start` is the progression's first day: settings.progression.start_date,
// else the Scheduler's memory (SchedulerMemory::progression_start); nullopt while the Scheduler
// has not seen a day with a trusted clock yet.

// Standing minutes per period on local date `d`: stand_minutes without a progression, else
// start_minutes + step_minutes for every full period_days since `start`, at most target_minutes
// (start_minutes before `start`, or without one).
int progression_minutes_on(const ScheduleSettings& s, std::optional<CivilDate> start, CivilDate d);

// The next change of the standing minutes after `today`: its first date and the new minutes.
struct ProgressionStep {
  CivilDate date;
  int minutes = 0;
  friend bool operator==(const ProgressionStep&, const ProgressionStep&) = default;
};

// nullopt without a progression or once it reached target_minutes. Without a `start` the
// progression is taken to start `today` (the Scheduler starts it on its first trusted day).
std::optional<ProgressionStep> next_progression_step(const ScheduleSettings& s,
                                                     std::optional<CivilDate> start,
                                                     CivilDate today);

}  // namespace deskd::core
