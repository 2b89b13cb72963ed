// One test (or table) per safety invariant of DESIGN.md §4, items 1–5 and 7.
#include <gtest/gtest.h>

#include "motion_fixture.h"

namespace deskd::core::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Kind = MotionCommand::Kind;

// ---- Invariant 1: never both outputs; reversal passes through stop + dead time ---------------

TEST_F(MotionTest, Invariant1_ReversalPassesThroughStopAndDeadTime) {
  make(settings(), 720.0);
  go_to(1100);
  run_for(milliseconds(2000));
  ASSERT_EQ(motor_, Drive::kUp);
  auto fx = go_to(750);  // reverse while moving up (it is at ~796 mm)
  ASSERT_TRUE(fx.last_drive().has_value());
  EXPECT_EQ(*fx.last_drive(), Drive::kNone);
  EXPECT_EQ(controller_->state(), MotionState::kReversePause);
  const SteadyTime stopped_at = now_;
  run_for(milliseconds(10000));
  // Find the stop and the next drive down: the gap is at least reverse_delay.
  std::optional<SteadyTime> down_at;
  for (const auto& c : changes_) {
    if (c.drive == Drive::kDown && c.at >= stopped_at) {
      down_at = c.at;
      break;
    }
  }
  ASSERT_TRUE(down_at.has_value());
  EXPECT_GE(*down_at - stopped_at, settings_.reverse_delay);
  EXPECT_NEAR(controller_->height_mm(now_).value(), 750, 4);
}

TEST_F(MotionTest, Invariant1_FirstMoveAfterStartWaitsTheDeadTimeInEitherDirection) {
  // A previous process may have been driving either way a moment ago.
  for (int target : {1000, 650}) {
    make(settings(), 800.0);
    motor_ = Drive::kNone;  // a restart: the outputs were made inactive
    coast_left_ = 0;
    controller_.emplace(settings_, inputs(), RestoredPosition{800.0, {}, {}, {}}, now_);
    const SteadyTime started = now_;
    changes_.clear();
    go_to(target);
    EXPECT_EQ(controller_->state(), MotionState::kReversePause);
    run_for(milliseconds(1000));
    ASSERT_FALSE(changes_.empty());
    EXPECT_GE(changes_.front().at - started, settings_.reverse_delay);
  }
}

TEST_F(MotionTest, Invariant1_ReversalWhilePausedThenBackDoesNotDriveTwice) {
  make(settings(), 800.0);
  go_to(1100);
  run_for(milliseconds(500));
  go_to(700);   // reverse: pause
  go_to(1100);  // back to up before the pause ends: waits the same dead time (last dir was up)
  run_for(milliseconds(2000));
  int started = 0;
  for (const auto& n : notices_) started += n.kind == MotionNotice::Kind::kMoveStarted;
  // 1100, then 1100 again at once (same direction as last driven: no dead time); the cancelled
  // 700 never started, and nothing starts a second time when its pause would have ended.
  EXPECT_EQ(started, 2);
  EXPECT_EQ(motor_, Drive::kUp);
}

TEST_F(MotionTest, Invariant1_DeadTimeCountsFromTheActualStopWrite) {
  make(settings(), 720.0);
  go_to(1100);
  run_for(milliseconds(1000));
  go_to(750);  // stop now, reverse after the dead time
  const SteadyTime decided = now_;
  controller_->outputs_written(decided + milliseconds(30));  // the write happened 30 ms later
  run_for(milliseconds(2000));
  std::optional<SteadyTime> down_at;
  for (const auto& c : changes_) {
    if (c.drive == Drive::kDown) down_at = c.at;
  }
  ASSERT_TRUE(down_at.has_value());
  EXPECT_GE(*down_at - decided, milliseconds(30) + settings_.reverse_delay);
}

