// The schedule's modes and commands, driven by a manual clock (Europe/Berlin, Monday
// 2026-11-23, windows 09:00-12:00 and 13:00-17:30, sit 30 / stand 20 minutes).
#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

constexpr Posture kSit = Posture::kSitting;
constexpr Posture kStand = Posture::kStanding;

class ScheduleModes : public ScheduleTest {
 protected:
  TzGuard tz_{"Europe/Berlin"};
  static WallTime mon(int h, int m, int s = 0) { return at(2026, 11, 23, h, m, s); }
};

TEST_F(ScheduleModes, AutoWarnsWarnSecondsAheadThenMovesAtTheChange) {
  start(mon(9, 0));
  EXPECT_EQ(status().phase, SchedulePhase::kCounting);
  EXPECT_EQ(status().next_change, mon(9, 30));
  EXPECT_EQ(status().next_posture, kStand);
  run_until(mon(9, 29, 40));
  ASSERT_EQ(events_of("warning").size(), 1u);
  EXPECT_EQ(events_of("warning")[0].at, mon(9, 29, 30));
  EXPECT_EQ(events_of("warning")[0].event.seconds, 30);
  EXPECT_EQ(events_of("warning")[0].event.posture, kStand);
  EXPECT_EQ(status().phase, SchedulePhase::kWarning);
  EXPECT_EQ(status().warning_remaining_s, 20);
  EXPECT_TRUE(moves.empty());
  run_until(mon(9, 31));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(9, 30), kStand}}));
  EXPECT_EQ(events_of("auto_move").size(), 1u);
}

TEST_F(ScheduleModes, ManualOverrideDuringTheWarningCancelsThatChangeAndRestartsThePeriod) {
  start(mon(9, 0));
  run_until(mon(9, 29, 40));
  ASSERT_EQ(status().phase, SchedulePhase::kWarning);
  EXPECT_TRUE(scheduler->manual_override(in));
  step();
  ASSERT_EQ(events_of("declined").size(), 1u);
  EXPECT_EQ(events_of("declined")[0].event.detail, "cancelled");
  EXPECT_EQ(events_of("declined")[0].event.posture, kStand);
  EXPECT_EQ(status().phase, SchedulePhase::kCounting);
  EXPECT_EQ(status().next_change, mon(9, 59, 40));  // a fresh 30-minute period from 09:29:40
  run_until(mon(9, 31));
  EXPECT_TRUE(moves.empty());
  EXPECT_FALSE(scheduler->manual_override(in));  // no warning running: nothing to cancel
}

TEST_F(ScheduleModes, AutoAlternatesThroughTheDayAndEachWindowStartsFresh) {
  start(mon(8, 0));
  run_until(mon(18, 0));
  const std::vector<Move> expected{
      {mon(9, 30), kStand},  {mon(9, 50), kSit},  {mon(10, 20), kStand}, {mon(10, 40), kSit},
      {mon(11, 10), kStand}, {mon(11, 30), kSit},  // 12:00 ends the window while sitting
      {mon(13, 30), kStand}, {mon(13, 50), kSit}, {mon(14, 20), kStand}, {mon(14, 40), kSit},
      {mon(15, 10), kStand}, {mon(15, 30), kSit}, {mon(16, 0), kStand},  {mon(16, 20), kSit},
      {mon(16, 50), kStand}, {mon(17, 10), kSit}};
  EXPECT_EQ(moves, expected);
  EXPECT_EQ(status().phase, SchedulePhase::kOutsideHours);
  EXPECT_EQ(status().reason, "outside working hours");
  EXPECT_EQ(status().auto_moves_today, 16);
}

TEST_F(ScheduleModes, EnteringWorkingHoursStartsAPeriodMatchingTheCurrentPosture) {
  start(mon(12, 30), kStand);
  run_until(mon(13, 25));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(13, 20), kSit}}));
}

