#include "core/weekly_summary.h"

#include <cmath>

namespace deskd::core {
namespace {

constexpr std::int64_t kLongSitS = 3600;

std::string percent(double share) { return std::to_string(std::lround(share * 100)) + "%"; }

std::string per_hour(double rate) {
  const long tenths = std::lround(rate * 10);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

// This week's scheduled changes: carried out, and skipped or snoozed.
struct Answers {
  int moved = 0;
  int put_off = 0;
};

Answers answers(const std::vector<DayStats>& history, const WeekFigures& week) {
  Answers a;
  for (const DayStats& d : history) {
    if (d.date < week.from || week.to < d.date) continue;
    a.moved += d.auto_moves;
    a.put_off += d.declined + d.snoozed;
  }
  return a;
}

std::string went_well(const Progress& p) {
  const WeekFigures& now = p.this_week;
  const WeekFigures& before = p.last_week;
  if (p.trend.stand_share == Trend::kUp) {
    return "You stood " + percent(*now.stand_share()) + " of your time at the desk, up from " +
           percent(*before.stand_share()) + " last week.";
  }
  if (p.streak.days >= 2) {
    return "You met your standing goal " + std::to_string(p.streak.days) +
           " working days in a row.";
  }
  if (p.trend.changes == Trend::kUp) {
    return "You changed posture " + per_hour(*now.changes_per_hour()) +
           " times an hour, more often than last week (" + per_hour(*before.changes_per_hour()) +
           ").";
  }
  if (p.trend.longest_sit == Trend::kDown) {
    return "Your longest sitting stretch was " + duration_words(now.longest_sit_s) +
           ", shorter than last week's " + duration_words(before.longest_sit_s) + ".";
  }
  if (auto share = now.stand_share()) {
    return "You stood " + percent(*share) + " of your time at the desk this week.";
  }
  return "You sat and stood this week; the figures grow with your working hours.";
}

std::string suggestion(const Progress& p, const Answers& a, const ScheduleSettings& s) {
  const WeekFigures& now = p.this_week;
  if (a.put_off >= 2 && a.put_off * 2 >= a.moved + a.put_off) {
    return "You skipped or snoozed " + std::to_string(a.put_off) + " of " +
           std::to_string(a.moved + a.put_off) +
           " changes: a shorter standing period may be easier to keep (now " +
           std::to_string(p.plan.minutes) + " min).";
  }
  if (p.trend.stand_share == Trend::kDown) {
    return "You stood less than last week: stand up at the next change, even for a few minutes.";
  }
  if (now.longest_sit_s > kLongSitS) {
    return "Your longest sitting stretch was " + duration_words(now.longest_sit_s) +
           ": let the desk change posture at least once an hour.";
  }
  if (auto rate = now.changes_per_hour(); rate && *rate < 1.0 && s.enabled) {
    return "You changed posture " + per_hour(*rate) +
           " times an hour: about twice an hour is a good aim.";
  }
  return p.plan.text.empty() ? "Keep the rhythm you have." : "Keep going. " + p.plan.text + ".";
}

}  // namespace

std::string duration_words(std::int64_t seconds) {
  const std::int64_t minutes = std::max<std::int64_t>(1, (seconds + 30) / 60);
  const std::int64_t h = minutes / 60;
  const std::int64_t m = minutes % 60;
  if (h == 0) return std::to_string(m) + " min";
  return std::to_string(h) + " hr" + (m > 0 ? " " + std::to_string(m) + " min" : "");
}

WeeklySummary summarize_week(const Progress& p, const std::vector<DayStats>& history,
                             const ScheduleSettings& settings) {
  if (!p.this_week.has_data) {
    return {"", "Nothing is recorded this week yet: the summary starts with your first day."};
  }
  return {went_well(p), suggestion(p, answers(history, p.this_week), settings)};
}

}  // namespace deskd::core
