// Behaviour of the motion controller beyond the safety invariants: positioning, coast learning,
// manual use, sensor kinds, nudge, state coverage.
#include <gtest/gtest.h>

#include <set>

#include "motion_fixture.h"

namespace deskd::core::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Kind = MotionCommand::Kind;

TEST_F(MotionTest, GoToReachesTheTargetWithinToleranceAndReportsFinished) {
  make(settings(), 720.0);
  go_to(1100);
  EXPECT_EQ(controller_->state(), MotionState::kMovingUp);
  EXPECT_EQ(controller_->target_mm(), 1100);
  run_for(seconds(15));
  EXPECT_EQ(controller_->state(), MotionState::kIdle);
  EXPECT_NEAR(desk_height_, 1100, 3);
  ASSERT_TRUE(has_notice(MotionNotice::Kind::kMoveFinished));
  EXPECT_NEAR(notices_.back().height_mm.value(), desk_height_, 0.5);
}

TEST_F(MotionTest, LearnedCoastBringsTheErrorBelowOneMillimetre) {
  coast_mm_ = 8;
  make(settings(), 720.0);
  const int targets[] = {1100, 720, 1050, 700, 1150, 760, 1000, 800, 1120, 730};
  double last_error = 0;
  for (int t : targets) {
    go_to(t);
    run_for(seconds(15));
    last_error = std::abs(desk_height_ - t);
  }
  EXPECT_LE(last_error, 1.0);
}

// Issue 20 §4: a stop the runner wrote late (a starved CPU) lets the desk drive on until the
// write. That run is not coast: learned as coast, the next moves would stop far short.
TEST_F(MotionTest, AStopServedLateTeachesNoCoast) {
  make(settings(), 720.0);
  go_to(1000);
  run_for(seconds(15));
  ASSERT_NEAR(desk_height_, 1000, 3);
  stop_latency_ = milliseconds(600);  // about 23 mm at 38 mm/s
  go_to(760);
  run_for(seconds(15));
  EXPECT_EQ(controller_->state(), MotionState::kIdle);
  // The late stop itself lands within the tolerance (a correcting step) or says how far off.
  const MotionNotice* finished = last_notice(MotionNotice::Kind::kMoveFinished);
  ASSERT_NE(finished, nullptr);
  EXPECT_NEAR(finished->height_mm.value(), desk_height_, 1);
  if (std::abs(desk_height_ - 760) > settings_.tolerance_mm) {
    ASSERT_TRUE(finished->off_target_mm.has_value()) << "ended at " << desk_height_;
    EXPECT_NEAR(*finished->off_target_mm, 760 - desk_height_, 1);
  }
  for (int target : {1050, 780, 1100}) {
    go_to(target);
    run_for(seconds(15));
    EXPECT_NEAR(desk_height_, target, 3) << "moving to " << target << " after the late stop";
  }
}

TEST_F(MotionTest, TargetWithinToleranceFinishesWithoutMoving) {
  make(settings(), 1000.0);
  auto fx = go_to(1001);
  EXPECT_FALSE(fx.last_drive().has_value());
  EXPECT_TRUE(has_notice(MotionNotice::Kind::kMoveFinished));
}

TEST_F(MotionTest, HandsetPressStopsAnAutomaticMoveAndIsReportedAsManual) {
  make(settings(), 720.0);
  go_to(1100);
  run_for(seconds(2));
  handset_ = Drive::kDown;  // the user grabs the handset: manual wins
  run_for(milliseconds(10));
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_TRUE(controller_->manual_motion());
  run_for(seconds(1));
  handset_ = Drive::kNone;
  run_for(seconds(3));
  EXPECT_TRUE(has_notice(MotionNotice::Kind::kStopped));
  ASSERT_TRUE(has_notice(MotionNotice::Kind::kManualMove));
  EXPECT_FALSE(controller_->manual_motion());
  EXPECT_NEAR(controller_->height_mm(now_).value(), desk_height_, 0.6);
}