TEST_F(MotionTest, Invariant1_EveryDriveChangeGoesThroughNone) {
  make(settings(), 720.0);
  for (int target : {1100, 700, 1200, 650, 900}) {
    go_to(target);
    run_for(milliseconds(300));
  }
  run_for(seconds(30));
  for (std::size_t i = 1; i < changes_.size(); ++i) {
    if (changes_[i].drive != Drive::kNone) {
      EXPECT_EQ(changes_[i - 1].drive, Drive::kNone) << "change " << i;
    }
    if (changes_[i].drive != Drive::kNone && i >= 2 && changes_[i - 2].drive != Drive::kNone &&
        changes_[i - 2].drive != changes_[i].drive) {
      EXPECT_GE(changes_[i].at - changes_[i - 1].at, settings_.reverse_delay) << "change " << i;
    }
  }
}

// ---- Invariant 2: every move has a deadline ---------------------------------------------------

TEST_F(MotionTest, Invariant2_MoveSlowerThanItsEstimateTimesOutAndLatchesTimeout) {
  make(settings(), 700.0);
  speed_ = 38 * 0.45;  // slow but above the obstruction threshold (0.4)
  go_to(1200);
  run_for(seconds(40));
  EXPECT_EQ(controller_->fault(), Fault::kTimeout);
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_EQ(controller_->state(), MotionState::kFault);
  EXPECT_FALSE(controller_->calibrated());
}

TEST_F(MotionTest, Invariant2_MaxRunCapsTheDeadline) {
  auto s = settings();
  s.max_run = seconds(3);
  make(s, 700.0);
  go_to(1200);  // needs ~13 s
  run_for(seconds(5));
  EXPECT_EQ(controller_->fault(), Fault::kTimeout);
  ASSERT_GE(changes_.size(), 2u);
  EXPECT_LE(changes_[1].at - changes_[0].at, seconds(3) + milliseconds(4));
}

// ---- Invariant 3: stall and obstruction -------------------------------------------------------

TEST_F(MotionTest, Invariant3_NoProgressForStallTimeoutStopsWithStall) {
  make(settings(), 800.0);
  go_to(1100);
  run_for(milliseconds(1000));
  stalled_ = true;
  const SteadyTime stalled_at = now_;
  run_for(seconds(3));
  EXPECT_EQ(controller_->fault(), Fault::kStall);
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_LE(changes_.back().at - stalled_at, settings_.stall_timeout + milliseconds(40));
  EXPECT_TRUE(has_notice(MotionNotice::Kind::kFault));
}

TEST_F(MotionTest, Invariant3_SensorDropoutWhileDrivingIsCaughtAsStall) {
  make(settings(), 800.0);
  go_to(1100);
  run_for(milliseconds(1000));
  frozen_count_ = inputs().encoder_count;
  sensor_dropout_ = true;
  run_for(seconds(3));
  EXPECT_EQ(controller_->fault(), Fault::kStall);
  EXPECT_EQ(motor_, Drive::kNone);
}

TEST_F(MotionTest, Invariant3_SuddenSlowdownStopsBacksOffAndLatchesObstruction) {
  make(settings(), 1100.0);
  obstruction_ = 900.0;
  go_to(700);
  run_for(seconds(15));
  EXPECT_EQ(controller_->fault(), Fault::kObstruction);
  EXPECT_EQ(motor_, Drive::kNone);
  // It drove down, stopped, then drove up (the back-off) after the dead time, then stopped.
  ASSERT_GE(changes_.size(), 4u);
  EXPECT_EQ(changes_[0].drive, Drive::kDown);
  EXPECT_EQ(changes_[1].drive, Drive::kNone);
  EXPECT_EQ(changes_[2].drive, Drive::kUp);
  EXPECT_GE(changes_[2].at - changes_[1].at, settings_.reverse_delay);
  EXPECT_EQ(changes_[3].drive, Drive::kNone);
  EXPECT_GT(desk_height_, 900.0);  // it backed off upwards, away from the obstruction
  // By backoff_mm from where it stopped (give or take the coast left after each stop).
  EXPECT_NEAR(desk_height_ - changes_[2].height, settings_.backoff_mm, 3.0);
  EXPECT_FALSE(controller_->calibrated());
}

