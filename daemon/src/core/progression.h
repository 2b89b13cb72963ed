#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/comfort.h"
#include "core/schedule_settings.h"

namespace deskd::core {

// [schedule.progression] as a function of the date (DESIGN.md §5: standing time starts small and
// grows week by week) and of the comfort answers (issue 24 §3: the progression listens). `start`
// is the progression's first day: settings.progression.start_date, else the Scheduler's memory
// (SchedulerMemory::progression_start); nullopt while the Scheduler has not seen a day with a
// trusted clock yet.
//
// The course, walked day by day from `start` (only answers from `start` on count):
// - Step dates are start + k * period_days (k >= 1). At a step date below target_minutes the
//   progression decides from the comfort of the period just ended (`recent`, the mean of its
//   answered days' means) against the period before (`earlier`):
//   - no answer in the period: advance by step_minutes (as without comfort: no answers never
//     block the plan);
//   - recent <= kBadComfort (2): hold ("comfort is low");
//   - recent < earlier - kComfortDrop: hold ("comfort fell from 4 to 3 this week");
//   - otherwise (steady or better): advance.
// - Two bad answered days in a row (days without an answer in between are skipped; each day's
//   mean <= 2): the day after the second one, step back by step_minutes (not below
//   start_minutes; at start_minutes it is a hold); the run then counts again from zero. A step
//   back on a step date replaces that date's decision, and the next step date holds when the
//   period it closes had a step back.
// Without any answer the minutes are exactly start_minutes + step_minutes per full period, at
// most target_minutes (start_minutes before `start`, or without one).
inline constexpr double kComfortDrop = 0.5;

enum class ProgressionDecisionKind { kAdvance, kHold, kStepBack };
std::string_view to_string(ProgressionDecisionKind k);  // "advance" | "hold" | "step_back"

struct ProgressionDecision {
  ProgressionDecisionKind kind = ProgressionDecisionKind::kAdvance;
  CivilDate date;   // the first date it applies to
  int minutes = 0;  // standing minutes per period from `date`
  // In plain words: "holding at 15 min: comfort fell from 4 to 3 this week".
  std::string reason;
  friend bool operator==(const ProgressionDecision&, const ProgressionDecision&) = default;
};

struct ProgressionCourse {
  int minutes = 0;                          // on the date asked for
  std::optional<ProgressionDecision> last;  // the latest decision on or before it
};

// The course up to local date `d` (nullopt `last` without a progression or before a step date).
ProgressionCourse progression_course(const ScheduleSettings& s, std::optional<CivilDate> start,
                                     CivilDate d, const ComfortLog& comfort = {});

// The course walked once up to `last`, for many dates (B/progress asks for every date of a
// streak): minutes_on(d) is progression_minutes_on(d) without walking again for d <= last.
// Keeps references: `s` and `comfort` must outlive it.
class ProgressionTable {
 public:
  ProgressionTable(const ScheduleSettings& s, std::optional<CivilDate> start, CivilDate last,
                   const ComfortLog& comfort);
  int minutes_on(CivilDate d) const;
  const ProgressionCourse& course() const { return course_; }  // up to `last`

 private:
  const ScheduleSettings& settings_;
  std::optional<CivilDate> start_;
  CivilDate last_;
  const ComfortLog& comfort_;
  std::vector<int> minutes_;  // of start_..last_, with a progression
  ProgressionCourse course_;
};

// Standing minutes per period on local date `d`: stand_minutes without a progression.
int progression_minutes_on(const ScheduleSettings& s, std::optional<CivilDate> start, CivilDate d,
                           const ComfortLog& comfort = {});

// The next change of the standing minutes after `today`: its first date and the new minutes.
struct ProgressionStep {
  CivilDate date;
  int minutes = 0;
  friend bool operator==(const ProgressionStep&, const ProgressionStep&) = default;
};

// The next step date and its minutes if comfort stays steady; nullopt without a progression or
// at target_minutes. Without a `start` the progression is taken to start `today` (the Scheduler
// starts it on its first trusted day).
std::optional<ProgressionStep> next_progression_step(const ScheduleSettings& s,
                                                     std::optional<CivilDate> start,
                                                     CivilDate today,
                                                     const ComfortLog& comfort = {});

}  // namespace deskd::core
