#include "core/progress.h"

#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

constexpr std::int64_t kOfficeDayS = (3 * 60 + 4 * 60 + 30) * 60;  // 09-12 + 13-17:30
// sit 30 / stand 20 from each window's start: 09-12 holds 3 standing periods, 13-17:30 holds 5.
constexpr std::int64_t kOfficeGoalS = 8 * 20 * 60;

DayStats day(CivilDate d, std::int64_t sit_s, std::int64_t stand_s, int transitions = 0,
             std::int64_t longest_sit_s = 0) {
  DayStats s{d};
  s.sit_s = sit_s;
  s.stand_s = stand_s;
  s.transitions = transitions;
  s.longest_sit_s = longest_sit_s;
  return s;
}

// A week of office days in Berlin; 2026-11-23 and 2026-11-30 are Mondays.
class ProgressTest : public ::testing::Test {
 protected:
  TzGuard tz{"Europe/Berlin"};
  ScheduleSettings settings = office_settings();
  std::vector<DayStats> history;
  std::optional<CivilDate> progression_start;

  Progress at_time(WallTime now) const {
    return compute_progress(history, settings, progression_start, now);
  }
};

struct BoundaryCase {
  const char* name;
  const char* zone;
  CivilDate date;  // local reading of "now"
  int minute_of_day;
  CivilDate week_start;
};

class ProgressWeekBoundary : public ::testing::TestWithParam<BoundaryCase> {};

TEST_P(ProgressWeekBoundary, WeekRunsFromMondayMidnightLocalTime) {
  const BoundaryCase& c = GetParam();
  TzGuard tz(c.zone);
  const WallTime now = local_to_wall(c.date, c.minute_of_day);
  const Progress p = compute_progress({}, office_settings(), std::nullopt, now);
  EXPECT_EQ(p.week_start, c.week_start);
  EXPECT_EQ(p.this_week.from, c.week_start);
  EXPECT_EQ(p.this_week.to, c.date);
  EXPECT_EQ(p.last_week.from, add_days(c.week_start, -7));
  EXPECT_EQ(p.last_week.to, add_days(c.date, -7));
}

