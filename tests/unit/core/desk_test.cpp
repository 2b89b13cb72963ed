// core::Desk as stories: commands, the schedule's warning and move, presence and clock gating,
// the button and the handset, reload and shutdown. Typed events in, typed effects out: no JSON,
// no TOML, no clock but the test's.
#include "core/desk.h"

#include <gtest/gtest.h>

#include <cmath>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

// A desk with an encoder that moves at 38 mm/s while driven or while the handset is held, and a
// manual clock whose steady and wall time advance together. Effects are applied as the runner
// does: SetDrive steps written (then outputs_written), notices collected, Continue while pending.
class DeskTest : public ::testing::Test {
 protected:
  DeskTest() { schedule_.windows[0] = windows({"08:00-18:00"}); }  // Mondays

  void make(double height = 720) {
    height_ = height;
    Desk::Restored r;
    r.position.height_mm = height;
    DeskSettings s;
    s.schedule = schedule_;
    s.presets = {{"focus", 1000}};
    desk_.emplace(motion_, s, inputs(), r, now());
    send(Started{});
    run_for(1s);  // the start-up dead time (the direction last driven is unknown) passes
  }

  // The user presses or releases the handset or the button: an input edge now.
  void set_handset(Drive d) {
    handset_ = d;
    send(InputsRead{inputs(), steady_});
  }
  void set_button(bool pressed) {
    button_ = pressed;
    send(InputsRead{inputs(), steady_});
  }

  Now now() const { return {steady_, wall_, trusted_}; }

  InputSnapshot inputs() const {
    InputSnapshot in;
    in.encoder_count = static_cast<std::int64_t>(std::floor(height_ / motion_.mm_per_count));
    in.handset_up = handset_ == Drive::kUp;
    in.handset_down = handset_ == Drive::kDown;
    in.button = button_;
    in.encoder_errors = encoder_errors_;
    return in;
  }

  DeskEffects send(const DeskEvent& e) {
    DeskEffects first = desk_->handle(e, now());
    apply(first);
    while (desk_->pending()) apply(desk_->handle(Continue{}, now()));
    return first;
  }

  void apply(const DeskEffects& fx) {
    save_ |= fx.save;
    if (fx.schedule_alarm) alarm_ = fx.schedule_alarm->at;
    for (const auto& step : fx.steps) {
      if (const auto* set = std::get_if<SetDrive>(&step)) {
        if (set->drive == motor_) continue;
        motor_ = set->drive;
        desk_->outputs_written(steady_, motor_);
      } else {
        notices_.push_back(std::get<DeskNotice>(step));
      }
    }
  }

  // Fine steps while anything moves; otherwise straight to the next deadline or wake-up.
  void run_for(std::chrono::milliseconds d) {
    const SteadyTime end = steady_ + d;
    while (steady_ < end) {
      SteadyTime next = end;
      if (motor_ != Drive::kNone || handset_ != Drive::kNone || desk_->in_motion()) {
        next = std::min(next, steady_ + 5ms);
      }
      if (auto dl = desk_->motion().next_deadline()) next = std::min(next, std::max(*dl, steady_));
      if (alarm_) next = std::min(next, std::max(*alarm_, steady_));
      advance(std::max<SteadyTime::duration>(next - steady_, 1ms));
    }
  }

  void advance(SteadyTime::duration dt) {
    steady_ += dt;
    wall_ += std::chrono::duration_cast<WallTime::duration>(dt);
    const Drive dir = motor_ != Drive::kNone ? motor_ : handset_;
    const double mm = 38.0 * std::chrono::duration<double>(dt).count();
    if (dir != Drive::kNone) height_ += dir == Drive::kUp ? mm : -mm;
    const InputSnapshot in = inputs();
    if (!(in == desk_->inputs())) send(InputsRead{in, steady_});
    if (auto dl = desk_->motion().next_deadline(); dl && *dl <= steady_) send(MotionDeadline{});
    if (alarm_ && *alarm_ <= steady_) {
      alarm_.reset();
      send(ScheduleWakeup{});
    }
  }

  // Runs until a schedule event of `kind` (at most `limit`); true if it came.
  bool run_until(ScheduleEventKind kind, std::chrono::minutes limit = 40min) {
    const SteadyTime end = steady_ + limit;
    while (steady_ < end) {
      if (schedule_events(kind) > 0) return true;
      run_for(1s);
    }
    return schedule_events(kind) > 0;
  }

