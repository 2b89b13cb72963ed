// The progression listens to comfort (issue 24 §3): it advances when comfort is steady or
// better, holds when it gets worse or is low, and steps back after two bad days in a row.
#include <gtest/gtest.h>

#include "core/local_time.h"
#include "core/progression.h"

namespace deskd::core {
namespace {

// Progression 5 -> 20 min by 5 every 7 days, from Monday 2026-11-02 (step dates 11-09, 11-16,
// 11-23).
const CivilDate kStart{2026, 11, 2};

ScheduleSettings weekly() {
  ScheduleSettings s;
  s.progression = Progression{true, 5, 5, 7, 20, kStart};
  return s;
}

CivilDate day(int n) { return add_days(kStart, n); }  // day(0) = the start

// One answer per listed day: {day index, comfort}.
ComfortLog answers(std::initializer_list<std::pair<int, double>> list) {
  ComfortLog log;
  for (const auto& [n, mean] : list) log.push_back({day(n), mean});
  return log;
}

struct Case {
  const char* name;
  ComfortLog comfort;
  int on_day;  // the date asked for
  int minutes;
  ProgressionDecisionKind kind;
  const char* reason;
};

class ProgressionComfort : public ::testing::TestWithParam<Case> {};

TEST_P(ProgressionComfort, DecidesFromTheComfortOfTheLastDays) {
  const Case& c = GetParam();
  const ProgressionCourse course = progression_course(weekly(), kStart, day(c.on_day), c.comfort);
  EXPECT_EQ(course.minutes, c.minutes);
  ASSERT_TRUE(course.last.has_value());
  EXPECT_EQ(course.last->kind, c.kind);
  EXPECT_EQ(course.last->reason, c.reason);
  EXPECT_EQ(progression_minutes_on(weekly(), kStart, day(c.on_day), c.comfort), c.minutes);
}

INSTANTIATE_TEST_SUITE_P(
    Sequences, ProgressionComfort,
    ::testing::Values(Case{"NoAnswersAdvanceAsBefore",
                           {},
                           7,
                           10,
                           ProgressionDecisionKind::kAdvance,
                           "stepped up to 10 min: no comfort answers this week, the plan goes on"},
                      Case{"SteadyAdvances", answers({{1, 4}, {3, 4}, {5, 4}}), 7, 10,
                           ProgressionDecisionKind::kAdvance,
                           "stepped up to 10 min: comfort steady at 4 this week"},
                      Case{"BetterAdvances", answers({{1, 3}, {3, 3}, {8, 4}, {10, 4}}), 14, 15,
                           ProgressionDecisionKind::kAdvance,
                           "stepped up to 15 min: comfort rose from 3 to 4 this week"},
                      Case{"SlightlyLowerIsStillSteady", answers({{1, 4}, {8, 4}, {10, 3.6}}), 14,
                           15, ProgressionDecisionKind::kAdvance,
                           "stepped up to 15 min: comfort steady at 3.8 this week"},
                      Case{"WorseHolds", answers({{1, 4}, {3, 4}, {8, 3}, {10, 3}}), 14, 10,
                           ProgressionDecisionKind::kHold,
                           "holding at 10 min: comfort fell from 4 to 3 this week"},
                      Case{"LowHolds", answers({{1, 2}, {4, 3}, {5, 1}}), 7, 5,
                           ProgressionDecisionKind::kHold,
                           "holding at 5 min: comfort is low (2) this week"},
                      Case{"HeldThenSteadyAdvancesAWeekLater", answers({{1, 4}, {8, 3}, {15, 3}}),
                           21, 15, ProgressionDecisionKind::kAdvance,
                           "stepped up to 15 min: comfort steady at 3 this week"},
                      Case{"TwoBadDaysInARowStepBack", answers({{8, 2}, {9, 1}}), 10, 5,
                           ProgressionDecisionKind::kStepBack,
                           "stepped back to 5 min: two bad days in a row (comfort 2 and 1)"},
                      Case{"BadDaysAcrossAWeekendAreInARow", answers({{11, 4}, {12, 2}, {15, 2}}),
                           16, 10, ProgressionDecisionKind::kStepBack,
                           "stepped back to 10 min: two bad days in a row (comfort 2 and 2)"},
                      Case{"AtTheStartTwoBadDaysHold", answers({{1, 1}, {2, 2}}), 3, 5,
                           ProgressionDecisionKind::kHold,
                           "holding at 5 min: two bad days in a row (comfort 1 and 2)"}),
    [](const auto& info) { return info.param.name; });

// A step back happens once per two bad days; the step date after it holds.
TEST(ProgressionComfortCourse, AfterAStepBackTheRunCountsAgain) {
  const ComfortLog log = answers({{8, 2}, {9, 2}, {10, 2}, {11, 4}});
  EXPECT_EQ(progression_minutes_on(weekly(), kStart, day(9), log), 10);  // one bad day
  EXPECT_EQ(progression_minutes_on(weekly(), kStart, day(10), log), 5);  // two: back
  EXPECT_EQ(progression_minutes_on(weekly(), kStart, day(11), log), 5);  // a third: no more
  const auto course = progression_course(weekly(), kStart, day(14), log);
  EXPECT_EQ(course.minutes, 5);
  EXPECT_EQ(course.last->reason, "holding at 5 min: two bad days in a row this week");
}

TEST(ProgressionComfortCourse, OneGoodDayBetweenTwoBadOnesBreaksTheRun) {
  const ComfortLog log = answers({{8, 2}, {9, 4}, {10, 2}});
  EXPECT_EQ(progression_minutes_on(weekly(), kStart, day(11), log), 10);
}

TEST(ProgressionComfortCourse, AnswersBeforeTheStartDoNotCount) {
  const ComfortLog log = answers({{-3, 1}, {-2, 1}});
  EXPECT_EQ(progression_minutes_on(weekly(), kStart, day(7), log), 10);
  EXPECT_EQ(progression_course(weekly(), kStart, day(7), log).last->kind,
            ProgressionDecisionKind::kAdvance);
}

TEST(ProgressionComfortCourse, WithoutAnswersMatchesThePlanEveryDayOfAYear) {
  for (int n = -3; n < 400; ++n) {
    const auto course = progression_course(weekly(), kStart, day(n), {});
    EXPECT_EQ(course.minutes, progression_minutes_on(weekly(), kStart, day(n))) << n;
  }
}

TEST(ProgressionComfortCourse, TheNextStepAssumesSteadyComfortFromTodaysMinutes) {
  const ComfortLog log = answers({{1, 4}, {3, 4}, {8, 3}, {10, 3}});  // held at 10 on day 14
  const auto next = next_progression_step(weekly(), kStart, day(15), log);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->date, day(21));
  EXPECT_EQ(next->minutes, 15);
}

TEST(ProgressionComfortCourse, TheAnswerOfADayCountsFromTheNextDay) {
  const ComfortLog log = answers({{6, 1}, {7, 1}});  // the second bad day is a step date
  EXPECT_EQ(progression_minutes_on(weekly(), kStart, day(7), log), 5);  // low: hold
  EXPECT_EQ(progression_minutes_on(weekly(), kStart, day(8), log), 5);  // back: at the start
}

}  // namespace
}  // namespace deskd::core