TEST_F(MotionTest, Invariant3_StallWhileMovingDownBacksOffUpwardByBackoffThenLatchesStall) {
  // Something under the desk stops it dead (no more encoder edges); upward it is free.
  make(settings(), 1000.0);
  go_to(700);
  run_for(milliseconds(2000));
  stalled_ = true;
  stall_dir_ = Drive::kDown;
  run_for(seconds(5));
  EXPECT_EQ(controller_->fault(), Fault::kStall);
  EXPECT_EQ(controller_->state(), MotionState::kFault);
  EXPECT_EQ(motor_, Drive::kNone);
  ASSERT_EQ(changes_.size(), 4u);
  EXPECT_EQ(changes_[0].drive, Drive::kDown);
  EXPECT_EQ(changes_[1].drive, Drive::kNone);
  EXPECT_EQ(changes_[2].drive, Drive::kUp);
  EXPECT_GE(changes_[2].at - changes_[1].at, settings_.reverse_delay);
  EXPECT_EQ(changes_[3].drive, Drive::kNone);
  EXPECT_NEAR(desk_height_ - changes_[2].height, settings_.backoff_mm, 3.0);
  EXPECT_FALSE(controller_->calibrated());
  // Where it came to rest is reported.
  const MotionNotice* backed = last_notice(MotionNotice::Kind::kStopped);
  ASSERT_NE(backed, nullptr);
  EXPECT_EQ(backed->source, MoveSource::kBackoff);
  EXPECT_NEAR(backed->from_mm.value(), desk_height_, 0.6);
  // The fault is latched while backing off: nothing else may start.
  EXPECT_NE(go_to(900).error.value_or("").find("fault latched"), std::string::npos);
}

TEST_F(MotionTest, Invariant3_ObstructionWhileMovingUpStopsWithoutDrivingDown) {
  make(settings(), 800.0);
  obstruction_ = 1000.0;
  go_to(1200);
  run_for(seconds(15));
  EXPECT_EQ(controller_->fault(), Fault::kObstruction);
  ASSERT_EQ(changes_.size(), 2u);  // up, stop: backing off downwards could pinch
  EXPECT_EQ(changes_[1].drive, Drive::kNone);
}

TEST_F(MotionTest, Invariant3_StopDuringTheBackOffStopsAndKeepsTheFault) {
  make(settings(), 1000.0);
  go_to(700);
  run_for(milliseconds(2000));
  stalled_ = true;
  stall_dir_ = Drive::kDown;
  run_for(milliseconds(1500));  // stall after 800 ms, then the dead time: backing off now
  ASSERT_EQ(motor_, Drive::kUp);
  EXPECT_TRUE(command(Kind::kClearFault).error.has_value());  // still backing off
  command(Kind::kStop);
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_EQ(controller_->fault(), Fault::kStall);
  EXPECT_EQ(controller_->state(), MotionState::kFault);
  EXPECT_FALSE(controller_->calibrated());
}

TEST_F(MotionTest, Invariant3_ImpossibleEncoderTransitionsLatchSensorFault) {
  make(settings(), 800.0);
  go_to(1100);
  run_for(milliseconds(500));
  encoder_errors_ += 12;
  run_for(milliseconds(50));
  EXPECT_EQ(controller_->fault(), Fault::kSensor);
  EXPECT_EQ(motor_, Drive::kNone);
}