TEST_F(MotionTest, EncoderMotionWhileIdleIsAManualMove) {
  make(settings(), 720.0);
  desk_height_ = 760;  // moved by hand (handset not tapped)
  send(InputsChanged{inputs()});
  EXPECT_TRUE(controller_->manual_motion());
  run_for(seconds(2));
  ASSERT_TRUE(has_notice(MotionNotice::Kind::kManualMove));
  EXPECT_NEAR(notices_.back().from_mm.value(), 720, 0.6);
  EXPECT_NEAR(notices_.back().height_mm.value(), 760, 0.6);
}

TEST_F(MotionTest, CommandsAreRefusedWhileTheHandsetIsHeld) {
  make(settings(), 720.0);
  handset_ = Drive::kUp;
  send(InputsChanged{inputs()});
  auto fx = go_to(1000);
  EXPECT_NE(fx.error.value_or("").find("handset"), std::string::npos);
}

TEST_F(MotionTest, BottomLimitSwitchReZeroesThePosition) {
  auto s = settings();
  make(s, 700.0);
  desk_height_ = 640;  // the stored position was 60 mm off
  send(InputsChanged{inputs()});
  go_to(630);
  run_for(seconds(5));
  desk_height_ = s.bottom_height_mm;
  send(InputsChanged{inputs()});
  EXPECT_DOUBLE_EQ(controller_->height_mm(now_).value(), s.bottom_height_mm);
}

TEST_F(MotionTest, UnexpectedLimitSwitchBeforeTheTargetLatchesLimitFault) {
  auto s = settings();
  s.bottom_height_mm = 620;
  make(s, 800.0);  // believes 800, is at 700
  desk_height_ = 700;
  last_sent_ = inputs();
  controller_.emplace(s, last_sent_, RestoredPosition{800.0, {}, {}, {}}, now_);
  go_to(700);  // drives down 100 mm, hits the bottom switch 80 mm early
  run_for(seconds(10));
  EXPECT_EQ(controller_->fault(), Fault::kLimit);
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_TRUE(controller_->calibrated());  // re-zeroed at the switch
}

TEST_F(MotionTest, TimedSensorIntegratesRunTime) {
  auto s = settings();
  s.sensor = SensorKind::kTimed;
  s.up_speed_mm_s = 38;
  coast_mm_ = 0;
  make(s, 720.0);
  go_to(1100);
  run_for(seconds(15));
  EXPECT_NEAR(desk_height_, 1100, 2);
  EXPECT_NEAR(controller_->height_mm(now_).value(), 1100, 1);
}

TEST_F(MotionTest, TimedSensorCalibratesByRunningDownForTheFullTravel) {
  auto s = settings();
  s.sensor = SensorKind::kTimed;
  s.has_limit_bottom = false;
  make(s, std::nullopt);
  command(Kind::kCalibrate);
  run_for(seconds(25));
  EXPECT_TRUE(controller_->calibrated());
  EXPECT_DOUBLE_EQ(desk_height_, s.bottom_height_mm);
  EXPECT_EQ(motor_, Drive::kNone);
}

TEST_F(MotionTest, NoSensorRunsToTheEndStopAndKnowsOnlyTheEnds) {
  auto s = settings();
  s.sensor = SensorKind::kNone;
  s.has_limit_top = false;
  make(s, std::nullopt);
  go_to(1100);  // "standing": run up to the top end stop
  run_for(milliseconds(500));
  EXPECT_FALSE(controller_->calibrated());
  run_for(seconds(25));
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_DOUBLE_EQ(controller_->height_mm(now_).value(), s.top_height_mm);
  EXPECT_DOUBLE_EQ(desk_height_, s.top_height_mm);
}

