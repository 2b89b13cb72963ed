// Natural breaks across DST (issue 24 "DST and midnight boundaries"): the wait for a pause is
// measured in elapsed time, so a change that waits across a clock change comes after
// break_wait_minutes of real time, whatever the wall clock reads.
#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

struct PauseDstCase {
  const char* name;
  const char* zone;
  CivilDate day;
  int idle_from_min;   // elapsed minutes after 01:00 when the person stops typing; -1: never
  int move_after_min;  // elapsed minutes after 01:00 of the first (automatic) change
  const char* local_move_time;  // what the wall clock reads then
  bool at_pause;
};

class SchedulePauseDst : public ScheduleTest, public ::testing::WithParamInterface<PauseDstCase> {
 protected:
  SchedulePauseDst() {
    settings.windows = {};
    settings.sit_minutes = 50;  // due at 01:50 elapsed: the warning at 48
    settings.warn_seconds = 120;
    settings.activity_topic = "office/pc/activity";
    settings.break_wait_minutes = 20;  // the wait: 48..68 elapsed, across the change at 60
    settings.break_idle_seconds = 60;
  }
  TzGuard tz_{GetParam().zone};
};

TEST_P(SchedulePauseDst, TheWaitForAPauseIsElapsedTimeAcrossTheClockChange) {
  const PauseDstCase& c = GetParam();
  settings.windows[static_cast<std::size_t>(weekday(c.day))] = {*parse_window("01:00-06:00")};
  in.activity_known = true;
  const WallTime begin = local_to_wall(c.day, 60);
  start(begin);
  if (c.idle_from_min >= 0) {
    run_until(begin + std::chrono::minutes(c.idle_from_min));
    in.idle_since = in.wall;  // the activity topic says idle (Desk updates the schedule)
    step();
  }
  run_until(begin + std::chrono::minutes(90));
  ASSERT_FALSE(moves.empty()) << c.name;
  EXPECT_EQ(moves[0].at - begin, std::chrono::minutes(c.move_after_min)) << c.name;
  EXPECT_EQ(format_iso8601_local(moves[0].at).substr(11, 5), c.local_move_time) << c.name;
  ASSERT_FALSE(events_of("warning").empty());
  EXPECT_EQ(events_of("warning").front().event.cause == ChangeCause::kPause, c.at_pause) << c.name;
  EXPECT_TRUE(events_of("clock_jump").empty()) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, SchedulePauseDst,
    ::testing::Values(
        // Typing throughout: waits 48..68 elapsed, warned at 68, moved at 70. In Berlin on
        // 2026-03-29 the clock jumps from 02:00 to 03:00 at 60 elapsed: the move reads 03:10.
        PauseDstCase{
            "BerlinSpringForwardNoPause", "Europe/Berlin", {2026, 3, 29}, -1, 70, "03:10", false},
        // On 2026-10-25 02:00-03:00 happens twice: 70 elapsed minutes after 01:00 is the first
        // 02:10.
        PauseDstCase{
            "BerlinFallBackNoPause", "Europe/Berlin", {2026, 10, 25}, -1, 70, "02:10", false},
        // Idle from 63 elapsed, after the jump (a pause one minute later): warned at 64, moved
        // at 66 = 03:06 CEST.
        PauseDstCase{"BerlinSpringForwardPauseAfterTheJump",
                     "Europe/Berlin",
                     {2026, 3, 29},
                     63,
                     66,
                     "03:06",
                     true},
        PauseDstCase{"NewYorkSpringForwardNoPause",
                     "America/New_York",
                     {2026, 3, 8},
                     -1,
                     70,
                     "03:10",
                     false},
        // New York on 2026-11-01: 01:00-02:00 happens twice; the pause comes in the repeat, so
        // the move reads 01:06, earlier than the 01:48 at which the change fell due.
        PauseDstCase{"NewYorkFallBackPauseInTheRepeatedHour",
                     "America/New_York",
                     {2026, 11, 1},
                     63,
                     66,
                     "01:06",
                     true}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace deskd::core::testing
