#include "core/posture_stats.h"

#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

constexpr Posture kSit = Posture::kSitting;
constexpr Posture kStand = Posture::kStanding;
constexpr Posture kBetween = Posture::kBetween;

ScheduleEvent event(ScheduleEventKind kind) {
  ScheduleEvent e;
  e.kind = kind;
  return e;
}

// Feeds postures with both clocks advancing together unless told otherwise.
class PostureStatsTest : public ::testing::Test {
 protected:
  TzGuard tz_{"Europe/Berlin"};
  PostureStats stats;
  WallTime wall;
  SteadyTime steady = SteadyTime{} + 5000h;

  void begin(WallTime t, Posture p) {
    wall = t;
    stats.update(p, wall, steady);
  }
  void then(std::chrono::seconds d, Posture p) {
    wall += d;
    steady += d;
    stats.update(p, wall, steady);
  }
  DayStats day(int y, int m, int d) const { return stats.day(CivilDate{y, m, d}); }
};

TEST_F(PostureStatsTest, SecondsSplitAtLocalMidnight) {
  begin(at(2026, 11, 22, 23, 30), kSit);
  then(3600s, kSit);
  EXPECT_EQ(day(2026, 11, 22).sit_s, 1800);
  EXPECT_EQ(day(2026, 11, 23).sit_s, 1800);
  EXPECT_EQ(day(2026, 11, 22).longest_sit_s, 1800);
  EXPECT_EQ(day(2026, 11, 23).longest_sit_s, 1800);
}

TEST_F(PostureStatsTest, FallBackDayHasTwentyFiveHours) {
  begin(at(2026, 10, 25, 0, 0), kStand);
  for (int i = 0; i < 25 * 60; ++i) then(60s, kStand);
  EXPECT_EQ(day(2026, 10, 25).stand_s, 25 * 3600);
  EXPECT_EQ(day(2026, 10, 26).stand_s, 0);
}

TEST_F(PostureStatsTest, SubSecondUpdatesDoNotLoseTime) {
  begin(at(2026, 11, 23, 9, 0), kSit);
  for (int i = 0; i < 1000; ++i) {
    wall += 700ms;
    steady += 700ms;
    stats.update(kSit, wall, steady);
  }
  EXPECT_EQ(day(2026, 11, 23).sit_s, 700);
}

TEST_F(PostureStatsTest, TransitionsCountSitStandChangesButNotPassingThroughBetween) {
  begin(at(2026, 11, 23, 9, 0), kSit);
  then(600s, kBetween);
  then(10s, kStand);  // 1
  then(600s, kBetween);
  then(10s, kStand);   // back without reaching sitting: none
  then(600s, kSit);    // 2
  then(600s, kStand);  // 3
  const DayStats d = day(2026, 11, 23);
  EXPECT_EQ(d.transitions, 3);
  EXPECT_EQ(d.sit_s, 1200);
  EXPECT_EQ(d.stand_s, 1200);
}

TEST_F(PostureStatsTest, LongestSitStretchEndsOnlyWhenStanding) {
  begin(at(2026, 11, 23, 9, 0), kSit);
  then(600s, kBetween);  // 10 min sitting
  then(300s, kSit);      // between: neither counted nor ending the stretch
  then(600s, kStand);    // stretch 20 min
  then(300s, kSit);
  then(900s, kStand);  // 15 min
  EXPECT_EQ(day(2026, 11, 23).longest_sit_s, 1200);
  EXPECT_EQ(day(2026, 11, 23).sit_s, 2100);
}

TEST_F(PostureStatsTest, ClockJumpsAndSuspendAddOnlyElapsedSteadyTime) {
  begin(at(2026, 11, 23, 9, 0), kSit);
  wall += 3h;  // NTP correction or resume from suspend: only 60 s really passed
  steady += 60s;
  stats.update(kSit, wall, steady);
  EXPECT_EQ(day(2026, 11, 23).sit_s, 60);
  wall -= 2h;  // back again
  steady += 30s;
  stats.update(kSit, wall, steady);
  EXPECT_EQ(day(2026, 11, 23).sit_s, 90);
}

