// The schedule against the clock: DST both ways in two zones, midnight, clock jumps, an
// untrusted clock, late wake-ups. Never a burst of changes or a double move.
#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

constexpr Posture kStand = Posture::kStanding;

// Sit 30 / stand 20 alternation starting sitting at `begin`, every change before `end`.
std::vector<WallTime> expected_changes(WallTime begin, WallTime end) {
  std::vector<WallTime> out;
  WallTime t = begin + 30min;
  bool sitting_next = false;
  while (t < end) {
    out.push_back(t);
    t += sitting_next ? 30min : 20min;
    sitting_next = !sitting_next;
  }
  return out;
}

struct DstCase {
  const char* name;
  const char* zone;
  CivilDate day;
  const char* window;
  std::chrono::minutes real_length;  // what the window lasts on that day
};

class ScheduleDst : public ScheduleTest, public ::testing::WithParamInterface<DstCase> {
 protected:
  TzGuard tz_{GetParam().zone};
};

TEST_P(ScheduleDst, ChangesFollowElapsedTimeAcrossTheTransition) {
  const DstCase& c = GetParam();
  const TimeWindow w = *parse_window(c.window);
  settings.windows = {};
  settings.windows[static_cast<std::size_t>(weekday(c.day))] = {w};
  const WallTime begin = local_to_wall(c.day, w.start_min);
  const WallTime end = local_to_wall(c.day, w.end_min);
  ASSERT_EQ(end - begin, c.real_length);
  start(local_to_wall(c.day, 0));
  run_until(local_to_wall(c.day, 8 * 60));
  std::vector<WallTime> times;
  for (const auto& m : moves) times.push_back(m.at);
  EXPECT_EQ(times, expected_changes(begin, end));
  EXPECT_EQ(events_of("warning").size(), moves.size());
  EXPECT_TRUE(events_of("clock_jump").empty());
  EXPECT_LT(steps, 100);
  EXPECT_EQ(status().phase, SchedulePhase::kOutsideHours);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ScheduleDst,
    ::testing::Values(
        DstCase{"BerlinSpringForward", "Europe/Berlin", {2026, 3, 29}, "01:00-05:00", 180min},
        DstCase{"BerlinFallBack", "Europe/Berlin", {2026, 10, 25}, "01:00-05:00", 300min},
        DstCase{
            "BerlinSpringGapWindowIsEmpty", "Europe/Berlin", {2026, 3, 29}, "02:00-03:00", 0min},
        DstCase{"BerlinFallBackHourTwice", "Europe/Berlin", {2026, 10, 25}, "02:00-03:00", 120min},
        DstCase{"NewYorkSpringForward", "America/New_York", {2026, 3, 8}, "01:00-05:00", 180min},
        DstCase{"NewYorkFallBack", "America/New_York", {2026, 11, 1}, "00:30-04:00", 270min},
        DstCase{
            "NewYorkSpringGapWindowIsEmpty", "America/New_York", {2026, 3, 8}, "02:00-03:00", 0min},
        DstCase{
            "NewYorkFallBackHourTwice", "America/New_York", {2026, 11, 1}, "01:00-02:00", 120min},
        DstCase{"TokyoNoDst", "Asia/Tokyo", {2026, 3, 29}, "01:00-05:00", 240min}),
    [](const auto& info) { return std::string(info.param.name); });

class ScheduleTime : public ScheduleTest, public ::testing::WithParamInterface<const char*> {
 protected:
  TzGuard tz_{GetParam()};
  static WallTime mon(int h, int m, int s = 0) { return at(2026, 11, 23, h, m, s); }
};

TEST_P(ScheduleTime, WindowsTouchingAtMidnightAreOneStretch) {
  settings.windows = {};
  settings.windows[5] = windows({"22:00-24:00"});
  settings.windows[6] = windows({"00:00-02:00"});
  start(at(2026, 11, 21, 21, 0));
  run_until(at(2026, 11, 22, 3, 0));
  std::vector<WallTime> times;
  for (const auto& m : moves) times.push_back(m.at);
  EXPECT_EQ(times, expected_changes(at(2026, 11, 21, 22, 0), at(2026, 11, 22, 2, 0)));
}