  int schedule_events(ScheduleEventKind kind) const {
    int n = 0;
    for (const auto& v : notices_) {
      if (const auto* e = std::get_if<ScheduleEvent>(&v); e && e->kind == kind) ++n;
    }
    return n;
  }

  std::vector<MotionNotice> motion_notices(MotionNotice::Kind kind) const {
    std::vector<MotionNotice> out;
    for (const auto& v : notices_) {
      if (const auto* n = std::get_if<MotionNotice>(&v); n && n->kind == kind) out.push_back(*n);
    }
    return out;
  }

  template <typename T>
  std::vector<T> notices() const {
    std::vector<T> out;
    for (const auto& v : notices_) {
      if (const auto* n = std::get_if<T>(&v)) out.push_back(*n);
    }
    return out;
  }

  static bool drives(const DeskEffects& fx) {
    for (const auto& s : fx.steps) {
      if (std::holds_alternative<SetDrive>(s)) return true;
    }
    return false;
  }

  TzGuard tz_{"UTC0"};
  MotionSettings motion_;             // encoder, 0.5 mm per count, limits 620..1270
  std::uint32_t encoder_errors_ = 0;  // undecodable quadrature transitions so far
  ScheduleSettings schedule_;
  std::optional<Desk> desk_;
  SteadyTime steady_{std::chrono::hours(1000)};
  WallTime wall_ = at(2026, 11, 23, 9, 0);  // a Monday
  bool trusted_ = true;
  double height_ = 720;
  Drive motor_ = Drive::kNone;
  Drive handset_ = Drive::kNone;
  bool button_ = false;
  std::optional<SteadyTime> alarm_;
  unsigned save_ = 0;
  std::vector<DeskNotice> notices_;
};

TEST_F(DeskTest, ACommandMovesTheDeskAndReportsStartAndFinish) {
  make(720);
  const auto fx = send(Command{GoToHeight{1100}, R"({"height_mm":1100})"});
  EXPECT_TRUE(drives(fx));
  EXPECT_EQ(motor_, Drive::kUp);
  ASSERT_EQ(motion_notices(MotionNotice::Kind::kMoveStarted).size(), 1u);
  EXPECT_EQ(motion_notices(MotionNotice::Kind::kMoveStarted)[0].source, MoveSource::kMqtt);
  run_for(15s);
  const auto finished = motion_notices(MotionNotice::Kind::kMoveFinished);
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_NEAR(finished[0].height_mm.value(), 1100, 3);
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_FALSE(desk_->in_motion());
  EXPECT_EQ(desk_->posture(), Posture::kStanding);
  EXPECT_TRUE(save_ & kSaveDesk);
}

TEST_F(DeskTest, AHeightOutsideTheLimitsOrAnUnknownPresetIsRejectedAndNothingMoves) {
  struct Case {
    DeskCommand command;
    std::string reason;
  };
  const Case cases[] = {
      {GoToHeight{1300}, "height_mm: 1300 is outside 620..1270"},
      {GoToHeight{600}, "height_mm: 600 is outside 620..1270"},
      {GoToPreset{"nap"}, "unknown preset 'nap'"},
  };
  make(720);
  for (const auto& c : cases) {
    notices_.clear();
    const auto fx = send(Command{c.command, "the text"});
    EXPECT_FALSE(drives(fx)) << c.reason;
    const auto rejected = notices<Rejected>();
    ASSERT_EQ(rejected.size(), 1u) << c.reason;
    EXPECT_EQ(rejected[0].reason, c.reason);
    EXPECT_EQ(rejected[0].command, "the text");
  }
  EXPECT_EQ(motor_, Drive::kNone);
}

TEST_F(DeskTest, PostureAndPresetCommandsGoToTheirHeights) {
  struct Case {
    DeskCommand command;
    int target;
  };
  const Case cases[] = {
      {GoToPosture{Posture::kStanding}, 1100},
      {GoToPosture{Posture::kSitting}, 720},
      {GoToPreset{"stand"}, 1100},
      {GoToPreset{"sit"}, 720},
      {GoToPreset{"focus"}, 1000},
      {GoToPosition{50}, 945},
  };
  for (const auto& c : cases) {
    make(900);
    notices_.clear();
    send(Command{c.command, ""});
    const auto started = motion_notices(MotionNotice::Kind::kMoveStarted);
    ASSERT_EQ(started.size(), 1u) << c.target;
    EXPECT_EQ(started[0].target_mm, c.target);
    send(Command{RunAction{DeskAction::kStop}, ""});
    run_for(2s);
  }
}

