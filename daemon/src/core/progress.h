#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/day_stats.h"
#include "core/progression.h"
#include "core/schedule_settings.h"
#include "core/time.h"

namespace deskd::core {

// Weekly progress (B/progress), computed from the per-day statistics and the schedule. Pure:
// `now` is an argument, local time is the process's zone (local_time.h).
//
// Definitions:
// - A week runs from Monday 00:00 to the next Monday 00:00 local time, i.e. seven local dates
//   Monday ... Sunday (167 or 169 hours in a DST week; DayStats are already split at local
//   midnights).
// - Working time of a date: the length of the schedule's working windows on that date, resolved
//   in local time (a skip date has none; 00:00-24:00 lasts 23 or 25 hours on a DST day). For
//   today only the part before `now` counts. The current schedule is applied to past days.
// - A date without working time in its schedule (weekend, skip date) is left out: its statistics
//   count in no share, rate or maximum, and it neither breaks nor extends a streak.
// - Standing share = standing seconds / (sitting + standing seconds): of the time at the desk,
//   how much was standing. The dashboard's history uses the same definition and states it.
//   Posture statistics are kept for the whole day, so time before or after the windows of a
//   working day counts too.
// - Changes per hour = sitting <-> standing changes / working hours.
// - Comparison: the current week (Monday up to `now`) against the same elapsed part of last week,
//   in whole local days: last Monday through last week's date of today's weekday. Statistics are
//   kept per day, so no finer cut exists; today is still running, which is why the share and the
//   changes compare rates (a half-done day has half its time at the desk and half its working
//   time) rather than sums. The whole of last week would make every Monday look like a loss.
// - Trend: up / down / flat (within 1 percentage point, 0.1 changes per hour, 60 s); none while
//   either side has no recorded sitting or standing on a working day.
// - Standing goal of a working date: the standing the plan holds for its windows, starting each
//   window sitting: every full sit+stand cycle gives the date's standing minutes (the
//   progression's minutes on that date, or stand_minutes), a remainder longer than sit_minutes
//   gives the rest up to those minutes. A date whose plan holds no standing is treated as one
//   without working time. A date met its goal when its standing seconds reach it.
// - Streak: consecutive working dates that met their goal, counted back from yesterday; today
//   adds one as soon as it has met its goal, and an unmet today does not break the streak yet.
struct WeekFigures {
  CivilDate from;  // first and last local date counted (inclusive)
  CivilDate to;
  int working_days = 0;
  std::int64_t working_s = 0;
  std::int64_t sit_s = 0;
  std::int64_t stand_s = 0;
  int changes = 0;
  std::int64_t longest_sit_s = 0;
  bool has_data = false;  // any sitting or standing recorded on a working date

  // stand_s / (sit_s + stand_s); nullopt without sitting or standing.
  std::optional<double> stand_share() const;
  std::optional<double> changes_per_hour() const;
  friend bool operator==(const WeekFigures&, const WeekFigures&) = default;
};

enum class Trend { kUp, kDown, kFlat };
std::string_view to_string(Trend t);

struct ProgressTrends {
  std::optional<Trend> stand_share;
  std::optional<Trend> changes;      // changes per working hour
  std::optional<Trend> longest_sit;  // of the longest sitting stretch
};

struct Streak {
  int days = 0;
  bool today_working = false;  // today has a standing goal
  bool today_met = false;
  std::int64_t today_goal_s = 0;
  std::int64_t today_stand_s = 0;
  int today_minutes = 0;  // standing minutes per period today
};

struct ProgressPlan {
  bool progression = false;             // [schedule.progression] enabled
  int minutes = 0;                      // standing minutes per period today
  int target_minutes = 0;               // the progression's target (stand_minutes without one)
  std::optional<ProgressionStep> next;  // if comfort stays steady (core/progression.h)
  std::string text;                     // e.g. "From Monday you stand 15 min each period"
  // The progression's latest decision and its reason (nullopt before its first step date).
  std::optional<ProgressionDecision> decision;
};

// Comfort check-in answers (1..5): the mean of all answers of this week and of the same elapsed
// part of last week (the dates of WeekFigures, working or not); trend up / down / flat (within
// 0.25).
struct ComfortFigures {
  std::optional<double> this_week;
  std::optional<double> last_week;
  std::optional<Trend> trend;
  int answers_this_week = 0;
};

// The week in plain words (B/progress `summary`; the rules are in core/weekly_summary.h).
struct WeeklySummary {
  std::string went_well;
  std::string suggestion;
  friend bool operator==(const WeeklySummary&, const WeeklySummary&) = default;
};

struct Progress {
  CivilDate today;
  CivilDate week_start;
  WeekFigures this_week;
  WeekFigures last_week;  // the same elapsed part of last week
  ProgressTrends trend;
  Streak streak;
  ProgressPlan plan;
  ComfortFigures comfort;
  WeeklySummary summary;
};

// `history`: PostureStats::history() (sorted by date, one entry per date). `settings` must be
// valid; `progression_start` as for progression_minutes_on().
Progress compute_progress(const std::vector<DayStats>& history, const ScheduleSettings& settings,
                          std::optional<CivilDate> progression_start, WallTime now);

}  // namespace deskd::core
