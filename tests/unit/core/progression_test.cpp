#include "core/progression.h"

#include <gtest/gtest.h>

#include "core/local_time.h"
#include "core/scheduler.h"

namespace deskd::core {
namespace {

ScheduleSettings with_progression(std::optional<CivilDate> start) {
  ScheduleSettings s;
  s.progression = Progression{true, 5, 5, 7, 20, start};
  return s;
}

TEST(Progression, GrowsByOneStepPerFullPeriodUpToTheTarget) {
  const CivilDate start{2026, 11, 2};
  const ScheduleSettings s = with_progression(start);
  EXPECT_EQ(progression_minutes_on(s, start, {2026, 11, 1}), 5);  // before the start
  EXPECT_EQ(progression_minutes_on(s, start, {2026, 11, 8}), 5);
  EXPECT_EQ(progression_minutes_on(s, start, {2026, 11, 9}), 10);
  EXPECT_EQ(progression_minutes_on(s, start, {2026, 11, 23}), 20);
  EXPECT_EQ(progression_minutes_on(s, start, {2027, 6, 1}), 20);
  EXPECT_EQ(progression_minutes_on(s, std::nullopt, {2027, 6, 1}), 5);  // not started yet
}

TEST(Progression, WithoutProgressionTheStandMinutesApply) {
  ScheduleSettings s;
  s.stand_minutes = 25;
  EXPECT_EQ(progression_minutes_on(s, CivilDate{2026, 1, 1}, {2026, 11, 23}), 25);
  EXPECT_FALSE(next_progression_step(s, CivilDate{2026, 1, 1}, {2026, 11, 23}));
}

TEST(Progression, MatchesTheSchedulersStandingMinutes) {
  const ScheduleSettings s = with_progression(CivilDate{2026, 11, 2});
  const Scheduler scheduler(s);
  for (int i = -3; i < 40; ++i) {
    const CivilDate d = add_days({2026, 11, 2}, i);
    EXPECT_EQ(progression_minutes_on(s, scheduler.progression_start(), d),
              scheduler.stand_minutes_on(d))
        << format_date(d);
  }
}

TEST(Progression, NextStepIsTheNextPeriodBoundary) {
  const CivilDate start{2026, 11, 2};
  const ScheduleSettings s = with_progression(start);
  EXPECT_EQ(next_progression_step(s, start, {2026, 11, 2}), (ProgressionStep{{2026, 11, 9}, 10}));
  EXPECT_EQ(next_progression_step(s, start, {2026, 11, 8}), (ProgressionStep{{2026, 11, 9}, 10}));
  EXPECT_EQ(next_progression_step(s, start, {2026, 11, 9}), (ProgressionStep{{2026, 11, 16}, 15}));
  // Before a start date in the future the minutes stay start_minutes through the first period.
  EXPECT_EQ(next_progression_step(s, start, {2026, 10, 20}), (ProgressionStep{{2026, 11, 9}, 10}));
  EXPECT_FALSE(next_progression_step(s, start, {2026, 11, 16 + 7}));  // at the target
}

TEST(Progression, AnUnstartedProgressionStartsToday) {
  const ScheduleSettings s = with_progression(std::nullopt);
  EXPECT_EQ(next_progression_step(s, std::nullopt, {2026, 12, 2}),
            (ProgressionStep{{2026, 12, 9}, 10}));
}

TEST(Progression, TheLastStepStopsAtTheTarget) {
  ScheduleSettings s = with_progression(CivilDate{2026, 11, 2});
  s.progression.step_minutes = 10;
  s.progression.target_minutes = 18;
  EXPECT_EQ(next_progression_step(s, CivilDate{2026, 11, 2}, {2026, 11, 10}),
            (ProgressionStep{{2026, 11, 16}, 18}));
}

}  // namespace
}  // namespace deskd::core