// Fewer undecodable transitions than a sensor fault still hide counts (issue 20 §4: a CPU too busy
// to read the lines): the finished move says how far the height may be off, until a re-zero.
TEST_F(MotionTest, Invariant3_LostEncoderStepsMakeTheHeightUncertainUntilReZeroed) {
  make(settings(), 800.0);
  go_to(900);
  run_for(milliseconds(500));
  encoder_errors_ += 2;
  run_for(seconds(10));
  EXPECT_EQ(controller_->fault(), Fault::kNone);
  const MotionNotice* done = last_notice(MotionNotice::Kind::kMoveFinished);
  ASSERT_NE(done, nullptr);
  ASSERT_TRUE(done->uncertainty_mm);
  EXPECT_DOUBLE_EQ(*done->uncertainty_mm, 2 * 4 * settings().mm_per_count);
  EXPECT_DOUBLE_EQ(controller_->height_uncertainty_mm(), 2 * 4 * settings().mm_per_count);
  go_to(850);  // still tolerated, still uncertain
  run_for(seconds(10));
  ASSERT_TRUE(last_notice(MotionNotice::Kind::kMoveFinished)->uncertainty_mm);
  // a clean restart keeps the doubt with the saved height
  const RestoredPosition saved = controller_->persistent(now_);
  EXPECT_DOUBLE_EQ(saved.height_uncertainty_mm, 4.0);
  controller_.emplace(settings(), inputs(), saved, now_ - seconds(10));
  EXPECT_DOUBLE_EQ(controller_->height_uncertainty_mm(), 4.0);
  notices_.clear();
  command(Kind::kCalibrate);
  run_for(seconds(20));
  ASSERT_TRUE(has_notice(MotionNotice::Kind::kCalibrated));
  EXPECT_DOUBLE_EQ(controller_->height_uncertainty_mm(), 0.0);
  go_to(900);
  run_for(seconds(10));
  EXPECT_FALSE(last_notice(MotionNotice::Kind::kMoveFinished)->uncertainty_mm);
}

// Edges the kernel dropped (a full event queue) are doubt too: 2 counts each, cleared by a re-zero.
TEST_F(MotionTest, Invariant3_EdgesTheKernelDroppedMakeTheHeightUncertain) {
  make(settings(), 800.0);
  encoder_lost_edges_ = 3;
  run_for(milliseconds(50));
  EXPECT_DOUBLE_EQ(controller_->height_uncertainty_mm(), 3 * 2 * settings().mm_per_count);
  command(Kind::kCalibrate);
  run_for(seconds(20));
  EXPECT_DOUBLE_EQ(controller_->height_uncertainty_mm(), 0.0);
}

// ---- Invariant 4: soft limits -------------------------------------------------------------------

struct LimitCase {
  int target;
  bool accepted;
};
class SoftLimitTest : public MotionTest, public ::testing::WithParamInterface<LimitCase> {};

TEST_P(SoftLimitTest, Invariant4_TargetOutsideSoftLimitsIsRefusedAndNothingMoves) {
  make(settings(), 800.0);
  auto fx = go_to(GetParam().target);
  EXPECT_EQ(!fx.error.has_value(), GetParam().accepted) << fx.error.value_or("");
  if (!GetParam().accepted) {
    EXPECT_FALSE(fx.last_drive().has_value());
    EXPECT_NE(fx.error->find(" is outside 620..1270"), std::string::npos) << *fx.error;
    EXPECT_EQ(controller_->state(), MotionState::kIdle);
  }
}
INSTANTIATE_TEST_SUITE_P(Targets, SoftLimitTest,
                         ::testing::Values(LimitCase{619, false}, LimitCase{620, true},
                                           LimitCase{1270, true}, LimitCase{1271, false},
                                           LimitCase{-5, false}, LimitCase{100000, false}),
                         [](const ::testing::TestParamInfo<LimitCase>& info) {
                           const int t = info.param.target;
                           return (t < 0 ? "Minus" + std::to_string(-t) : std::to_string(t)) +
                                  "mm" + (info.param.accepted ? "Accepted" : "Refused");
                         });

TEST_F(MotionTest, Invariant4_MotionNeverPassesTheSoftLimits) {
  auto s = settings();
  s.bottom_height_mm = 600;
  s.top_height_mm = 1300;
  make(s, 1000.0);
  // This desk coasts 6.5 mm; the coast it learned earlier (restored) is 1 mm: the guard, not the
  // learned coast, must keep it inside.
  coast_mm_ = 6.5;
  CoastModel learned;
  learned.up_s = learned.down_s = 1.0 / (38.0 * 38.0);
  learned.samples_up = learned.samples_down = 20;
  controller_.emplace(s, inputs(), RestoredPosition{1000.0, learned, {}, {}}, now_ - seconds(10));
  go_to(1270);
  run_for(seconds(15));
  EXPECT_LE(desk_height_, 1270.0 + 0.5);
  go_to(620);
  run_for(seconds(25));
  EXPECT_GE(desk_height_, 620.0 - 0.5);
  EXPECT_EQ(controller_->fault(), Fault::kNone);
}