TEST_F(DeskTest, TheScheduleWarnsThenMovesToStandingAndTheDeskStands) {
  make(720);
  ASSERT_TRUE(run_until(ScheduleEventKind::kWarning, 31min));
  EXPECT_EQ(notices<ScheduleEvent>().back().posture, Posture::kStanding);
  ASSERT_TRUE(run_until(ScheduleEventKind::kAutoMove, 1min));
  const auto started = motion_notices(MotionNotice::Kind::kMoveStarted);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].source, MoveSource::kSchedule);
  EXPECT_EQ(started[0].target_mm, 1100);
  run_for(20s);
  ASSERT_EQ(motion_notices(MotionNotice::Kind::kMoveFinished).size(), 1u);
  EXPECT_EQ(desk_->posture(), Posture::kStanding);
  EXPECT_EQ(desk_->schedule_status(now()).auto_moves_today, 1);
}

TEST_F(DeskTest, ASnoozeDuringTheWarningPostponesTheMove) {
  make(720);
  ASSERT_TRUE(run_until(ScheduleEventKind::kWarning, 31min));
  send(Command{RunAction{DeskAction::kSnooze}, R"({"action":"snooze"})"});
  EXPECT_EQ(schedule_events(ScheduleEventKind::kSnoozed), 1);
  run_for(5min);
  EXPECT_TRUE(motion_notices(MotionNotice::Kind::kMoveStarted).empty());
  EXPECT_TRUE(save_ & kSaveMemory);
}

TEST_F(DeskTest, TheHandsetDuringTheWarningCancelsThatChange) {
  make(720);
  ASSERT_TRUE(run_until(ScheduleEventKind::kWarning, 31min));
  set_handset(Drive::kUp);
  run_for(500ms);
  set_handset(Drive::kNone);
  run_for(2min);
  const auto overrides = notices<ManualOverride>();
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_EQ(overrides[0].by, OverrideBy::kHandset);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kDeclined), 1);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kAutoMove), 0);
}

TEST_F(DeskTest, AStopCommandDuringTheWarningCancelsThatChange) {
  make(720);
  ASSERT_TRUE(run_until(ScheduleEventKind::kWarning, 31min));
  send(Command{RunAction{DeskAction::kStop}, R"({"action":"stop"})"});
  run_for(2min);
  ASSERT_EQ(notices<ManualOverride>().size(), 1u);
  EXPECT_EQ(notices<ManualOverride>()[0].by, OverrideBy::kStopCommand);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kAutoMove), 0);
}

TEST_F(DeskTest, NobodyAtTheDeskMeansNoWarningAndNoMove) {
  schedule_.presence_topic = "home/office/occupied";
  make(720);
  send(BrokerLink{true});
  send(PresenceChanged{false});
  run_for(45min);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kWarning), 0);
  EXPECT_TRUE(motion_notices(MotionNotice::Kind::kMoveStarted).empty());
  ASSERT_FALSE(notices<PresenceNotice>().empty());
  EXPECT_EQ(notices<PresenceNotice>().back().news, PresenceNews::kNobody);
}

TEST_F(DeskTest, WithAPresenceTopicAnUnreachableBrokerCountsAsNobody) {
  schedule_.presence_topic = "home/office/occupied";
  make(720);  // never connected: presence unknown
  run_for(45min);
  EXPECT_FALSE(desk_->present());
  EXPECT_EQ(schedule_events(ScheduleEventKind::kWarning), 0);
  send(BrokerLink{true});
  EXPECT_TRUE(desk_->present());
  send(BrokerLink{false});
  EXPECT_EQ(notices<PresenceNotice>().back().news, PresenceNews::kUnknownBrokerDown);
  EXPECT_FALSE(desk_->present());
}