TEST_F(PostureStatsTest, UnknownPostureIsNotCounted) {
  begin(at(2026, 11, 23, 9, 0), Posture::kUnknown);
  then(3600s, kSit);
  then(60s, kSit);
  EXPECT_EQ(day(2026, 11, 23).sit_s, 60);
  EXPECT_EQ(day(2026, 11, 23).stand_s, 0);
}

TEST_F(PostureStatsTest, ScheduleEventsAreCountedOnTheirLocalDay) {
  const WallTime t = at(2026, 11, 23, 23, 59);
  stats.record(event(ScheduleEventKind::kAutoMove), t);
  stats.record(event(ScheduleEventKind::kAutoMove), t);
  stats.record(event(ScheduleEventKind::kDeclined), t);
  stats.record(event(ScheduleEventKind::kSnoozed), t + 2min);
  stats.record(event(ScheduleEventKind::kWarning), t);
  EXPECT_EQ(day(2026, 11, 23).auto_moves, 2);
  EXPECT_EQ(day(2026, 11, 23).declined, 1);
  EXPECT_EQ(day(2026, 11, 23).snoozed, 0);
  EXPECT_EQ(day(2026, 11, 24).snoozed, 1);
  EXPECT_EQ(stats.today(t + 2min).snoozed, 1);
}

TEST_F(PostureStatsTest, KeepsFourHundredDaysAndDropsOlder) {
  begin(at(2025, 1, 1, 12, 0), kSit);
  for (int i = 0; i < 500; ++i) then(24h, kSit);
  const auto& h = stats.history();
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(days_between(h.front().date, h.back().date), PostureStats::kKeepDays);
  EXPECT_EQ(stats.last_days(30).size(), 30u);
  EXPECT_EQ(stats.last_days(30).back().date, h.back().date);
}

TEST_F(PostureStatsTest, RestoredHistoryContinues) {
  PostureStats restored({DayStats{{2026, 11, 23}, 100, 50, 2, 1, 0, 0, 100}});
  restored.update(kSit, at(2026, 11, 23, 10, 0), steady);
  restored.update(kSit, at(2026, 11, 23, 10, 1), steady + 60s);
  EXPECT_EQ(restored.day({2026, 11, 23}).sit_s, 160);
  EXPECT_EQ(restored.day({2026, 11, 23}).auto_moves, 1);
}

// A year of history, then the wall clock is set five years ahead while one steady minute passes.
std::vector<DayStats> year_of_history() {
  std::vector<DayStats> h;
  for (int i = 0; i < 365; ++i) h.push_back(DayStats{add_days({2025, 11, 1}, i), 600, 300, 2});
  return h;
}

TEST_F(PostureStatsTest, FutureDateJumpDropsNoMoreDaysThanReallyPassed) {
  PostureStats restored(year_of_history());
  restored.update(kSit, at(2026, 10, 31, 10, 0), steady);
  restored.update(kSit, at(2031, 10, 31, 10, 0), steady + 60s);  // only a minute really passed
  ASSERT_GE(restored.history().size(), 365u);
  EXPECT_EQ(restored.history().front().date, (CivilDate{2025, 11, 1}));
}

TEST_F(PostureStatsTest, FutureDateOnAnUntrustedClockPrunesNothing) {
  PostureStats restored(year_of_history());
  restored.update(kSit, at(2026, 10, 31, 10, 0), steady, false);
  // Even if the steady clock says the days passed: an untrusted date is never a reason to drop.
  restored.update(kSit, at(2031, 10, 31, 10, 0), steady + 2000 * 24h, false);
  EXPECT_EQ(restored.history().front().date, (CivilDate{2025, 11, 1}));
}

TEST_F(PostureStatsTest, TrustedDaysThatReallyPassedStillPruneOldHistory) {
  PostureStats restored(year_of_history());
  restored.update(kSit, at(2026, 10, 31, 10, 0), steady);
  restored.update(kSit, at(2027, 3, 1, 10, 0), steady + 121 * 24h);
  EXPECT_EQ(days_between(restored.history().front().date, restored.history().back().date),
            PostureStats::kKeepDays);
}

}  // namespace
}  // namespace deskd::core::testing
