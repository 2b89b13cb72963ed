#pragma once

#include <string>
#include <vector>

#include "core/day_stats.h"
#include "core/progress.h"
#include "core/schedule_settings.h"

namespace deskd::core {

// The week in plain words (B/progress `summary`, issue 24 §4): one thing that went well and one
// suggestion, from this week's figures against the same part of last week. Rules, first match:
// went well: more standing than last week; a streak of at least 2 days; more changes per hour;
//   a shorter longest sitting stretch; else this week's standing share.
// suggestion: at least half of this week's scheduled changes skipped or snoozed (try a shorter
//   standing period); less standing than last week; a sitting stretch over an hour; fewer than
//   one change an hour; else what the plan does next.
// Without any sitting or standing recorded on a working day this week both say so.

WeeklySummary summarize_week(const Progress& p, const std::vector<DayStats>& history,
                             const ScheduleSettings& settings);

// 5400 -> "1 hr 30 min", 3600 -> "1 hr", 300 -> "5 min" (whole minutes, at least "1 min").
std::string duration_words(std::int64_t seconds);

}  // namespace deskd::core
