// Natural breaks (issue 24 §2): with an activity topic, a change that falls due waits up to
// break_wait_minutes for the person's pause (break_idle_seconds without input) and is then warned
// at once; no pause in time, no topic or an unknown activity: warned as without it. A locked
// session is absence (Desk sets present = false; see desk_test), not a pause.
#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

class SchedulePauseTest : public ScheduleTest {
 protected:
  SchedulePauseTest() {
    settings.sit_minutes = 30;  // from 09:00: the warning at 28, the move at 30
    settings.warn_seconds = 120;
    settings.activity_topic = "office/pc/activity";
    settings.break_wait_minutes = 10;
    settings.break_idle_seconds = 60;
  }
  std::size_t count(const char* type) const { return events_of(type).size(); }
  TzGuard tz{"UTC0"};
};

// Minutes after 09:00 (the period's start). idle_from: the person stops typing (-1: never);
// idle_until: types again (-1: stays idle); away_from..away_until: the session is locked.
struct PauseCase {
  const char* name;
  bool topic;
  bool known;
  double idle_from;
  double idle_until;
  int away_from;
  int away_until;
  int run_min;
  std::size_t warnings;
  std::size_t deferred;
  std::size_t moves;
  int first_move_min;  // -1: no move
  bool at_pause;       // the warning and the move came at a pause
};

class PauseTable : public SchedulePauseTest, public ::testing::WithParamInterface<PauseCase> {
 protected:
  // Applies what changed at minute `m` (in whole-second steps of the table).
  void apply(const PauseCase& c, WallTime t0, double m) {
    const auto at = t0 + std::chrono::seconds(static_cast<int>(m * 60));
    if (m == c.idle_from) in.idle_since = at;
    if (m == c.idle_until) in.idle_since.reset();
    if (m == c.away_from) in.present = false;
    if (m == c.away_until) in.present = true;
  }
};

TEST_P(PauseTable, TheChangeComesAtThePersonsPauseOrAfterTheWait) {
  const PauseCase& c = GetParam();
  if (!c.topic) settings.activity_topic.clear();
  start(at(2026, 11, 23, 9, 0));  // a Monday, sitting
  const WallTime t0 = in.wall;
  in.activity_known = c.known;
  std::vector<double> marks{c.idle_from, c.idle_until, double(c.away_from), double(c.away_until)};
  std::sort(marks.begin(), marks.end());
  for (double m : marks) {
    if (m < 0) continue;
    run_until(t0 + std::chrono::seconds(static_cast<int>(m * 60)));
    apply(c, t0, m);
    step();
  }
  run_until(t0 + std::chrono::minutes(c.run_min));
  EXPECT_EQ(count("warning"), c.warnings) << c.name;
  EXPECT_EQ(count("deferred"), c.deferred) << c.name;
  ASSERT_EQ(moves.size(), c.moves) << c.name;
  if (c.first_move_min < 0) return;
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::minutes>(moves[0].at - t0).count(),
            c.first_move_min)
      << c.name;
  const auto warning = events_of("warning").front().event;
  EXPECT_EQ(warning.cause == ChangeCause::kPause, c.at_pause) << c.name;
  EXPECT_EQ(warning.detail, c.at_pause ? "pause" : "") << c.name;
  const auto auto_move = events_of("auto_move").front().event;
  EXPECT_EQ(auto_move.cause == ChangeCause::kPause, c.at_pause) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, PauseTable,
    ::testing::Values(
        // No topic, or nothing known yet: warned at 28, moved at 30, as without natural breaks.
        PauseCase{"no topic", false, true, -1, -1, -1, -1, 31, 1, 0, 1, 30, false},
        PauseCase{"activity unknown", true, false, -1, -1, -1, -1, 31, 1, 0, 1, 30, false},
        // Typing at 28: the change waits; idle from 31, a minute later it is a pause: warned at
        // 32, moved at 34.
        PauseCase{"a pause before the wait ends", true, true, 31, -1, -1, -1, 35, 1, 1, 1, 34,
                  true},
        // Idle since 27: at 28 the pause is already a minute long: warned at once, no waiting.
        PauseCase{"already pausing when due", true, true, 27, -1, -1, -1, 31, 1, 0, 1, 30, true},
        // Typing throughout: the wait ends at 38: warned then, moved at 40.
        PauseCase{"no pause at all", true, true, -1, -1, -1, -1, 41, 1, 1, 1, 40, false},
        // 30 s without input is not a pause: the same as no pause.
        PauseCase{"a pause too short", true, true, 31, 31.5, -1, -1, 41, 1, 1, 1, 40, false},
        // Locked at 31 (absent): nothing during the lock; back at 50, a fresh sitting period.
        PauseCase{"locked during the wait", true, true, -1, -1, 31, 50, 70, 0, 1, 0, -1, false}),
    [](const ::testing::TestParamInfo<PauseCase>& i) {
      std::string n = i.param.name;
      for (char& ch : n) {
        if (ch == ' ') ch = '_';
      }
      return n;
    });

