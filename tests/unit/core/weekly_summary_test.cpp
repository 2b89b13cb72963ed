// The week in plain words (issue 24 §4): one thing that went well, one suggestion, by the rules
// in core/weekly_summary.h, from figures built by hand (compute_progress's own tests cover them).
#include "core/weekly_summary.h"

#include <gtest/gtest.h>

#include "core/local_time.h"

namespace deskd::core {
namespace {

WeekFigures week(CivilDate from, std::int64_t stand_s, int changes, std::int64_t longest_sit_s) {
  WeekFigures w;
  w.from = from;
  w.to = add_days(from, 2);
  w.working_days = 3;
  w.working_s = 3 * 8 * 3600;
  w.stand_s = stand_s;
  w.sit_s = w.working_s - stand_s;
  w.changes = changes;
  w.longest_sit_s = longest_sit_s;
  w.has_data = true;
  return w;
}

// Monday to Wednesday this week against the same days last week.
Progress progress(WeekFigures now, WeekFigures before) {
  Progress p;
  p.today = {2026, 11, 25};
  p.week_start = {2026, 11, 23};
  p.this_week = now;
  p.last_week = before;
  const auto trend = [](std::optional<double> a, std::optional<double> b, double flat) {
    return *a > *b + flat ? Trend::kUp : *a < *b - flat ? Trend::kDown : Trend::kFlat;
  };
  p.trend.stand_share = trend(now.stand_share(), before.stand_share(), 0.01);
  p.trend.changes = trend(now.changes_per_hour(), before.changes_per_hour(), 0.1);
  p.trend.longest_sit = trend(double(now.longest_sit_s), double(before.longest_sit_s), 60);
  p.plan.minutes = 15;
  p.plan.text = "From Monday you stand 20 min each period";
  return p;
}

constexpr CivilDate kThisMonday{2026, 11, 23};
constexpr CivilDate kLastMonday{2026, 11, 16};

std::vector<DayStats> answered(int moved, int skipped, int snoozed) {
  DayStats d{{2026, 11, 24}};
  d.auto_moves = moved;
  d.declined = skipped;
  d.snoozed = snoozed;
  return {DayStats{{2026, 11, 17}, 0, 0, 0, 9, 9, 9}, d};  // last week's answers do not count
}

TEST(WeeklySummary, MoreStandingThanLastWeekGoesWellFirst) {
  const auto p = progress(week(kThisMonday, 21600, 40, 2400), week(kLastMonday, 14400, 40, 2400));
  const auto s = summarize_week(p, answered(10, 1, 0), ScheduleSettings{});
  EXPECT_EQ(s.went_well, "You stood 25% of your time at the desk, up from 17% last week.");
  EXPECT_EQ(s.suggestion, "Keep going. From Monday you stand 20 min each period.");
}

TEST(WeeklySummary, AStreakThenMoreChangesThenAShorterSitGoWellInThatOrder) {
  auto p = progress(week(kThisMonday, 14400, 60, 1800), week(kLastMonday, 14400, 40, 3000));
  p.streak.days = 3;
  EXPECT_EQ(summarize_week(p, {}, {}).went_well,
            "You met your standing goal 3 working days in a row.");
  p.streak.days = 1;
  EXPECT_EQ(summarize_week(p, {}, {}).went_well,
            "You changed posture 2.5 times an hour, more often than last week (1.7).");
  p.trend.changes = Trend::kFlat;
  EXPECT_EQ(summarize_week(p, {}, {}).went_well,
            "Your longest sitting stretch was 30 min, shorter than last week's 50 min.");
  p.trend.longest_sit = Trend::kFlat;
  EXPECT_EQ(summarize_week(p, {}, {}).went_well,
            "You stood 17% of your time at the desk this week.");
}

TEST(WeeklySummary, SuggestionsFollowWhatHeldThePersonBack) {
  auto p = progress(week(kThisMonday, 7200, 20, 5400), week(kLastMonday, 14400, 40, 3000));
  EXPECT_EQ(summarize_week(p, answered(3, 2, 2), {}).suggestion,
            "You skipped or snoozed 4 of 7 changes: a shorter standing period may be easier to "
            "keep (now 15 min).");
  EXPECT_EQ(summarize_week(p, answered(6, 1, 0), {}).suggestion,
            "You stood less than last week: stand up at the next change, even for a few minutes.");
  p.trend.stand_share = Trend::kFlat;
  EXPECT_EQ(summarize_week(p, {}, {}).suggestion,
            "Your longest sitting stretch was 1 hr 30 min: let the desk change posture at least "
            "once an hour.");
  p.this_week.longest_sit_s = 2400;
  EXPECT_EQ(summarize_week(p, {}, {}).suggestion,
            "You changed posture 0.8 times an hour: about twice an hour is a good aim.");
}

TEST(WeeklySummary, AnEmptyWeekSaysSo) {
  Progress p;
  const auto s = summarize_week(p, {}, {});
  EXPECT_EQ(s.went_well, "");
  EXPECT_EQ(s.suggestion,
            "Nothing is recorded this week yet: the summary starts with your first day.");
}

TEST(WeeklySummary, DurationsInWords) {
  EXPECT_EQ(duration_words(5400), "1 hr 30 min");
  EXPECT_EQ(duration_words(3600), "1 hr");
  EXPECT_EQ(duration_words(300), "5 min");
  EXPECT_EQ(duration_words(10), "1 min");
}

}  // namespace
}  // namespace deskd::core