TEST_F(MotionTest, NudgeGoesUpAFewMillimetresAndBack) {
  make(settings(), 720.0);
  command(Kind::kNudge);
  double highest = desk_height_;
  for (int i = 0; i < 200; ++i) {
    run_for(milliseconds(20));
    highest = std::max(highest, desk_height_);
  }
  EXPECT_GE(highest, 720 + settings_.nudge_mm - 3);
  EXPECT_LE(highest, 720 + settings_.nudge_mm + 6);
  EXPECT_NEAR(desk_height_, 720, 3);
  EXPECT_EQ(controller_->state(), MotionState::kIdle);
}

TEST_F(MotionTest, EveryStateIsReachable) {
  std::set<MotionState> seen;
  make(settings(), std::nullopt);
  seen.insert(controller_->state());  // unknown
  command(Kind::kCalibrate);
  seen.insert(controller_->state());  // calibrating
  run_for(seconds(20));
  seen.insert(controller_->state());  // idle
  go_to(1000);
  seen.insert(controller_->state());  // moving up
  run_for(seconds(1));
  go_to(630);
  seen.insert(controller_->state());  // reverse pause
  run_for(seconds(1));
  seen.insert(controller_->state());  // moving down
  send(OutputFailed{"x"});
  seen.insert(controller_->state());  // fault
  EXPECT_EQ(seen.size(), 7u);
}

TEST_F(MotionTest, AMoveFromAnotherSourceSupersedesTheRunningOneAndSaysSo) {
  make(settings(), 720.0);
  send(MotionCommand{Kind::kGoTo, 1100, MoveSource::kSchedule});
  run_for(milliseconds(500));
  notices_.clear();
  send(MotionCommand{Kind::kGoTo, 1000, MoveSource::kMqtt});
  ASSERT_FALSE(notices_.empty());
  EXPECT_EQ(notices_.front().kind, MotionNotice::Kind::kStopped);
  EXPECT_EQ(notices_.front().detail, "superseded");
}

TEST_F(MotionTest, NoSensorMoveKeepsItsEndStopTimingWhenCommandedAgain) {
  auto s = settings();
  s.sensor = SensorKind::kNone;
  s.has_limit_top = false;
  make(s, std::nullopt);
  go_to(1100);
  run_for(seconds(2));
  go_to(1100);  // "stand" again while already running up
  run_for(seconds(25));
  EXPECT_EQ(controller_->fault(), Fault::kNone);
  EXPECT_DOUBLE_EQ(controller_->height_mm(now_).value(), s.top_height_mm);
}

TEST_F(MotionTest, ShortReverseDelayLeavesNoStaleSettleDeadline) {
  auto s = settings();
  s.reverse_delay = milliseconds(100);  // shorter than the settle time
  make(s, 800.0);
  go_to(1100);
  run_for(milliseconds(500));
  go_to(700);
  int deadline_calls = 0;
  for (int i = 0; i < 1000; ++i) {  // 2 s in 2 ms steps
    run_for(milliseconds(2));
    auto dl = controller_->next_deadline();
    if (dl && *dl < now_) ++deadline_calls;  // a deadline already in the past would spin
  }
  EXPECT_EQ(deadline_calls, 0);
}

TEST_F(MotionTest, IdleControllerHasNoDeadline) {
  make(settings(), 720.0);
  EXPECT_FALSE(controller_->next_deadline().has_value());
  go_to(900);
  run_for(seconds(10));
  EXPECT_FALSE(controller_->next_deadline().has_value());  // no periodic wake-ups while idle
}

TEST_F(MotionTest, FirstMoveOnAFreshStateEndsWithinTolerance) {
  // No coast learned yet; desks that coast less and more than the prior (0.12 s at full speed).
  for (double coast : {2.0, 5.0, 8.0}) {
    coast_mm_ = coast;
    notices_.clear();
    make(settings(), 720.0);
    go_to(1003);
    run_for(seconds(15));
    EXPECT_NEAR(desk_height_, 1003, settings_.tolerance_mm) << "coast " << coast;
    const MotionNotice* done = last_notice(MotionNotice::Kind::kMoveFinished);
    ASSERT_NE(done, nullptr) << "coast " << coast;
    EXPECT_EQ(done->target_mm, 1003);
    EXPECT_NEAR(done->height_mm.value(), desk_height_, 0.6);
  }
}

