#include "core/progress.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string_view>
#include <utility>

#include "core/local_time.h"
#include "core/schedule_windows.h"
#include "core/weekly_summary.h"

namespace deskd::core {
namespace {

constexpr double kFlatShare = 0.01;  // 1 percentage point
constexpr double kFlatChangesPerH = 0.1;
constexpr std::int64_t kFlatLongestS = 60;
constexpr double kFlatComfort = 0.25;
// How far back a streak is counted (as long as statistics are kept).
constexpr int kStreakDays = 400;

constexpr std::array<std::string_view, 7> kWeekdayNames{
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

std::int64_t seconds_between(WallTime a, WallTime b) {
  return std::chrono::duration_cast<std::chrono::seconds>(b - a).count();
}

// The schedule as the progress sees it: working time and standing goal per local date.
class WorkCalendar {
 public:
  WorkCalendar(const ScheduleSettings& s, std::optional<CivilDate> progression_start,
               ComfortLog comfort, CivilDate today)
      : settings_(s),
        comfort_(std::move(comfort)),
        table_(s, progression_start, today, comfort_),
        windows_(s.windows, s.skip_dates) {}
  WorkCalendar(const WorkCalendar&) = delete;  // table_ refers to comfort_
  WorkCalendar& operator=(const WorkCalendar&) = delete;

  // Working seconds of `d` before `until` (all of them when `until` is past the date).
  std::int64_t working_s(CivilDate d, WallTime until) const {
    std::int64_t total = 0;
    for (const WallInterval& iv : windows_.intervals(d)) {
      if (iv.begin < until) total += seconds_between(iv.begin, std::min(iv.end, until));
    }
    return total;
  }

  std::int64_t goal_s(CivilDate d) const {
    const std::int64_t sit = std::int64_t{settings_.sit_minutes} * 60;
    const std::int64_t stand = std::int64_t{table_.minutes_on(d)} * 60;
    std::int64_t goal = 0;
    for (const WallInterval& iv : windows_.intervals(d)) {
      const std::int64_t len = seconds_between(iv.begin, iv.end);
      goal += len / (sit + stand) * stand +
              std::clamp<std::int64_t>(len % (sit + stand) - sit, 0, stand);
    }
    return goal;
  }

  bool working(CivilDate d) const { return goal_s(d) > 0; }
  const ComfortLog& comfort() const { return comfort_; }
  // The progression's standing minutes of a date, walked once up to today.
  const ProgressionTable& progression() const { return table_; }

 private:
  const ScheduleSettings& settings_;
  ComfortLog comfort_;
  ProgressionTable table_;
  ScheduleWindows windows_;
};

DayStats stats_of(const std::vector<DayStats>& history, CivilDate d) {
  const auto it =
      std::lower_bound(history.begin(), history.end(), d,
                       [](const DayStats& a, const CivilDate& b) { return a.date < b; });
  if (it != history.end() && it->date == d) return *it;
  return DayStats{d};
}

WeekFigures figures(const std::vector<DayStats>& history, const WorkCalendar& cal, CivilDate from,
                    CivilDate to, WallTime until) {
  WeekFigures w{from, to};
  for (CivilDate d = from; d <= to; d = add_days(d, 1)) {
    if (!cal.working(d)) continue;
    const DayStats s = stats_of(history, d);
    ++w.working_days;
    w.working_s += cal.working_s(d, until);
    w.sit_s += s.sit_s;
    w.stand_s += s.stand_s;
    w.changes += s.transitions;
    w.longest_sit_s = std::max(w.longest_sit_s, s.longest_sit_s);
    w.has_data = w.has_data || s.sit_s > 0 || s.stand_s > 0 || s.transitions > 0;
  }
  return w;
}

template <typename T>
std::optional<Trend> trend(std::optional<T> now, std::optional<T> before, T flat) {
  if (!now || !before) return std::nullopt;
  const T delta = *now - *before;
  if (delta >= flat) return Trend::kUp;
  if (delta <= -flat) return Trend::kDown;
  return Trend::kFlat;
}

std::optional<std::int64_t> longest(const WeekFigures& w) {
  if (!w.has_data) return std::nullopt;
  return w.longest_sit_s;
}

Streak streak(const std::vector<DayStats>& history, const WorkCalendar& cal, CivilDate today) {
  Streak s;
  s.today_minutes = cal.progression().minutes_on(today);
  s.today_goal_s = cal.goal_s(today);
  s.today_stand_s = stats_of(history, today).stand_s;
  s.today_working = s.today_goal_s > 0;
  s.today_met = s.today_working && s.today_stand_s >= s.today_goal_s;
  if (s.today_met) ++s.days;
  for (int back = 1; back <= kStreakDays; ++back) {
    const CivilDate d = add_days(today, -back);
    const std::int64_t goal = cal.goal_s(d);
    if (goal == 0) continue;
    if (stats_of(history, d).stand_s < goal) break;
    ++s.days;
  }
  return s;
}

std::string when_text(CivilDate today, CivilDate d) {
  const int days = days_between(today, d);
  if (days == 1) return "tomorrow";
  if (days > 1 && days < 7) return std::string(kWeekdayNames[static_cast<std::size_t>(weekday(d))]);
  return format_date(d);
}

ProgressPlan plan(const ScheduleSettings& settings, std::optional<CivilDate> start, CivilDate today,
                  const WorkCalendar& cal) {
  const ComfortLog& comfort = cal.comfort();
  ProgressPlan p;
  p.progression = settings.progression.enabled;
  p.minutes = cal.progression().course().minutes;
  p.decision = cal.progression().course().last;
  p.target_minutes = p.progression ? settings.progression.target_minutes : settings.stand_minutes;
  p.next = next_progression_step(settings, start, today, comfort);
  if (p.next) {
    p.text = "From " + when_text(today, p.next->date) + " you stand " +
             std::to_string(p.next->minutes) + " min each period";
  } else {
    p.text = "You stand " + std::to_string(p.minutes) + " min each period";
    if (p.progression) p.text += " (the progression's target)";
  }
  return p;
}

ComfortFigures comfort_figures(const std::vector<DayStats>& history, const Progress& p) {
  ComfortFigures c;
  c.this_week = mean_comfort(history, p.this_week.from, p.this_week.to);
  c.last_week = mean_comfort(history, p.last_week.from, p.last_week.to);
  c.trend = trend(c.this_week, c.last_week, kFlatComfort);
  for (const DayStats& d : history) {
    if (!(d.date < p.this_week.from) && !(p.this_week.to < d.date)) {
      c.answers_this_week += d.comfort_answers;
    }
  }
  return c;
}

}  // namespace

std::optional<double> WeekFigures::stand_share() const {
  const std::int64_t at_desk = sit_s + stand_s;
  if (!has_data || at_desk <= 0) return std::nullopt;
  return static_cast<double>(stand_s) / static_cast<double>(at_desk);
}

std::optional<double> WeekFigures::changes_per_hour() const {
  if (!has_data || working_s <= 0) return std::nullopt;
  return changes * 3600.0 / static_cast<double>(working_s);
}

std::string_view to_string(Trend t) {
  switch (t) {
    case Trend::kUp:
      return "up";
    case Trend::kDown:
      return "down";
    case Trend::kFlat:
      return "flat";
  }
  return "flat";
}

Progress compute_progress(const std::vector<DayStats>& history, const ScheduleSettings& settings,
                          std::optional<CivilDate> progression_start, WallTime now) {
  const WorkCalendar cal(settings, progression_start, comfort_log(history), local_date(now));
  Progress p;
  p.today = local_date(now);
  p.week_start = add_days(p.today, -weekday(p.today));
  p.this_week = figures(history, cal, p.week_start, p.today, now);
  // Last week's dates end before `now`: all their working time counts.
  p.last_week = figures(history, cal, add_days(p.week_start, -7), add_days(p.today, -7), now);
  p.trend.stand_share = trend(p.this_week.stand_share(), p.last_week.stand_share(), kFlatShare);
  p.trend.changes =
      trend(p.this_week.changes_per_hour(), p.last_week.changes_per_hour(), kFlatChangesPerH);
  p.trend.longest_sit = trend(longest(p.this_week), longest(p.last_week), kFlatLongestS);
  p.streak = streak(history, cal, p.today);
  p.plan = plan(settings, progression_start, p.today, cal);
  p.comfort = comfort_figures(history, p);
  p.summary = summarize_week(p, history, settings);
  return p;
}

}  // namespace deskd::core