TEST_F(DeskTest, WithABusyTopicUnknownCountsAsBusyUntilItSaysFree) {
  schedule_.busy_topic = "home/office/in_a_call";
  schedule_.warn_seconds = 30;
  make(720);
  send(BrokerLink{true});  // connected, but no message on the topic yet: unknown
  EXPECT_TRUE(desk_->person_busy());
  run_for(35min);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kWarning), 0);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kDeferred), 1);
  send(BusyChanged{false});
  EXPECT_FALSE(desk_->person_busy());
  EXPECT_EQ(notices<BusyNotice>().back().news, BusyNews::kFree);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kWarning), 1);
  send(BrokerLink{false});  // the broker went away: unknown again, and so busy
  EXPECT_TRUE(desk_->person_busy());
  EXPECT_EQ(notices<BusyNotice>().back().news, BusyNews::kUnknownBrokerDown);
  EXPECT_EQ(desk_->schedule_status(now()).phase, SchedulePhase::kBlocked);
  send(BrokerLink{true});
  EXPECT_TRUE(desk_->person_busy());  // until the topic says free again
}

TEST_F(DeskTest, WithoutABusyTopicNobodyIsEverBusy) {
  make(720);
  send(BusyChanged{true});  // a stray message changes nothing without a topic
  EXPECT_FALSE(desk_->person_busy());
  EXPECT_TRUE(run_until(ScheduleEventKind::kWarning, 31min));
}

TEST_F(DeskTest, AnUntrustedClockBlocksAutomaticMovesAndIsRecheckedEveryMinute) {
  trusted_ = false;
  make(720);
  run_for(45min);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kWarning), 0);
  EXPECT_TRUE(motion_notices(MotionNotice::Kind::kMoveStarted).empty());
  ASSERT_TRUE(alarm_.has_value());
  EXPECT_LE(*alarm_ - steady_, 60s);
}

TEST_F(DeskTest, AnUnknownHeightBlocksAutomaticMoves) {
  make(720);
  Desk::Restored r;  // no height: not shut down cleanly
  DeskSettings s;
  s.schedule = schedule_;
  desk_.emplace(motion_, s, inputs(), r, now());
  send(Started{});
  run_for(45min);
  EXPECT_FALSE(desk_->motion().calibrated());
  EXPECT_EQ(schedule_events(ScheduleEventKind::kWarning),
            0);  // no warning for a move it can't make
  EXPECT_TRUE(motion_notices(MotionNotice::Kind::kMoveStarted).empty());
}

// Issue 20 §4: lost encoder steps make the height uncertain by up to 4 counts each; beyond
// tolerance_mm (3 mm) that counts as unknown for automatic moves, and B/state says why.
TEST_F(DeskTest, LostEncoderStepsBeyondTheToleranceBlockAutomaticMoves) {
  make(720);
  encoder_errors_ = 1;  // up to 2 mm: within the tolerance, the schedule runs
  send(InputsRead{inputs(), steady_});
  EXPECT_EQ(desk_->schedule_status(now()).phase, SchedulePhase::kCounting);
  encoder_errors_ = 2;  // up to 4 mm
  send(InputsRead{inputs(), steady_});
  run_for(45min);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kWarning), 0);
  EXPECT_TRUE(motion_notices(MotionNotice::Kind::kMoveStarted).empty());
  const ScheduleStatus st = desk_->schedule_status(now());
  EXPECT_EQ(st.phase, SchedulePhase::kBlocked);
  EXPECT_EQ(st.reason, "height may be off by up to 4 mm: calibrate");
}

// Issue 24 §2: the activity topic. Idle says since when; a locked session is nobody at the
// desk; a lost broker makes the activity unknown (no waiting for a pause).
TEST_F(DeskTest, ALockedSessionIsAbsenceAndALostBrokerMakesTheActivityUnknown) {
  schedule_.activity_topic = "office/pc/activity";
  make(720);
  send(BrokerLink{true});
  EXPECT_FALSE(desk_->schedule_inputs(now()).activity_known);  // no message yet
  send(ActivityChanged{Activity::kIdle, 90s});
  ScheduleInputs in = desk_->schedule_inputs(now());
  EXPECT_TRUE(in.activity_known);
  ASSERT_TRUE(in.idle_since);
  EXPECT_EQ(*in.idle_since, wall_ - 90s);
  send(ActivityChanged{Activity::kLocked});
  EXPECT_FALSE(desk_->present());
  EXPECT_EQ(desk_->schedule_status(now()).reason, "nobody at the desk");
  send(ActivityChanged{Activity::kActive});
  EXPECT_TRUE(desk_->present());
  EXPECT_FALSE(desk_->schedule_inputs(now()).idle_since);
  send(BrokerLink{false});
  EXPECT_FALSE(desk_->schedule_inputs(now()).activity_known);
  EXPECT_TRUE(desk_->present());  // an unknown activity is not a lock
}