TEST_F(ScheduleModes, ConfirmModePromptsWithBackoffAndNeverMovesUnconfirmed) {
  settings.mode = ScheduleMode::kConfirm;
  start(mon(9, 0));
  run_until(mon(10, 30));
  EXPECT_TRUE(moves.empty());
  std::vector<WallTime> prompts;
  for (const auto& e : events_of("prompt")) prompts.push_back(e.at);
  EXPECT_EQ(prompts, (std::vector<WallTime>{mon(9, 30), mon(9, 32), mon(9, 36), mon(9, 44),
                                            mon(10, 0), mon(10, 16)}));
  EXPECT_EQ(status().phase, SchedulePhase::kAwaitingConfirm);
  EXPECT_EQ(status().next_posture, kStand);
  EXPECT_TRUE(nudges.empty());
  ASSERT_EQ(scheduler->confirm(in), std::nullopt);
  step();
  EXPECT_EQ(moves, (std::vector<Move>{{mon(10, 30), kStand}}));
  EXPECT_EQ(status().next_change, mon(10, 50));
}

TEST_F(ScheduleModes, ConfirmModeNudgesWithEachPromptWhenEnabled) {
  settings.mode = ScheduleMode::kConfirm;
  settings.nudge = true;
  start(mon(9, 0));
  run_until(mon(9, 33));
  ASSERT_EQ(nudges.size(), 2u);
  EXPECT_EQ(nudges[0].posture, kStand);
  EXPECT_TRUE(moves.empty());
}

TEST_F(ScheduleModes, RemindModeRemindsButNeverMovesAndRefusesConfirm) {
  settings.mode = ScheduleMode::kRemind;
  start(mon(9, 0));
  run_until(mon(11, 0));
  EXPECT_TRUE(moves.empty());
  EXPECT_GE(events_of("reminder").size(), 3u);
  EXPECT_EQ(events_of("reminder")[0].at, mon(9, 30));
  EXPECT_EQ(scheduler->confirm(in), "remind mode never moves the desk");
  // Following the reminder by hand restarts the period.
  set_posture(kStand);
  EXPECT_EQ(status().phase, SchedulePhase::kCounting);
  EXPECT_EQ(status().next_change, mon(11, 20));
}

TEST_F(ScheduleModes, ConfirmDuringAnAutoWarningMovesAtOnce) {
  start(mon(9, 0));
  run_until(mon(9, 29, 45));
  ASSERT_EQ(scheduler->confirm(in), std::nullopt);
  step();
  EXPECT_EQ(moves, (std::vector<Move>{{mon(9, 29, 45), kStand}}));
}

TEST_F(ScheduleModes, ConfirmWithNothingAnnouncedIsAnError) {
  start(mon(9, 0));
  EXPECT_EQ(scheduler->confirm(in), "nothing to confirm (counting)");
  step();
  EXPECT_TRUE(moves.empty());
}

TEST_F(ScheduleModes, SnoozeDuringTheWarningPostponesBySnoozeMinutes) {
  start(mon(9, 0));
  run_until(mon(9, 29, 50));
  ASSERT_EQ(scheduler->snooze(in), std::nullopt);
  step();
  ASSERT_EQ(events_of("snoozed").size(), 1u);
  EXPECT_EQ(events_of("snoozed")[0].event.until, mon(9, 40));
  EXPECT_EQ(status().phase, SchedulePhase::kCounting);
  EXPECT_EQ(status().next_change, mon(9, 40));
  run_until(mon(9, 45));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(9, 40), kStand}}));
  EXPECT_EQ(events_of("warning").size(), 2u);
}

TEST_F(ScheduleModes, SkipDuringTheWarningKeepsThePostureAnotherPeriodAndIsDeclined) {
  start(mon(9, 0));
  run_until(mon(9, 29, 50));
  ASSERT_EQ(scheduler->skip(in), std::nullopt);
  step();
  ASSERT_EQ(events_of("declined").size(), 1u);
  EXPECT_EQ(events_of("declined")[0].event.detail, "skip");
  run_until(mon(10, 5));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(10, 0), kStand}}));
}

TEST_F(ScheduleModes, SnoozeAndSkipOutsideWorkingHoursAreErrors) {
  start(mon(7, 0));
  EXPECT_EQ(scheduler->snooze(in), "nothing to snooze (outside_hours)");
  EXPECT_EQ(scheduler->skip(in), "nothing to skip (outside_hours)");
}