TEST_F(MotionTest, AStopOutsideTheToleranceGetsOneCorrectingStepAndOneFinishNotice) {
  coast_mm_ = 2.0;  // the cautious prior stops ~7 mm short
  make(settings(), 720.0);
  go_to(1000);
  run_for(seconds(15));
  int runs_up = 0;
  for (const auto& c : changes_) runs_up += c.drive == Drive::kUp;
  EXPECT_EQ(runs_up, 2);  // the move and one correcting step
  int finished = 0;
  int started = 0;
  for (const auto& n : notices_) {
    finished += n.kind == MotionNotice::Kind::kMoveFinished;
    started += n.kind == MotionNotice::Kind::kMoveStarted;
  }
  EXPECT_EQ(started, 1);
  EXPECT_EQ(finished, 1);
  EXPECT_NEAR(desk_height_, 1000, settings_.tolerance_mm);
}

TEST_F(MotionTest, TimedCalibrateWhileMovingDownWithoutLimitSwitchHasNoDeadlineInThePast) {
  auto s = settings();
  s.sensor = SensorKind::kTimed;
  s.has_limit_bottom = false;
  s.has_limit_top = false;
  coast_mm_ = 0;
  make(s, 1000.0);
  go_to(700);
  run_for(seconds(2));
  ASSERT_EQ(motor_, Drive::kDown);
  command(Kind::kCalibrate);  // re-targets the running move
  int due_after_handling = 0;
  for (int i = 0; i < 20000 && (motor_ != Drive::kNone || controller_->next_deadline()); ++i) {
    now_ += step_;
    physics(std::chrono::duration<double>(step_).count());
    auto dl = controller_->next_deadline();
    if (dl && *dl <= now_) {
      send(DeadlineReached{});
      auto again = controller_->next_deadline();
      if (again && *again <= now_) ++due_after_handling;  // the timer would re-arm at zero
    }
  }
  EXPECT_EQ(due_after_handling, 0);
  EXPECT_EQ(controller_->fault(), Fault::kNone);
  EXPECT_TRUE(controller_->calibrated());
  EXPECT_DOUBLE_EQ(desk_height_, s.bottom_height_mm);
  EXPECT_EQ(motor_, Drive::kNone);
}

TEST_F(MotionTest, AReversalWithoutDeadTimeIsAStopThenAStartInOneEvent) {
  auto s = settings();
  s.reverse_delay = milliseconds(0);
  s.min_off = milliseconds(0);  // no off-time either (invariant 9 has its own tests)
  make(s, 800.0);
  go_to(1100);
  run_for(seconds(1));
  auto fx = go_to(700);
  std::vector<Drive> drives;
  for (const auto& step : fx.steps) {
    if (const auto* d = std::get_if<SetDrive>(&step)) drives.push_back(d->drive);
  }
  EXPECT_EQ(drives, (std::vector<Drive>{Drive::kNone, Drive::kDown}));
  EXPECT_EQ(motor_, Drive::kDown);
}

TEST(CoastLearner, LearnsTheBrakingConstantPerDirection) {
  CoastLearner c(0.1);
  EXPECT_DOUBLE_EQ(c.predict(Drive::kUp, 40), 4.0);
  for (int i = 0; i < 20; ++i) c.learn(Drive::kUp, 40, 8.0);
  EXPECT_NEAR(c.predict(Drive::kUp, 40), 8.0, 0.01);
  EXPECT_NEAR(c.predict(Drive::kUp, 20), 2.0, 0.01);   // coast grows with speed squared
  EXPECT_DOUBLE_EQ(c.predict(Drive::kDown, 40), 4.0);  // untouched
  c.learn(Drive::kDown, 1.0, 3.0);                     // too slow to learn from
  EXPECT_EQ(c.model().samples_down, 0);
}

}  // namespace
}  // namespace deskd::core::testing