TEST_F(MotionTest, Invariant4_RepeatedMovesToTheLimitsNeverPassThem) {
  make(settings(), 900.0);
  coast_mm_ = 6.0;
  for (int i = 0; i < 4; ++i) {
    go_to(settings_.max_height_mm);
    run_for(seconds(15));
    EXPECT_LE(desk_height_, settings_.max_height_mm + 0.5) << "round " << i;
    go_to(settings_.min_height_mm);
    run_for(seconds(20));
    EXPECT_GE(desk_height_, settings_.min_height_mm - 0.5) << "round " << i;
  }
}

TEST_F(MotionTest, Invariant4_HandsetDuringTheSettleEndsItAndIsNeverLearnedAsCoast) {
  make(settings(), 720.0);
  go_to(1000);
  for (int i = 0; i < 10000 && motor_ != Drive::kNone; ++i) run_for(milliseconds(2));
  ASSERT_EQ(motor_, Drive::kNone);
  ASSERT_FALSE(has_notice(MotionNotice::Kind::kMoveFinished));  // still settling
  run_for(milliseconds(20));
  handset_ = Drive::kUp;  // the user takes over while the desk settles
  run_for(milliseconds(10));
  // The press ends the settle: the move is reported finished at once.
  EXPECT_TRUE(has_notice(MotionNotice::Kind::kMoveFinished));
  run_for(milliseconds(600));
  handset_ = Drive::kNone;
  run_for(seconds(3));
  EXPECT_EQ(controller_->persistent(now_).coast.samples_up, 0);  // nothing learned
  EXPECT_TRUE(has_notice(MotionNotice::Kind::kManualMove));
  EXPECT_EQ(motor_, Drive::kNone);
}

TEST_F(MotionTest, Invariant4_MotionByHandDuringTheSettleIsNeverLearnedAsCoast) {
  make(settings(), 720.0);
  coast_mm_ = 0;
  go_to(1000);
  for (int i = 0; i < 10000 && motor_ != Drive::kNone; ++i) run_for(milliseconds(2));
  ASSERT_EQ(motor_, Drive::kNone);
  for (int i = 0; i < 20; ++i) {  // pushed down by hand during the settle, 20 mm
    desk_height_ -= 1.0;
    run_for(milliseconds(10));
  }
  run_for(seconds(3));
  const CoastModel m = controller_->persistent(now_).coast;
  EXPECT_EQ(m.samples_up, 0);
  EXPECT_TRUE(has_notice(MotionNotice::Kind::kManualMove));
}

// ---- Invariant 5: position unknown -> no moves until calibrated --------------------------------

TEST_F(MotionTest, Invariant5_FreshStartWithRelativeSensorRefusesMovesUntilCalibrated) {
  make(settings(), std::nullopt);
  EXPECT_EQ(controller_->state(), MotionState::kUnknown);
  auto fx = go_to(1000);
  ASSERT_TRUE(fx.error.has_value());
  EXPECT_NE(fx.error->find("position unknown"), std::string::npos);
  EXPECT_FALSE(fx.last_drive().has_value());
  command(Kind::kCalibrate);
  EXPECT_EQ(controller_->state(), MotionState::kCalibrating);
  run_for(seconds(20));
  EXPECT_TRUE(controller_->calibrated());
  EXPECT_TRUE(has_notice(MotionNotice::Kind::kCalibrated));
  EXPECT_DOUBLE_EQ(controller_->height_mm(now_).value(), settings_.bottom_height_mm);
  EXPECT_FALSE(go_to(1000).error.has_value());
}

TEST_F(MotionTest, Invariant5_CalibrationWithoutLimitSwitchEndsAtTheEndStopStall) {
  auto s = settings();
  s.has_limit_bottom = false;
  make(s, std::nullopt);
  command(Kind::kCalibrate);
  run_for(seconds(20));
  EXPECT_TRUE(controller_->calibrated());
  EXPECT_EQ(controller_->fault(), Fault::kNone);
  EXPECT_EQ(motor_, Drive::kNone);
}