TEST_F(ScheduleModes, PauseTodayHoldsUntilLocalMidnightAndResumeStartsFresh) {
  start(mon(9, 0));
  ASSERT_EQ(scheduler->pause_today(in), std::nullopt);
  step();
  EXPECT_EQ(status().phase, SchedulePhase::kPaused);
  EXPECT_EQ(status().reason, "paused for today");
  EXPECT_EQ(scheduler->memory().paused_until, at(2026, 11, 24, 0, 0));
  EXPECT_EQ(scheduler->pause_today(in), "already paused");
  run_until(mon(12, 0));
  EXPECT_TRUE(moves.empty());
  // Tomorrow runs normally.
  run_until(at(2026, 11, 24, 9, 35));
  EXPECT_EQ(moves, (std::vector<Move>{{at(2026, 11, 24, 9, 30), kStand}}));
  // Resume on another day starts a fresh period from the resume.
  run_until(at(2026, 11, 24, 9, 40));
  ASSERT_EQ(scheduler->pause_today(in), std::nullopt);
  step();
  run_until(at(2026, 11, 24, 10, 0));
  ASSERT_EQ(scheduler->resume(in), std::nullopt);
  step();
  EXPECT_EQ(status().next_change, at(2026, 11, 24, 10, 20));
  EXPECT_EQ(scheduler->resume(in), "not paused");
}

TEST_F(ScheduleModes, PauseSurvivesARestartThroughMemory) {
  start(mon(9, 0));
  ASSERT_EQ(scheduler->pause_today(in), std::nullopt);
  const SchedulerMemory memory = scheduler->memory();
  start(mon(10, 0), Posture::kSitting, memory);
  EXPECT_EQ(status().phase, SchedulePhase::kPaused);
  run_until(mon(12, 0));
  EXPECT_TRUE(moves.empty());
}

TEST_F(ScheduleModes, ManualPostureChangeRestartsThePeriod) {
  start(mon(9, 0));
  run_until(mon(9, 10));
  set_posture(kStand);
  EXPECT_EQ(status().next_change, mon(9, 30));
  EXPECT_EQ(status().next_posture, kSit);
  run_until(mon(9, 35));
  EXPECT_EQ(moves, (std::vector<Move>{{mon(9, 30), kSit}}));
  EXPECT_TRUE(events_of("declined").empty());
}

TEST_F(ScheduleModes, PostureChangeSeenOnlyThroughInputsAlsoRestartsThePeriod) {
  start(mon(9, 0));
  run_until(mon(9, 10));
  in.posture = Posture::kBetween;  // passing through does not count
  step();
  EXPECT_EQ(status().next_change, mon(9, 30));
  in.posture = kStand;
  step();
  EXPECT_EQ(status().next_change, mon(9, 30));
  EXPECT_EQ(status().next_posture, kSit);
}

TEST_F(ScheduleModes, ManualChangeDuringTheWarningCancelsTheMove) {
  start(mon(9, 0));
  run_until(mon(9, 29, 45));
  set_posture(kStand);
  run_until(mon(9, 40));
  EXPECT_TRUE(moves.empty());
}

struct UndoCase {
  const char* name;
  std::chrono::seconds after;
  bool declined;
};

class ScheduleUndo : public ScheduleModes, public ::testing::WithParamInterface<UndoCase> {};

TEST_P(ScheduleUndo, UndoingAnAutomaticMoveWithinTwoMinutesIsDeclined) {
  start(mon(9, 0));
  run_until(mon(9, 30));
  ASSERT_EQ(moves.size(), 1u);
  run_for(GetParam().after);
  set_posture(kSit);
  EXPECT_EQ(events_of("declined").size(), GetParam().declined ? 1u : 0u);
  if (GetParam().declined) {
    EXPECT_EQ(events_of("declined")[0].event.detail, "undone");
  }
  // Either way the user wins: a fresh sitting period.
  EXPECT_EQ(status().next_change, in.wall + 30min);
}