INSTANTIATE_TEST_SUITE_P(
    Table, ProgressWeekBoundary,
    ::testing::Values(
        // 00:30 on Monday in Berlin is still Sunday in UTC.
        BoundaryCase{
            "BerlinMondayJustAfterMidnight", "Europe/Berlin", {2026, 11, 30}, 30, {2026, 11, 30}},
        BoundaryCase{
            "BerlinSundayBeforeMidnight", "Europe/Berlin", {2026, 11, 29}, 1439, {2026, 11, 23}},
        // 22:00 on Sunday in New York is already Monday in UTC.
        BoundaryCase{
            "NewYorkSundayEvening", "America/New_York", {2026, 11, 29}, 22 * 60, {2026, 11, 23}},
        BoundaryCase{"KolkataMondayMorning", "Asia/Kolkata", {2026, 11, 30}, 60, {2026, 11, 30}},
        // The Monday after the spring-forward and after the fall-back Sunday.
        BoundaryCase{
            "BerlinAfterSpringForwardWeek", "Europe/Berlin", {2026, 3, 30}, 0, {2026, 3, 30}},
        BoundaryCase{"BerlinFallBackSundayLate",
                     "Europe/Berlin",
                     {2026, 10, 25},
                     23 * 60 + 59,
                     {2026, 10, 19}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(ProgressTest, ComparesTheWeekSoFarWithTheSameWeekdaysOfLastWeek) {
  history = {day({2026, 11, 23}, 20000, 3600), day({2026, 11, 24}, 20000, 3600),
             day({2026, 11, 25}, 20000, 3600), day({2026, 11, 26}, 1000, 20000),
             day({2026, 11, 27}, 1000, 20000), day({2026, 11, 30}, 17000, 9600),
             day({2026, 12, 1}, 17000, 9600),  day({2026, 12, 2}, 7200, 3600)};
  const Progress p = at_time(at(2026, 12, 2, 12, 0));  // Wednesday noon
  EXPECT_EQ(p.last_week.from, (CivilDate{2026, 11, 23}));
  EXPECT_EQ(p.last_week.to, (CivilDate{2026, 11, 25}));
  // Last Thursday and Friday are not part of the comparison.
  EXPECT_EQ(p.last_week.stand_s, 3 * 3600);
  EXPECT_EQ(p.last_week.working_s, 3 * kOfficeDayS);
  // Today counts the working time until now: 09:00-12:00.
  EXPECT_EQ(p.this_week.working_s, 2 * kOfficeDayS + 3 * 3600);
  EXPECT_EQ(p.this_week.stand_s, 9600 * 2 + 3600);
  ASSERT_TRUE(p.this_week.stand_share());
  // Standing over time at the desk (sitting + standing), the dashboard's one definition.
  EXPECT_NEAR(*p.this_week.stand_share(), 22800.0 / (22800.0 + 41200.0), 1e-9);
  EXPECT_NEAR(*p.last_week.stand_share(), 10800.0 / (10800.0 + 60000.0), 1e-9);
  EXPECT_EQ(p.trend.stand_share, Trend::kUp);
}

TEST_F(ProgressTest, ChangesCompareAsRatesOverWorkingTimeAndTheLongestSitAsAMaximum) {
  history = {day({2026, 11, 23}, 20000, 3600, 15, 3600), day({2026, 11, 30}, 7200, 3600, 6, 1800)};
  // Monday 12:00: three working hours so far against last Monday's 7.5.
  const Progress p = at_time(at(2026, 11, 30, 12, 0));
  EXPECT_EQ(p.this_week.changes, 6);
  EXPECT_EQ(p.last_week.changes, 15);
  EXPECT_NEAR(*p.this_week.changes_per_hour(), 2.0, 1e-9);
  EXPECT_NEAR(*p.last_week.changes_per_hour(), 2.0, 1e-9);
  EXPECT_EQ(p.trend.changes, Trend::kFlat);  // fewer changes, but in fewer hours
  EXPECT_EQ(p.this_week.longest_sit_s, 1800);
  EXPECT_EQ(p.trend.longest_sit, Trend::kDown);
}

TEST_F(ProgressTest, SmallDifferencesAreFlat) {
  history = {day({2026, 11, 23}, 20000, 8100, 10, 3000),
             day({2026, 11, 30}, 20000, 8100 + 200, 10, 3000 + 59)};
  const Progress p = at_time(at(2026, 11, 30, 20, 0));
  EXPECT_EQ(p.trend.stand_share, Trend::kFlat);  // +0.5 percentage points
  EXPECT_EQ(p.trend.changes, Trend::kFlat);
  EXPECT_EQ(p.trend.longest_sit, Trend::kFlat);  // +59 s
}

TEST_F(ProgressTest, DaysWithoutWorkingHoursCountInNoShareAndNoMaximum) {
  settings.skip_dates = {{2026, 11, 25}};
  history = {day({2026, 11, 23}, 20000, 9600, 8, 1800),
             day({2026, 11, 25}, 20000, 20000, 30, 9000),  // skip date
             day({2026, 11, 28}, 1000, 20000, 30, 9000),   // Saturday
             day({2026, 11, 29}, 1000, 20000, 30, 9000)};  // Sunday
  const Progress p = at_time(at(2026, 11, 29, 20, 0));
  EXPECT_EQ(p.this_week.working_days, 4);
  EXPECT_EQ(p.this_week.working_s, 4 * kOfficeDayS);
  EXPECT_EQ(p.this_week.stand_s, 9600);
  EXPECT_EQ(p.this_week.changes, 8);
  EXPECT_EQ(p.this_week.longest_sit_s, 1800);
}

TEST_F(ProgressTest, DaysWithoutWorkingHoursNeitherBreakNorExtendTheStreak) {
  settings.skip_dates = {{2026, 11, 25}};
  history = {day({2026, 11, 23}, 1, kOfficeGoalS), day({2026, 11, 24}, 1, kOfficeGoalS),
             // 11-25: skip date, nothing recorded.
             day({2026, 11, 26}, 1, kOfficeGoalS), day({2026, 11, 27}, 1, kOfficeGoalS),
             day({2026, 11, 28}, 1, kOfficeGoalS)};    // Saturday: does not count
  const Progress p = at_time(at(2026, 11, 30, 8, 0));  // Monday before work
  EXPECT_EQ(p.streak.days, 4);
  EXPECT_FALSE(p.streak.today_met);
  EXPECT_EQ(p.streak.today_goal_s, kOfficeGoalS);
}

TEST_F(ProgressTest, StreakEndsAtADayShortOfItsGoalAndCountsTodayOnceMet) {
  history = {day({2026, 11, 24}, 1, kOfficeGoalS), day({2026, 11, 25}, 1, kOfficeGoalS - 1),
             day({2026, 11, 26}, 1, kOfficeGoalS), day({2026, 11, 27}, 1, kOfficeGoalS + 600),
             day({2026, 11, 30}, 1, 600)};
  Progress p = at_time(at(2026, 11, 30, 10, 0));
  EXPECT_EQ(p.streak.days, 2);  // Thursday and Friday; an unmet today breaks nothing yet
  history.back().stand_s = kOfficeGoalS;
  p = at_time(at(2026, 11, 30, 17, 0));
  EXPECT_TRUE(p.streak.today_met);
  EXPECT_EQ(p.streak.days, 3);
}

TEST_F(ProgressTest, GoalFollowsTheProgressionMinutesOfEachDay) {
  settings.progression = Progression{true, 5, 5, 7, 20, CivilDate{2026, 11, 16}};
  progression_start = CivilDate{2026, 11, 16};
  progression_start = settings.progression.start_date;
  // 10 min on 11-23..11-29 (cycle 40 min: 4 + 6 standing periods), 15 min from 11-30 (cycle
  // 45 min: 4 + 6 periods).
  const std::int64_t goal_10 = 10 * 10 * 60;
  const std::int64_t goal_15 = 10 * 15 * 60;
  history = {day({2026, 11, 26}, 1, goal_10), day({2026, 11, 27}, 1, goal_10),
             day({2026, 11, 30}, 1, goal_15 - 60)};
  const Progress p = at_time(at(2026, 11, 30, 18, 0));
  EXPECT_EQ(p.streak.today_minutes, 15);
  EXPECT_EQ(p.streak.today_goal_s, goal_15);
  EXPECT_FALSE(p.streak.today_met);
  EXPECT_EQ(p.streak.days, 2);
}

TEST_F(ProgressTest, FirstWeekWithoutHistoryHasNoFiguresAndNoTrends) {
  const Progress p = at_time(at(2026, 12, 2, 12, 0));
  EXPECT_FALSE(p.this_week.has_data);
  EXPECT_FALSE(p.last_week.has_data);
  EXPECT_FALSE(p.this_week.stand_share());
  EXPECT_FALSE(p.this_week.changes_per_hour());
  EXPECT_FALSE(p.trend.stand_share);
  EXPECT_FALSE(p.trend.changes);
  EXPECT_FALSE(p.trend.longest_sit);
  EXPECT_EQ(p.streak.days, 0);
}

TEST_F(ProgressTest, FirstWeekWithHistoryHasFiguresButNoTrends) {
  history = {day({2026, 11, 30}, 20000, 5400, 6, 2400)};
  const Progress p = at_time(at(2026, 11, 30, 18, 0));
  ASSERT_TRUE(p.this_week.stand_share());
  EXPECT_NEAR(*p.this_week.stand_share(), 5400.0 / (5400.0 + 20000.0), 1e-9);
  EXPECT_FALSE(p.last_week.has_data);
  EXPECT_FALSE(p.last_week.stand_share());
  EXPECT_FALSE(p.trend.stand_share);
  EXPECT_FALSE(p.trend.changes);
  EXPECT_FALSE(p.trend.longest_sit);
}

TEST_F(ProgressTest, MondayBeforeWorkHasAShareOfItsTimeAtTheDeskButNoRateYet) {
  history = {day({2026, 11, 23}, 20000, 5400), day({2026, 11, 30}, 600, 600)};
  const Progress p = at_time(at(2026, 11, 30, 8, 0));
  EXPECT_EQ(p.this_week.working_s, 0);
  ASSERT_TRUE(p.this_week.stand_share());
  EXPECT_DOUBLE_EQ(*p.this_week.stand_share(), 0.5);  // 10 min of 20 at the desk
  EXPECT_EQ(p.trend.stand_share, Trend::kUp);         // against last Monday's 21%
  EXPECT_FALSE(p.this_week.changes_per_hour());       // no working hour yet
  EXPECT_FALSE(p.trend.changes);
}

// All-day windows on Sundays show the 23- and 25-hour days of the DST changes.
class ProgressDstTest : public ProgressTest {
 protected:
  ProgressDstTest() { settings.windows[6] = windows({"00:00-24:00"}); }
};

TEST_F(ProgressDstTest, SpringForwardSundayHas23WorkingHours) {
  history = {day({2026, 3, 29}, 0, 23 * 3600)};
  const Progress p = at_time(at(2026, 3, 29, 23, 59, 59) + 1s);  // Monday 00:00
  EXPECT_EQ(p.week_start, (CivilDate{2026, 3, 30}));
  const Progress sunday = at_time(at(2026, 3, 29, 23, 59, 59));
  EXPECT_EQ(sunday.week_start, (CivilDate{2026, 3, 23}));
  EXPECT_EQ(sunday.this_week.working_s, 5 * kOfficeDayS + 23 * 3600 - 1);
}

TEST_F(ProgressDstTest, TheElapsedPartOfADstDayIsMeasuredInLocalTime) {
  // Noon on the spring-forward Sunday: 11 hours since local midnight (02:00-03:00 never was).
  const Progress spring = at_time(at(2026, 3, 29, 12, 0));
  EXPECT_EQ(spring.this_week.working_s, 5 * kOfficeDayS + 11 * 3600);
  // Noon on the fall-back Sunday: 13 hours (02:00-03:00 happened twice).
  const Progress autumn = at_time(at(2026, 10, 25, 12, 0));
  EXPECT_EQ(autumn.this_week.working_s, 5 * kOfficeDayS + 13 * 3600);
}

TEST_F(ProgressDstTest, TheWeekAfterFallBackComparesWithTheWhole25HourSunday) {
  history = {day({2026, 10, 25}, 0, 25 * 3600), day({2026, 11, 1}, 0, 12 * 3600)};
  // The Sunday after: last week's Sunday counts 25 working hours, all of them standing.
  const Progress p = at_time(at(2026, 11, 1, 12, 0));
  EXPECT_EQ(p.last_week.working_s, 5 * kOfficeDayS + 25 * 3600);
  EXPECT_EQ(p.last_week.stand_s, 25 * 3600);
  EXPECT_EQ(p.this_week.working_s, 5 * kOfficeDayS + 12 * 3600);
}

TEST_F(ProgressDstTest, StandingShareIsStandingOverTimeAtTheDeskAndNeverExceedsOne) {
  // A whole day standing, more than the working time so far: the share is 1, not more.
  history = {day({2026, 11, 29}, 0, 24 * 3600)};
  const Progress p = at_time(at(2026, 11, 29, 6, 0));
  EXPECT_DOUBLE_EQ(*p.this_week.stand_share(), 1.0);
  // Standing outside the windows counts like standing inside them.
  history = {day({2026, 11, 23}, 3 * 3600, 100000)};
  const Progress monday = at_time(at(2026, 11, 23, 10, 0));
  EXPECT_DOUBLE_EQ(*monday.this_week.stand_share(), 100000.0 / (100000.0 + 3 * 3600));
}

TEST_F(ProgressTest, PlanNamesTheWeekdayOfTheNextProgressionStep) {
  settings.progression = Progression{true, 5, 5, 7, 20, CivilDate{2026, 11, 16}};
  progression_start = CivilDate{2026, 11, 16};
  progression_start = settings.progression.start_date;
  const Progress p = at_time(at(2026, 12, 2, 12, 0));  // Wednesday: 15 min since 11-30
  EXPECT_TRUE(p.plan.progression);
  EXPECT_EQ(p.plan.minutes, 15);
  EXPECT_EQ(p.plan.target_minutes, 20);
  ASSERT_TRUE(p.plan.next);
  EXPECT_EQ(p.plan.next->date, (CivilDate{2026, 12, 7}));
  EXPECT_EQ(p.plan.next->minutes, 20);
  EXPECT_EQ(p.plan.text, "From Monday you stand 20 min each period");
  EXPECT_EQ(at_time(at(2026, 12, 6, 12, 0)).plan.text,
            "From tomorrow you stand 20 min each period");
  const Progress done = at_time(at(2026, 12, 7, 12, 0));
  EXPECT_FALSE(done.plan.next);
  EXPECT_EQ(done.plan.text, "You stand 20 min each period (the progression's target)");
}

TEST_F(ProgressTest, PlanWithoutProgressionIsTheStandMinutes) {
  settings.stand_minutes = 25;
  const Progress p = at_time(at(2026, 12, 2, 12, 0));
  EXPECT_FALSE(p.plan.progression);
  EXPECT_EQ(p.plan.minutes, 25);
  EXPECT_FALSE(p.plan.next);
  EXPECT_EQ(p.plan.text, "You stand 25 min each period");
}

TEST_F(ProgressTest, PlanStepsMoreThanAWeekAheadGiveTheDate) {
  settings.progression = Progression{true, 5, 5, 14, 20, std::nullopt};  // starts today
  const Progress p = at_time(at(2026, 12, 2, 12, 0));
  EXPECT_EQ(p.plan.minutes, 5);
  ASSERT_TRUE(p.plan.next);
  EXPECT_EQ(p.plan.next->date, (CivilDate{2026, 12, 16}));
  EXPECT_EQ(p.plan.text, "From 2026-12-16 you stand 10 min each period");
}

}  // namespace
}  // namespace deskd::core::testing

namespace deskd::core::testing {
namespace {

DayStats answered(CivilDate d, int sum, int answers) {
  DayStats s{d};
  s.comfort_sum = sum;
  s.comfort_answers = answers;
  return s;
}

// Issue 24 §3: comfort this week against the same part of last week, and the progression's
// decision with its reason, from the same statistics.
TEST_F(ProgressTest, ComfortComparesThisWeekWithLastAndThePlanSaysWhyItHeld) {
  settings.progression = Progression{true, 5, 5, 7, 20, CivilDate{2026, 11, 16}};
  progression_start = CivilDate{2026, 11, 16};
  history = {answered({2026, 11, 24}, 8, 2), answered({2026, 11, 26}, 4, 1),  // last week: 4
             answered({2026, 11, 30}, 3, 1), answered({2026, 12, 1}, 3, 1)};  // this week: 3
  const Progress p = at_time(local_to_wall({2026, 12, 2}, 12 * 60));          // Wednesday
  ASSERT_TRUE(p.comfort.this_week && p.comfort.last_week);
  EXPECT_DOUBLE_EQ(*p.comfort.this_week, 3.0);
  EXPECT_DOUBLE_EQ(*p.comfort.last_week, 4.0);  // Mon-Wed of last week: the 24th counts twice
  EXPECT_EQ(p.comfort.trend, Trend::kDown);
  EXPECT_EQ(p.comfort.answers_this_week, 2);
  // Step dates 11-23 (advance to 10, no answers) and 11-30 (the week 11-23..29: comfort 4 against
  // none before: advance to 15). Comfort 3 this week: the next step date (12-07) will decide.
  EXPECT_EQ(p.plan.minutes, 15);
  ASSERT_TRUE(p.plan.decision);
  EXPECT_EQ(p.plan.decision->kind, ProgressionDecisionKind::kAdvance);
  EXPECT_EQ(p.plan.decision->reason, "stepped up to 15 min: comfort steady at 4 this week");
  const Progress later = at_time(local_to_wall({2026, 12, 7}, 12 * 60));  // the next step date
  EXPECT_EQ(later.plan.minutes, 15);
  EXPECT_EQ(later.plan.decision->reason, "holding at 15 min: comfort fell from 4 to 3 this week");
  EXPECT_EQ(later.streak.today_minutes, 15);
}

TEST_F(ProgressTest, WithoutAnswersComfortIsUnknownAndThePlanAsBefore) {
  settings.progression = Progression{true, 5, 5, 7, 20, CivilDate{2026, 11, 16}};
  progression_start = CivilDate{2026, 11, 16};
  const Progress p = at_time(local_to_wall({2026, 12, 2}, 12 * 60));
  EXPECT_FALSE(p.comfort.this_week);
  EXPECT_FALSE(p.comfort.trend);
  EXPECT_EQ(p.plan.minutes, 15);
  EXPECT_EQ(p.plan.decision->reason,
            "stepped up to 15 min: no comfort answers this week, the plan goes on");
}

TEST(ProgressionTable, GivesTheWalkedMinutesOfEveryDate) {
  ScheduleSettings s;
  s.progression = Progression{true, 5, 5, 7, 30, CivilDate{2026, 1, 5}};
  ComfortLog log;
  for (int i = 0; i < 300; i += 3)
    log.push_back({add_days({2026, 1, 5}, i), i % 9 == 0 ? 2.0 : 4.0});
  const ProgressionTable table(s, CivilDate{2026, 1, 5}, {2026, 11, 1}, log);
  for (int i = -5; i < 320; ++i) {
    const CivilDate d = add_days({2026, 1, 5}, i);
    EXPECT_EQ(table.minutes_on(d), progression_minutes_on(s, CivilDate{2026, 1, 5}, d, log)) << i;
  }
}

}  // namespace
}  // namespace deskd::core::testing