TEST_F(DeskTest, TheButtonSnoozesAWarningAndAHoldPausesForToday) {
  make(720);
  ASSERT_TRUE(run_until(ScheduleEventKind::kWarning, 31min));
  set_button(true);
  run_for(200ms);
  set_button(false);
  run_for(100ms);
  ASSERT_EQ(notices<ButtonUsed>().size(), 1u);
  EXPECT_FALSE(notices<ButtonUsed>()[0].held);
  EXPECT_EQ(schedule_events(ScheduleEventKind::kSnoozed), 1);
  set_button(true);
  run_for(2500ms);
  set_button(false);
  run_for(100ms);
  ASSERT_EQ(notices<ButtonUsed>().size(), 2u);
  EXPECT_TRUE(notices<ButtonUsed>()[1].held);
  EXPECT_EQ(desk_->schedule_status(now()).phase, SchedulePhase::kPaused);
}

TEST_F(DeskTest, AnOutputThatCannotBeWrittenLatchesAFaultWithoutADriveStep) {
  make(720);
  send(Command{GoToHeight{1000}, ""});
  const auto fx = send(OutputFailed{"line request failed"});
  EXPECT_FALSE(drives(fx));
  ASSERT_EQ(motion_notices(MotionNotice::Kind::kFault).size(), 1u);
  EXPECT_NE(desk_->motion().fault(), Fault::kNone);
  EXPECT_TRUE(save_ & kSaveDesk);
}

TEST_F(DeskTest, AReloadIsRefusedWhileMovingAndAppliesTheNewLimitsWhenIdle) {
  make(720);
  send(Command{GoToHeight{1000}, ""});
  run_for(1s);
  ASSERT_TRUE(desk_->reload_refusal().has_value());
  EXPECT_NE(desk_->reload_refusal()->find("moving"), std::string::npos);
  run_for(15s);
  ASSERT_FALSE(desk_->reload_refusal().has_value());
  MotionSettings next = motion_;
  next.max_height_mm = 1200;
  DeskSettings s = desk_->settings();
  const auto fx = send(Reloaded{next, s, inputs()});
  EXPECT_FALSE(drives(fx));
  EXPECT_EQ(desk_->motion().settings().max_height_mm, 1200);
  EXPECT_NEAR(desk_->motion().height_mm(steady_).value(), height_, 1);  // the height is kept
  notices_.clear();
  send(Command{GoToHeight{1250}, ""});
  ASSERT_EQ(notices<Rejected>().size(), 1u);
  EXPECT_EQ(notices<Rejected>()[0].reason, "height_mm: 1250 is outside 620..1200");
}

TEST_F(DeskTest, ShutdownStopsTheMotorFirstAndPlansNothingMore) {
  make(720);
  send(Command{GoToHeight{1100}, ""});
  run_for(1s);
  ASSERT_EQ(motor_, Drive::kUp);
  const auto fx = send(Shutdown{});
  ASSERT_FALSE(fx.steps.empty());
  ASSERT_TRUE(std::holds_alternative<SetDrive>(fx.steps.front()));
  EXPECT_EQ(std::get<SetDrive>(fx.steps.front()).drive, Drive::kNone);
  send(ScheduleWakeup{});
  EXPECT_FALSE(desk_->pending());
}

TEST_F(DeskTest, SavedHeightsTakeEffectAndTheScheduleMovesToTheNewOne) {
  make(720);
  send(HeightsSaved{{{"focus", 1000}, {"tea", 800}}, 700, 1150});
  EXPECT_EQ(desk_->settings().stand_height_mm, 1150);
  EXPECT_EQ(desk_->settings().preset_height("tea"), 800);
  ASSERT_TRUE(run_until(ScheduleEventKind::kAutoMove, 31min));
  EXPECT_EQ(motion_notices(MotionNotice::Kind::kMoveStarted).at(0).target_mm, 1150);
}

}  // namespace
}  // namespace deskd::core::testing