INSTANTIATE_TEST_SUITE_P(Table, ScheduleUndo,
                         ::testing::Values(UndoCase{"after10s", 10s, true},
                                           UndoCase{"after120s", 120s, true},
                                           UndoCase{"after121s", 121s, false},
                                           UndoCase{"after10min", 600s, false}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(ScheduleModes, MoveCancelledByTheUserIsDeclinedAndNotRetried) {
  desk_follows = false;
  start(mon(9, 0));
  run_until(mon(9, 30));
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(status().phase, SchedulePhase::kMoving);
  EXPECT_EQ(scheduler->next_wakeup(), std::nullopt);
  in.posture = Posture::kBetween;
  scheduler->auto_move_finished(MoveOutcome::kCancelled, in);
  step();
  ASSERT_EQ(events_of("declined").size(), 1u);
  EXPECT_EQ(events_of("declined")[0].event.detail, "cancelled");
  EXPECT_EQ(status().next_change, mon(10, 0));
  run_until(mon(9, 59));
  EXPECT_EQ(moves.size(), 1u);
}

struct BlockCase {
  const char* name;
  void (*apply)(ScheduleSettings&, ScheduleInputs&);
  SchedulePhase phase;
  const char* reason;
  WallTime (*start)();
};

WallTime monday_9() { return at(2026, 11, 23, 9, 0); }

class ScheduleBlocks : public ScheduleModes, public ::testing::WithParamInterface<BlockCase> {};

TEST_P(ScheduleBlocks, NoAutomaticMoveAndThePhaseSaysWhy) {
  const BlockCase& c = GetParam();
  c.apply(settings, in);
  start(c.start());
  run_for(2h + 45min);
  EXPECT_TRUE(moves.empty());
  EXPECT_TRUE(events_of("warning").empty());
  EXPECT_EQ(status().phase, c.phase);
  EXPECT_EQ(status().reason, c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ScheduleBlocks,
    ::testing::Values(
        BlockCase{"disabled", [](ScheduleSettings& s, ScheduleInputs&) { s.enabled = false; },
                  SchedulePhase::kDisabled, "schedule disabled", monday_9},
        BlockCase{"absent", [](ScheduleSettings&, ScheduleInputs& i) { i.present = false; },
                  SchedulePhase::kBlocked, "nobody at the desk", monday_9},
        BlockCase{"untrusted_clock",
                  [](ScheduleSettings&, ScheduleInputs& i) { i.clock_trusted = false; },
                  SchedulePhase::kBlocked, "clock not synchronised", monday_9},
        BlockCase{"position_unknown",
                  [](ScheduleSettings&, ScheduleInputs& i) { i.position_known = false; },
                  SchedulePhase::kBlocked, "position unknown", monday_9},
        BlockCase{"fault", [](ScheduleSettings&, ScheduleInputs& i) { i.fault = true; },
                  SchedulePhase::kBlocked, "fault latched", monday_9},
        BlockCase{"zero_cap",
                  [](ScheduleSettings& s, ScheduleInputs&) { s.max_auto_moves_per_day = 0; },
                  SchedulePhase::kBlocked, "daily limit reached", monday_9},
        BlockCase{"skip_date",
                  [](ScheduleSettings& s, ScheduleInputs&) {
                    s.skip_dates = {CivilDate{2026, 11, 23}};
                  },
                  SchedulePhase::kOutsideHours, "skip date", monday_9},
        BlockCase{"weekend", [](ScheduleSettings&, ScheduleInputs&) {},
                  SchedulePhase::kOutsideHours, "outside working hours",
                  [] { return at(2026, 11, 22, 9, 0); }}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(ScheduleModes, DailyCapStopsMovesUntilTheNextDay) {
  settings.max_auto_moves_per_day = 3;
  start(mon(9, 0));
  run_until(mon(17, 0));
  EXPECT_EQ(moves.size(), 3u);
  EXPECT_EQ(status().reason, "daily limit reached");
  // Left standing by the third move: the next day starts with a standing period.
  run_until(at(2026, 11, 24, 9, 25));
  EXPECT_EQ(moves.size(), 4u);
  EXPECT_EQ(moves.back(), (Move{at(2026, 11, 24, 9, 20), kSit}));
}

TEST_F(ScheduleModes, RemindModeIgnoresPositionAndCap) {
  settings.mode = ScheduleMode::kRemind;
  settings.max_auto_moves_per_day = 0;
  in.position_known = false;
  start(mon(9, 0));
  run_until(mon(9, 31));
  EXPECT_EQ(events_of("reminder").size(), 1u);
}

TEST_F(ScheduleModes, PresenceReturningStartsAFreshPeriod) {
  start(mon(9, 0));
  run_until(mon(9, 20));
  in.present = false;
  step();
  EXPECT_EQ(status().reason, "nobody at the desk");
  run_until(mon(9, 45));
  in.present = true;
  step();
  EXPECT_EQ(status().phase, SchedulePhase::kCounting);
  EXPECT_EQ(status().next_change, mon(10, 15));
  EXPECT_TRUE(moves.empty());
}

TEST_F(ScheduleModes, ManualMoveInProgressHoldsTheSchedule) {
  start(mon(9, 0));
  run_until(mon(9, 29));
  in.motion_busy = true;
  step();
  EXPECT_EQ(status().phase, SchedulePhase::kMoving);
  run_until(mon(9, 31));
  EXPECT_TRUE(moves.empty());
  in.motion_busy = false;  // ended where it started: the change is overdue, warned in full
  step();
  EXPECT_EQ(status().phase, SchedulePhase::kWarning);
  EXPECT_EQ(status().warning_remaining_s, 30);
}

TEST_F(ScheduleModes, DisablingStopsAndEnablingStartsAFreshPeriod) {
  start(mon(9, 0));
  run_until(mon(9, 20));
  scheduler->set_enabled(false);
  step();
  EXPECT_EQ(status().phase, SchedulePhase::kDisabled);
  EXPECT_EQ(scheduler->next_wakeup(), std::nullopt);
  pass(10min);
  scheduler->set_enabled(true);
  step();
  EXPECT_EQ(status().next_change, mon(10, 0));
}

TEST_F(ScheduleModes, NewSettingsApplyToTheRunningPeriod) {
  start(mon(9, 0));
  run_until(mon(9, 10));
  ScheduleSettings s = settings;
  s.sit_minutes = 15;
  scheduler->set_settings(s, in);
  step();
  EXPECT_EQ(status().next_change, mon(9, 15));
  s.mode = ScheduleMode::kRemind;
  scheduler->set_settings(s, in);
  run_until(mon(9, 16));
  EXPECT_TRUE(moves.empty());
  EXPECT_EQ(events_of("reminder").size(), 1u);
}

struct ProgressionCase {
  CivilDate date;
  int stand_minutes;
};

class ScheduleProgression : public ScheduleModes,
                            public ::testing::WithParamInterface<ProgressionCase> {};

TEST_P(ScheduleProgression, StandingTimeGrowsByStepEveryPeriodUpToTarget) {
  settings.progression = {true, 5, 5, 7, 20, CivilDate{2026, 11, 2}};
  const CivilDate d = GetParam().date;
  start(at(d.year, d.month, d.day, 9, 0), kStand);
  EXPECT_EQ(status().stand_minutes, GetParam().stand_minutes);
  EXPECT_EQ(scheduler->stand_minutes_on(d), GetParam().stand_minutes);
  if (weekday(d) < 5) {
    EXPECT_EQ(status().next_change, at(d.year, d.month, d.day, 9, GetParam().stand_minutes));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ScheduleProgression,
    ::testing::Values(ProgressionCase{{2026, 10, 30}, 5}, ProgressionCase{{2026, 11, 2}, 5},
                      ProgressionCase{{2026, 11, 8}, 5}, ProgressionCase{{2026, 11, 9}, 10},
                      ProgressionCase{{2026, 11, 16}, 15}, ProgressionCase{{2026, 11, 23}, 20},
                      ProgressionCase{{2027, 6, 1}, 20}),
    [](const ::testing::TestParamInfo<ProgressionCase>& info) {
      const CivilDate& d = info.param.date;
      return "On" + std::to_string(d.year) + "_" + std::to_string(d.month) + "_" +
             std::to_string(d.day);
    });

TEST_F(ScheduleModes, ProgressionWithoutStartDateStartsOnTheFirstTrustedDay) {
  settings.progression = {true, 5, 5, 7, 20, std::nullopt};
  start(mon(9, 0));
  EXPECT_EQ(scheduler->memory().progression_start, (CivilDate{2026, 11, 23}));
  EXPECT_EQ(status().stand_minutes, 5);
  EXPECT_EQ(scheduler->stand_minutes_on(CivilDate{2026, 11, 30}), 10);
}

TEST_F(ScheduleModes, MovementBreakEveryNMinutesOfWorkForDurationMinutes) {
  settings.breaks = {true, 60, 5};
  start(mon(9, 0));
  run_until(mon(10, 3));
  ASSERT_EQ(events_of("break").size(), 1u);
  EXPECT_EQ(events_of("break")[0].at, mon(10, 0));
  EXPECT_EQ(events_of("break")[0].event.minutes, 5);
  EXPECT_TRUE(status().break_due);
  run_until(mon(10, 5));
  EXPECT_FALSE(status().break_due);
  run_until(mon(12, 30));
  // 10:00 and 11:00; at 12:00 the window ends, so no break then.
  ASSERT_EQ(events_of("break").size(), 2u);
  EXPECT_EQ(events_of("break")[1].at, mon(11, 0));
  run_until(mon(14, 1));
  ASSERT_EQ(events_of("break").size(), 3u);
  EXPECT_EQ(events_of("break")[2].at, mon(14, 0));
}

TEST_F(ScheduleModes, NoWakeupsWhileIdleExceptTheNextWindowEdge) {
  start(at(2026, 11, 21, 10, 0));  // Saturday
  EXPECT_EQ(scheduler->next_wakeup(), mon(9, 0));
  in.clock_trusted = false;
  step();
  EXPECT_EQ(scheduler->next_wakeup(), std::nullopt);
}

TEST_F(ScheduleModes, PreviewListsTheNextSevenDaysAsTheyWillHappen) {
  settings.breaks = {true, 45, 5};
  settings.skip_dates = {CivilDate{2026, 11, 25}};
  settings.max_auto_moves_per_day = 12;
  start(at(2026, 11, 22, 20, 0));  // Sunday evening
  const auto preview = scheduler->preview(in);
  ASSERT_FALSE(preview.empty());
  EXPECT_EQ(preview.front(), (PlannedChange{mon(9, 30), kStand}));
  run_until(in.wall + 168h);
  ASSERT_EQ(preview.size(), moves.size());
  for (std::size_t i = 0; i < moves.size(); ++i) {
    EXPECT_EQ(preview[i].at, moves[i].at) << i;
    EXPECT_EQ(preview[i].posture, moves[i].posture) << i;
  }
  EXPECT_EQ(moves.size(), 4u * 12u);  // Mon, Tue, Thu, Fri; Wed is a skip date
}

TEST_F(ScheduleModes, StatisticsOfAWorkingDayAddUpToTheElapsedTime) {
  PostureStats day_stats;
  stats = &day_stats;
  start(mon(9, 0));
  run_for(1h);
  set_posture(kStand);     // by hand
  run_until(mon(10, 20));  // the stand period ends: automatic move to sitting
  ASSERT_EQ(moves.back(), (Move{mon(10, 20), kSit}));
  run_for(30s);
  set_posture(kStand);
  run_until(mon(17, 30));
  const DayStats d = day_stats.today(in.wall);
  EXPECT_EQ(d.sit_s + d.stand_s, 8 * 3600 + 1800);
  EXPECT_EQ(d.auto_moves, static_cast<int>(moves.size()));
  EXPECT_EQ(d.declined, 1);
  EXPECT_EQ(d.transitions, d.auto_moves + 2);
  EXPECT_GE(d.longest_sit_s, 30 * 60);
}

TEST_F(ScheduleModes, PeriodRunningOutWithTheWindowIsNotAnnounced) {
  start(mon(11, 40));
  EXPECT_EQ(status().next_change, mon(13, 30));  // 12:10 is after the window's end
  run_until(mon(12, 30));
  EXPECT_TRUE(events_of("warning").empty());
  EXPECT_TRUE(moves.empty());
}

TEST_F(ScheduleModes, StatusOutsideHoursShowsTheFirstChangeOfTheNextWindow) {
  start(mon(12, 10), kStand);
  EXPECT_EQ(status().phase, SchedulePhase::kOutsideHours);
  EXPECT_EQ(status().next_change, mon(13, 20));
  EXPECT_EQ(status().next_posture, kSit);
}

}  // namespace
}  // namespace deskd::core::testing