TEST_F(SchedulePauseTest, WhileWaitingTheStatusSaysSoAndWhenItComesAtTheLatest) {
  in.activity_known = true;
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 9, 29));
  const auto st = status();
  EXPECT_EQ(st.phase, SchedulePhase::kCounting);
  EXPECT_EQ(st.reason, "waiting for a pause");
  EXPECT_EQ(st.next_change, at(2026, 11, 23, 9, 38));
  EXPECT_EQ(st.next_posture, Posture::kStanding);
  ASSERT_EQ(count("deferred"), 1u);
  EXPECT_EQ(events_of("deferred").front().event.detail, "pause");
}

// The wait never carries a change past the working window (09:00-12:00, 13:00-17:30): due at
// 11:48 while typing, the wait would end at 11:58, when a warned move no longer fits before noon.
TEST_F(SchedulePauseTest, AWaitThatRunsIntoTheEndOfTheWindowNeverMovesOutsideIt) {
  in.activity_known = true;
  start(at(2026, 11, 23, 11, 20));
  run_until(at(2026, 11, 23, 11, 59));
  EXPECT_EQ(count("deferred"), 1u);
  in.idle_since = in.wall;  // a pause from 11:59: too late to warn and move before noon
  step();
  run_until(at(2026, 11, 23, 13, 5));
  EXPECT_EQ(count("warning"), 0u);
  EXPECT_TRUE(moves.empty());
  EXPECT_EQ(status().phase, SchedulePhase::kCounting);  // a fresh period from 13:00
}

TEST_F(SchedulePauseTest, ConfirmModePromptsAtThePause) {
  settings.mode = ScheduleMode::kConfirm;
  in.activity_known = true;
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 9, 33));
  EXPECT_EQ(count("prompt"), 0u);
  in.idle_since = in.wall;  // the activity topic says idle (Desk updates the schedule)
  step();
  run_until(at(2026, 11, 23, 9, 34, 5));
  ASSERT_EQ(count("prompt"), 1u);
  EXPECT_EQ(events_of("prompt").front().at, at(2026, 11, 23, 9, 34));
  EXPECT_EQ(events_of("prompt").front().event.cause, ChangeCause::kPause);
}

TEST_F(SchedulePauseTest, MovesAtAPauseAreCountedAndWaitsAreNotBusyDeferrals) {
  PostureStats s;
  stats = &s;
  in.activity_known = true;
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 9, 31));
  in.idle_since = in.wall;
  step();
  run_until(at(2026, 11, 23, 9, 35));  // warned at 32, moved at 34
  in.idle_since.reset();               // typing again
  step();
  run_until(at(2026, 11, 23, 10, 5));  // standing 20 min: due at 52, no pause, moved at 64
  const DayStats today = s.today(in.wall);
  EXPECT_EQ(today.auto_moves, 2);
  EXPECT_EQ(today.auto_moves_at_pause, 1);
  EXPECT_EQ(today.deferred_busy, 0);
}

}  // namespace
}  // namespace deskd::core::testing
