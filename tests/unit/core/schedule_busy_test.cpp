// Busy (issue 24 §1): a call or a meeting holds every warning, prompt and automatic move; a change
// that falls due waits until free, at most busy_max_defer_minutes, then is skipped and counted.
#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

class ScheduleBusyTest : public ScheduleTest {
 protected:
  ScheduleBusyTest() {
    settings.sit_minutes = 30;
    settings.warn_seconds = 120;
    settings.busy_max_defer_minutes = 20;
  }
  void set_busy(bool busy) {
    in.busy = busy;
    step();
  }
  std::size_t count(const char* type) const { return events_of(type).size(); }
  TzGuard tz{"UTC0"};
};

// The rules as a table: when busy starts and ends (minutes after 09:00, the period's start; the
// change falls due at 09:28 with its two-minute warning, the move at 09:30), and what happens.
struct BusyCase {
  const char* name;
  int busy_from_min;  // -1: never busy
  int busy_until_min;
  int run_min;
  std::size_t warnings;
  std::size_t deferred;
  std::size_t declined;
  std::size_t moves;
  int first_move_min;  // -1: no move; the minute (from 09:00) of the first move
};

class BusyTable : public ScheduleBusyTest, public ::testing::WithParamInterface<BusyCase> {};

TEST_P(BusyTable, TheChangeWaitsWhileBusyAndIsSkippedAfterTheMaximum) {
  const BusyCase& c = GetParam();
  start(at(2026, 11, 23, 9, 0));  // a Monday, sitting
  const WallTime t0 = in.wall;
  if (c.busy_from_min == 0) set_busy(true);
  if (c.busy_from_min > 0) {
    run_until(t0 + std::chrono::minutes(c.busy_from_min));
    set_busy(true);
  }
  if (c.busy_from_min >= 0) {
    run_until(t0 + std::chrono::minutes(c.busy_until_min));
    set_busy(false);
  }
  run_until(t0 + std::chrono::minutes(c.run_min));
  EXPECT_EQ(count("warning"), c.warnings) << c.name;
  EXPECT_EQ(count("deferred"), c.deferred) << c.name;
  EXPECT_EQ(count("declined"), c.declined) << c.name;
  ASSERT_EQ(moves.size(), c.moves) << c.name;
  if (c.first_move_min >= 0) {
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::minutes>(moves[0].at - t0).count(),
              c.first_move_min)
        << c.name;
  }
  // No warning and no move ever falls inside the busy time.
  const WallTime busy_from = t0 + std::chrono::minutes(c.busy_from_min);
  const WallTime busy_until = t0 + std::chrono::minutes(c.busy_until_min);
  for (const auto& e : events) {
    if (c.busy_from_min < 0 || e.event.kind != ScheduleEventKind::kWarning) continue;
    EXPECT_FALSE(e.at >= busy_from && e.at < busy_until) << c.name << ": a warning while busy";
  }
  for (const auto& m : moves) {
    if (c.busy_from_min < 0) continue;
    EXPECT_FALSE(m.at >= busy_from && m.at < busy_until) << c.name << ": a move while busy";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rules, BusyTable,
    ::testing::Values(
        // Never busy: warned at 28, moved at 30.
        BusyCase{"never busy", -1, -1, 31, 1, 0, 0, 1, 30},
        // A meeting 25..40: due at 28 while busy; free at 40: warned then, moved at 42.
        BusyCase{"busy at the due time", 25, 40, 43, 1, 1, 0, 1, 42},
        // Busy 0..85: deferred at 28, skipped at 48 (the maximum, 20 min), a new sitting
        // period from 48 falls due at 76, deferred again; free at 85: warned, moved at 87.
        BusyCase{"busy past the maximum", 0, 85, 88, 1, 2, 1, 1, 87},
        // A call begins during the warning (29): the warning is withdrawn, no move at 30;
        // free at 35: warned again, moved at 37.
        BusyCase{"busy during the warning", 29, 35, 38, 2, 1, 0, 1, 37}),
    [](const ::testing::TestParamInfo<BusyCase>& i) {
      std::string n = i.param.name;
      for (char& ch : n) {
        if (ch == ' ') ch = '_';
      }
      return n;
    });

TEST_F(ScheduleBusyTest, WhileDeferredTheStatusSaysBusyAndWhenItIsSkipped) {
  start(at(2026, 11, 23, 9, 0));
  set_busy(true);
  run_until(at(2026, 11, 23, 9, 35));
  const auto st = status();
  EXPECT_EQ(st.phase, SchedulePhase::kBlocked);
  EXPECT_EQ(st.reason,
            "busy: the change to standing waits until you are free (skipped after 20 min)");
  set_busy(false);
  EXPECT_EQ(status().phase, SchedulePhase::kWarning);
}

TEST_F(ScheduleBusyTest, ConfirmModePromptsOnlyWhenFree) {
  settings.mode = ScheduleMode::kConfirm;
  start(at(2026, 11, 23, 9, 0));
  set_busy(true);
  run_until(at(2026, 11, 23, 9, 45));
  EXPECT_EQ(count("prompt"), 0u);
  EXPECT_EQ(count("deferred"), 1u);
  set_busy(false);
  EXPECT_EQ(count("prompt"), 1u);
}

TEST_F(ScheduleBusyTest, AConfirmedWarningStillMoves) {
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 9, 29, 40));
  ASSERT_EQ(count("warning"), 1u);
  ASSERT_FALSE(scheduler->confirm(in));  // the user said yes before the call began
  in.busy = true;
  step();
  EXPECT_EQ(moves.size(), 1u);
}

TEST_F(ScheduleBusyTest, DeferralsAreCountedInTheStatistics) {
  PostureStats s;
  stats = &s;
  start(at(2026, 11, 23, 9, 0));
  set_busy(true);
  run_until(at(2026, 11, 23, 10, 30));
  const DayStats today = s.today(in.wall);
  EXPECT_EQ(today.deferred_busy, 2);
  EXPECT_EQ(today.declined, 1);  // skipped after the maximum
  EXPECT_EQ(today.auto_moves, 0);
}

}  // namespace
}  // namespace deskd::core::testing