TEST_P(ScheduleTime, SyncFrom1970IsOneJumpAndAFreshPeriodWithoutAMove) {
  in.clock_trusted = false;
  start(WallTime{} + 10s);
  EXPECT_EQ(status().reason, "clock not synchronised");
  EXPECT_EQ(scheduler->next_wakeup(), std::nullopt);
  EXPECT_TRUE(scheduler->preview(in).empty());
  in.wall = mon(10, 0);
  in.steady += 5s;
  in.clock_trusted = true;
  step();
  const auto jumps = events_of("clock_jump");
  ASSERT_EQ(jumps.size(), 1u);
  // Wall advanced from 00:00:10 to mon(10, 0) while the steady clock advanced 5 s.
  EXPECT_EQ(
      jumps[0].event.seconds,
      std::chrono::duration_cast<std::chrono::seconds>(mon(10, 0).time_since_epoch()).count() - 15);
  EXPECT_TRUE(moves.empty());
  EXPECT_EQ(status().next_change, mon(10, 30));
  run_until(mon(10, 31));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(10, 30), kStand}}));
}

TEST_P(ScheduleTime, TrustedButImplausibleClockBlocks) {
  start(WallTime{} + 3600s);
  EXPECT_EQ(status().phase, SchedulePhase::kBlocked);
  EXPECT_EQ(status().reason, "clock obviously wrong");
  EXPECT_EQ(scheduler->pause_today(in), "clock not synchronised");
}

TEST_P(ScheduleTime, ResumeFromSuspendIsAJumpNotABurst) {
  start(mon(9, 0));
  run_until(mon(9, 20));
  in.wall += 2h;  // suspended: the steady clock stood still
  in.steady += 1s;
  step();
  ASSERT_EQ(events_of("clock_jump").size(), 1u);
  EXPECT_NEAR(static_cast<double>(events_of("clock_jump")[0].event.seconds), 7199.0, 1.0);
  EXPECT_TRUE(moves.empty());
  EXPECT_TRUE(events_of("warning").empty());
  EXPECT_EQ(status().next_change, in.wall + 30min);
  run_until(in.wall + 31min);
  EXPECT_EQ(moves.size(), 1u);
}

TEST_P(ScheduleTime, JumpBackDuringTheWarningNeverMovesTwice) {
  start(mon(9, 0));
  run_until(mon(9, 29, 45));
  ASSERT_EQ(status().phase, SchedulePhase::kWarning);
  in.wall -= 1h;
  in.steady += 1s;
  step();
  ASSERT_EQ(events_of("clock_jump").size(), 1u);
  EXPECT_LT(events_of("clock_jump")[0].event.seconds, -3590);
  EXPECT_EQ(status().phase, SchedulePhase::kOutsideHours);
  // 09:00 starts a fresh period: one move at 09:30, none at the jump.
  run_until(mon(9, 45));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(9, 30), kStand}}));
}

TEST_P(ScheduleTime, JumpBackInsideTheWindowRestartsThePeriodOnce) {
  start(mon(9, 0));
  run_until(mon(9, 25));
  in.wall -= 10min;
  in.steady += 1s;
  step();
  ASSERT_EQ(events_of("clock_jump").size(), 1u);
  EXPECT_EQ(status().next_change, mon(9, 45));
  run_until(mon(9, 50));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(9, 45), kStand}}));
}

TEST_P(ScheduleTime, DriftWithinToleranceIsNotAJump) {
  start(mon(9, 0));
  run_until(mon(9, 10));
  in.wall += 30s;
  step();
  EXPECT_TRUE(events_of("clock_jump").empty());
  EXPECT_EQ(status().next_change, mon(9, 30));
}

TEST_P(ScheduleTime, LateWakeupGivesAFullWarningAndOneMove) {
  start(mon(9, 0));
  pass(2h);  // the daemon was stalled; both clocks advanced
  step();
  EXPECT_TRUE(events_of("clock_jump").empty());
  EXPECT_TRUE(moves.empty());
  EXPECT_EQ(status().phase, SchedulePhase::kWarning);
  EXPECT_EQ(status().warning_remaining_s, 30);
  run_until(mon(11, 5));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(11, 0, 30), kStand}}));
}

TEST_P(ScheduleTime, PauseEndsAtLocalMidnight) {
  start(mon(15, 0));
  ASSERT_EQ(scheduler->pause_today(in), std::nullopt);
  EXPECT_EQ(scheduler->memory().paused_until, at(2026, 11, 24, 0, 0));
  step();
  run_until(at(2026, 11, 24, 9, 31));
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].at, at(2026, 11, 24, 9, 30));
  EXPECT_EQ(moves[0].posture, kStand);
}

INSTANTIATE_TEST_SUITE_P(Zones, ScheduleTime,
                         ::testing::Values("Europe/Berlin", "America/New_York"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& ch : n) {
                             if (ch == '/') ch = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace deskd::core::testing