TEST_F(MotionTest, Invariant5_CalibrationWithADeadSensorFailsWithSensorFault) {
  auto s = settings();
  s.has_limit_bottom = false;
  make(s, 1000.0);
  frozen_count_ = inputs().encoder_count;
  sensor_dropout_ = true;  // the encoder no longer counts; the desk still moves
  command(Kind::kCalibrate);
  run_for(seconds(20));
  EXPECT_EQ(controller_->fault(), Fault::kSensor);
  EXPECT_FALSE(controller_->calibrated());
  EXPECT_FALSE(has_notice(MotionNotice::Kind::kCalibrated));
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_NE(controller_->fault_detail().find("counted 0.0 mm"), std::string::npos)
      << controller_->fault_detail();
}

TEST_F(MotionTest, Invariant5_CalibrationWithADeadSensorFailsAgainAfterClearFault) {
  auto s = settings();
  s.has_limit_bottom = false;
  make(s, std::nullopt);
  frozen_count_ = inputs().encoder_count;
  sensor_dropout_ = true;
  for (int round = 0; round < 2; ++round) {
    command(Kind::kCalibrate);
    run_for(seconds(5));
    EXPECT_EQ(controller_->fault(), Fault::kSensor) << "round " << round;
    EXPECT_FALSE(controller_->calibrated()) << "round " << round;
    EXPECT_FALSE(command(Kind::kClearFault).error.has_value());
  }
}

TEST_F(MotionTest, Invariant5_AfterAFaultPositionIsUnknownAndMovesAreRefused) {
  make(settings(), 800.0);
  go_to(1100);
  run_for(milliseconds(500));
  stalled_ = true;
  run_for(seconds(2));
  ASSERT_EQ(controller_->fault(), Fault::kStall);
  EXPECT_NE(go_to(900).error.value_or("").find("fault latched"), std::string::npos);
  EXPECT_FALSE(command(Kind::kClearFault).error.has_value());
  EXPECT_EQ(controller_->state(), MotionState::kUnknown);
  EXPECT_NE(go_to(900).error.value_or("").find("position unknown"), std::string::npos);
}

// ---- Invariant 7 (core part): stop and faults leave the outputs inactive ----------------------

TEST_F(MotionTest, Invariant7_StopCommandMakesOutputsInactiveImmediately) {
  make(settings(), 800.0);
  go_to(1100);
  run_for(milliseconds(500));
  auto fx = command(Kind::kStop);
  ASSERT_TRUE(fx.last_drive().has_value());
  EXPECT_EQ(*fx.last_drive(), Drive::kNone);
  EXPECT_EQ(controller_->drive(), Drive::kNone);
}

TEST_F(MotionTest, Invariant7_StopDuringReversePauseCancelsThePendingMove) {
  make(settings(), 800.0);
  go_to(1100);
  run_for(milliseconds(500));
  go_to(700);
  ASSERT_EQ(controller_->state(), MotionState::kReversePause);
  command(Kind::kStop);
  run_for(seconds(3));
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_EQ(controller_->state(), MotionState::kIdle);
}

TEST_F(MotionTest, Invariant7_OutputFailureLatchesGpioFaultAndAsksForInactiveOutputs) {
  make(settings(), 800.0);
  go_to(1100);
  auto fx = send(OutputFailed{"EIO"});
  ASSERT_TRUE(fx.last_drive().has_value());
  EXPECT_EQ(*fx.last_drive(), Drive::kNone);
  EXPECT_EQ(controller_->fault(), Fault::kGpio);
}

TEST_F(MotionTest, CommandsWhileFaultLatchedAreRefusedExceptStopAndClear) {
  make(settings(), 800.0);
  send(OutputFailed{"EIO"});
  for (auto k : {Kind::kCalibrate, Kind::kNudge}) {
    EXPECT_TRUE(command(k).error.has_value());
  }
  EXPECT_FALSE(command(Kind::kStop).error.has_value());
  EXPECT_FALSE(command(Kind::kClearFault).error.has_value());
  EXPECT_TRUE(command(Kind::kClearFault).error.has_value());  // nothing left to clear
}

}  // namespace
}  // namespace deskd::core::testing
