#include "core/progression.h"

#include <algorithm>

#include "core/local_time.h"

namespace deskd::core {
namespace {

int closed_form_minutes(const Progression& p, CivilDate start, CivilDate d) {
  const int days = days_between(start, d);
  if (days < 0) return p.start_minutes;
  const long long grown =
      p.start_minutes + static_cast<long long>(p.step_minutes) * (days / p.period_days);
  return static_cast<int>(std::min<long long>(grown, p.target_minutes));
}

std::string period_words(int period_days) {
  if (period_days == 7) return "this week";
  if (period_days == 1) return "yesterday";
  return "in the last " + std::to_string(period_days) + " days";
}

std::optional<double> comfort_on(const ComfortLog& log, CivilDate d) {
  const auto it = std::lower_bound(log.begin(), log.end(), d,
                                   [](const ComfortDay& a, CivilDate b) { return a.date < b; });
  if (it == log.end() || it->date != d) return std::nullopt;
  return it->mean;
}

// The decision at step date `date` from `minutes` (below the target).
// `stepped_back`: the date of the latest step back.
ProgressionDecision step_decision(const Progression& p, const ComfortLog& log, CivilDate start,
                                  CivilDate date, int minutes,
                                  std::optional<CivilDate> stepped_back) {
  const CivilDate recent_from = std::max(start, add_days(date, -p.period_days));
  const auto recent = mean_comfort(log, recent_from, add_days(date, -1));
  const CivilDate earlier_from = std::max(start, add_days(date, -2 * p.period_days));
  const auto earlier = recent_from == start
                           ? std::nullopt
                           : mean_comfort(log, earlier_from, add_days(recent_from, -1));
  const std::string when = period_words(p.period_days);
  const std::string held = "holding at " + std::to_string(minutes) + " min: ";
  if (stepped_back && !(*stepped_back < recent_from)) {
    return {ProgressionDecisionKind::kHold, date, minutes, held + "two bad days in a row " + when};
  }
  if (recent && *recent <= kBadComfort) {
    return {ProgressionDecisionKind::kHold, date, minutes,
            held + "comfort is low (" + comfort_text(*recent) + ") " + when};
  }
  if (recent && earlier && *recent < *earlier - kComfortDrop) {
    return {ProgressionDecisionKind::kHold, date, minutes,
            held + "comfort fell from " + comfort_text(*earlier) + " to " + comfort_text(*recent) +
                " " + when};
  }
  const int next = std::min(minutes + p.step_minutes, p.target_minutes);
  std::string reason = "stepped up to " + std::to_string(next) + " min: ";
  if (!recent) {
    reason += "no comfort answers " + when + ", the plan goes on";
  } else if (earlier && *recent > *earlier + kComfortDrop) {
    reason +=
        "comfort rose from " + comfort_text(*earlier) + " to " + comfort_text(*recent) + " " + when;
  } else {
    reason += "comfort steady at " + comfort_text(*recent) + " " + when;
  }
  return {ProgressionDecisionKind::kAdvance, date, next, reason};
}

// Two bad days in a row: the step back on `date`.
ProgressionDecision step_back(const Progression& p, CivilDate date, int minutes, double first,
                              double second) {
  const int back = std::max(p.start_minutes, minutes - p.step_minutes);
  const std::string why = "two bad days in a row (comfort " + comfort_text(first) + " and " +
                          comfort_text(second) + ")";
  if (back == minutes) {
    return {ProgressionDecisionKind::kHold, date, minutes,
            "holding at " + std::to_string(minutes) + " min: " + why};
  }
  return {ProgressionDecisionKind::kStepBack, date, back,
          "stepped back to " + std::to_string(back) + " min: " + why};
}

// The course from `start` (enabled, d >= start); `per_day`, if given, receives the minutes of
// every date start..d.
ProgressionCourse walk(const Progression& p, CivilDate start, CivilDate d,
                       const ComfortLog& comfort, std::vector<int>* per_day) {
  ProgressionCourse c{p.start_minutes, std::nullopt};
  if (per_day) per_day->assign(1, c.minutes);
  int bad_run = 0;
  std::optional<double> previous_bad;
  std::optional<CivilDate> stepped_back_on;
  for (CivilDate date = add_days(start, 1); date <= d; date = add_days(date, 1)) {
    bool stepped_back = false;
    if (const auto yesterday = comfort_on(comfort, add_days(date, -1))) {
      if (*yesterday > kBadComfort) {
        bad_run = 0;
      } else if (++bad_run == 2) {
        c.last = step_back(p, date, c.minutes, *previous_bad, *yesterday);
        c.minutes = c.last->minutes;
        stepped_back = true;
        stepped_back_on = date;
        bad_run = 0;
      }
      previous_bad = *yesterday;
    }
    if (!stepped_back && days_between(start, date) % p.period_days == 0 &&
        c.minutes < p.target_minutes) {
      c.last = step_decision(p, comfort, start, date, c.minutes, stepped_back_on);
      c.minutes = c.last->minutes;
    }
    if (per_day) per_day->push_back(c.minutes);
  }
  return c;
}

}  // namespace

std::string_view to_string(ProgressionDecisionKind k) {
  switch (k) {
    case ProgressionDecisionKind::kAdvance:
      return "advance";
    case ProgressionDecisionKind::kHold:
      return "hold";
    case ProgressionDecisionKind::kStepBack:
      return "step_back";
  }
  return "advance";
}

ProgressionCourse progression_course(const ScheduleSettings& s, std::optional<CivilDate> start,
                                     CivilDate d, const ComfortLog& comfort) {
  const Progression& p = s.progression;
  if (!p.enabled) return {s.stand_minutes, std::nullopt};
  if (!start || d < *start) return {p.start_minutes, std::nullopt};
  return walk(p, *start, d, comfort, nullptr);
}

ProgressionTable::ProgressionTable(const ScheduleSettings& s, std::optional<CivilDate> start,
                                   CivilDate last, const ComfortLog& comfort)
    : settings_(s), start_(start), last_(last), comfort_(comfort) {
  if (s.progression.enabled && start && !(last < *start)) {
    course_ = walk(s.progression, *start, last, comfort, &minutes_);
  } else {
    course_ = progression_course(s, start, last, comfort);
  }
}

int ProgressionTable::minutes_on(CivilDate d) const {
  if (!minutes_.empty() && !(d < *start_) && !(last_ < d)) {
    return minutes_[static_cast<std::size_t>(days_between(*start_, d))];
  }
  return progression_minutes_on(settings_, start_, d, comfort_);
}

int progression_minutes_on(const ScheduleSettings& s, std::optional<CivilDate> start, CivilDate d,
                           const ComfortLog& comfort) {
  const Progression& p = s.progression;
  if (!p.enabled) return s.stand_minutes;
  if (!start) return p.start_minutes;
  // Without an answer since the start, the course is the closed form (no day-by-day walk).
  const bool answers =
      !comfort.empty() && !(comfort.back().date < *start) && comfort.front().date < d;
  if (!answers) return closed_form_minutes(p, *start, d);
  return progression_course(s, start, d, comfort).minutes;
}

std::optional<ProgressionStep> next_progression_step(const ScheduleSettings& s,
                                                     std::optional<CivilDate> start,
                                                     CivilDate today, const ComfortLog& comfort) {
  const Progression& p = s.progression;
  if (!p.enabled) return std::nullopt;
  const CivilDate first = start.value_or(today);
  const int now_minutes = progression_minutes_on(s, first, today, comfort);
  if (now_minutes >= p.target_minutes) return std::nullopt;
  // The minutes change at first + k * period_days (k >= 1); before `first` they stay
  // start_minutes until first + period_days.
  const int days = days_between(first, today);
  const int periods_done = days < 0 ? 0 : days / p.period_days;
  const CivilDate next = add_days(first, (periods_done + 1) * p.period_days);
  return ProgressionStep{next, std::min(now_minutes + p.step_minutes, p.target_minutes)};
}

}  // namespace deskd::core
