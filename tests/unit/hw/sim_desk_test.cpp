#include "hw/sim_desk.h"

#include <gtest/gtest.h>

#include <cmath>

namespace deskd::hw {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class SimDeskTest : public ::testing::Test {
 protected:
  SimDeskTest() { rebuild(); }

  void rebuild() { desk_.emplace(sim_, motion_, now_); }
  SimDesk& desk() { return *desk_; }

  void run_for(std::chrono::steady_clock::duration d) {
    now_ += d;
    desk().advance(now_);
  }
  void drive(core::Drive d) { desk().set_drive(d, now_); }
  // Drives `d` for `duration`, stops and lets the coast settle; returns the height at the stop.
  double move(core::Drive d, std::chrono::steady_clock::duration duration) {
    drive(d);
    run_for(duration);
    const double at_stop = desk().height_mm();
    drive(core::Drive::kNone);
    run_for(seconds(2));
    return at_stop;
  }
  // The speed over one second of cruising, after the ramp.
  double cruise_speed(core::Drive d) {
    drive(d);
    run_for(milliseconds(300));
    const double from = desk().height_mm();
    run_for(seconds(1));
    const double speed = std::abs(desk().height_mm() - from);
    drive(core::Drive::kNone);
    run_for(seconds(2));
    return speed;
  }

  config::SimSettings sim_;
  core::MotionSettings motion_;
  core::SteadyTime now_{seconds(1000)};
  std::optional<SimDesk> desk_;
};

TEST_F(SimDeskTest, StartsAtRestAtTheConfiguredHeight) {
  EXPECT_DOUBLE_EQ(desk().height_mm(), 720.0);
  EXPECT_FALSE(desk().in_motion());
  EXPECT_EQ(desk().next_event_time(), std::nullopt);
}

TEST_F(SimDeskTest, EachMoveSpeedStaysWithinTheNoiseBoundsAndVaries) {
  sim_.start_height_mm = 900;
  rebuild();
  double min_up = 1e9, max_up = 0, min_down = 1e9, max_down = 0;
  for (int i = 0; i < 20; ++i) {
    const double up = cruise_speed(core::Drive::kUp);
    const double down = cruise_speed(core::Drive::kDown);
    min_up = std::min(min_up, up);
    max_up = std::max(max_up, up);
    min_down = std::min(min_down, down);
    max_down = std::max(max_down, down);
  }
  EXPECT_GE(min_up, 38.0 * 0.9 - 0.01);
  EXPECT_LE(max_up, 38.0 * 1.1 + 0.01);
  EXPECT_GE(min_down, 36.0 * 0.9 - 0.01);
  EXPECT_LE(max_down, 36.0 * 1.1 + 0.01);
  EXPECT_GT(max_up - min_up, 1.0);
  EXPECT_GT(max_down - min_down, 1.0);
}

TEST_F(SimDeskTest, ReachesSpeedOverTheRamp) {
  drive(core::Drive::kUp);
  run_for(milliseconds(50));
  const double early = desk().velocity_mm_s();
  run_for(milliseconds(150));
  const double full = desk().velocity_mm_s();
  EXPECT_GT(early, 0.0);
  EXPECT_LT(early, 0.5 * full);
  EXPECT_GE(full, 38.0 * 0.9);
}

TEST_F(SimDeskTest, CoastAfterStopStaysWithinBounds) {
  sim_.start_height_mm = 900;
  rebuild();
  double min_coast = 1e9, max_coast = 0;
  for (int i = 0; i < 30; ++i) {
    const core::Drive d = i % 2 == 0 ? core::Drive::kUp : core::Drive::kDown;
    const double at_stop = move(d, seconds(1));
    const double coast = std::abs(desk().height_mm() - at_stop);
    min_coast = std::min(min_coast, coast);
    max_coast = std::max(max_coast, coast);
    EXPECT_FALSE(desk().in_motion());
  }
  EXPECT_GE(min_coast, 3.0 - 0.05);
  EXPECT_LE(max_coast, 8.0 + 0.05);
  EXPECT_GT(max_coast - min_coast, 1.0);
}

TEST_F(SimDeskTest, StopsMovingOnceTheCoastIsOver) {
  drive(core::Drive::kUp);
  run_for(seconds(1));
  drive(core::Drive::kNone);
  EXPECT_TRUE(desk().in_motion());
  ASSERT_TRUE(desk().next_event_time().has_value());
  run_for(seconds(1));
  EXPECT_FALSE(desk().in_motion());
  EXPECT_DOUBLE_EQ(desk().velocity_mm_s(), 0.0);
}

TEST_F(SimDeskTest, EndStopsHoldTheDeskAndCloseTheLimitSwitches) {
  drive(core::Drive::kDown);
  run_for(seconds(10));
  EXPECT_DOUBLE_EQ(desk().height_mm(), 620.0);
  EXPECT_TRUE(desk().inputs().limit_bottom);
  EXPECT_FALSE(desk().inputs().limit_top);
  EXPECT_EQ(desk().inputs().encoder_count, 0);

  drive(core::Drive::kUp);
  run_for(seconds(30));
  EXPECT_DOUBLE_EQ(desk().height_mm(), 1270.0);
  EXPECT_TRUE(desk().inputs().limit_top);
  EXPECT_FALSE(desk().inputs().limit_bottom);
}

TEST_F(SimDeskTest, LimitSwitchesAreOpenBetweenTheEnds) {
  EXPECT_FALSE(desk().inputs().limit_bottom);
  EXPECT_FALSE(desk().inputs().limit_top);
}

TEST_F(SimDeskTest, EncoderCountIsTheHeightAboveTheBottomInCounts) {
  for (int i = 0; i < 5; ++i) {
    move(core::Drive::kUp, milliseconds(700 + 130 * i));
    const double expected = std::round((desk().height_mm() - 620.0) / 0.5);
    EXPECT_EQ(desk().inputs().encoder_count, static_cast<std::int64_t>(expected));
  }
}

TEST_F(SimDeskTest, SameSeedAndCallsGiveTheSameMotion) {
  move(core::Drive::kUp, milliseconds(1234));
  const double first = desk().height_mm();
  now_ = core::SteadyTime{seconds(1000)};
  rebuild();
  move(core::Drive::kUp, milliseconds(1234));
  EXPECT_DOUBLE_EQ(desk().height_mm(), first);
}

TEST_F(SimDeskTest, HowOftenAdvanceIsCalledDoesNotChangeTheMotion) {
  move(core::Drive::kUp, milliseconds(1500));
  const double coarse = desk().height_mm();
  now_ = core::SteadyTime{seconds(1000)};
  rebuild();
  drive(core::Drive::kUp);
  for (int i = 0; i < 300; ++i) run_for(milliseconds(5));
  drive(core::Drive::kNone);
  for (int i = 0; i < 777; ++i) run_for(std::chrono::microseconds(2574));
  run_for(seconds(1));
  EXPECT_DOUBLE_EQ(desk().height_mm(), coarse);
}

TEST_F(SimDeskTest, StallStopsTheDeskWhileTheMotorIsDriven) {
  drive(core::Drive::kUp);
  run_for(seconds(1));
  desk().inject_stall();
  const double at_stall = desk().height_mm();
  const auto count = desk().inputs().encoder_count;
  run_for(seconds(2));
  EXPECT_DOUBLE_EQ(desk().height_mm(), at_stall);
  EXPECT_EQ(desk().inputs().encoder_count, count);
  EXPECT_TRUE(desk().in_motion());  // the motor is still driven

  desk().clear_faults();
  run_for(seconds(1));
  EXPECT_GT(desk().height_mm(), at_stall + 20.0);
}

TEST_F(SimDeskTest, AStallBlocksTheWayTheDeskWasGoingButNotTheWayBack) {
  sim_.start_height_mm = 1000;
  rebuild();
  drive(core::Drive::kDown);
  run_for(seconds(1));
  desk().inject_stall();  // resting on something below
  const double at_stall = desk().height_mm();
  run_for(seconds(1));
  EXPECT_DOUBLE_EQ(desk().height_mm(), at_stall);
  drive(core::Drive::kNone);
  run_for(seconds(1));
  drive(core::Drive::kUp);
  run_for(milliseconds(500));
  EXPECT_GT(desk().height_mm(), at_stall + 10.0);
}

TEST_F(SimDeskTest, ObstructionBelowSlowsTheDescentSharplyAndStopsItWithin10mm) {
  sim_.start_height_mm = 1000;
  rebuild();
  desk().set_obstruction_at(900.0);
  drive(core::Drive::kDown);
  // Run until the desk reaches the obstruction.
  while (desk().height_mm() > 900.0) run_for(milliseconds(1));
  run_for(milliseconds(50));
  EXPECT_LE(std::abs(desk().velocity_mm_s()), 0.16 * 36.0 * 1.1);
  run_for(seconds(5));
  EXPECT_GE(desk().height_mm(), 890.0);
  EXPECT_LT(desk().height_mm(), 900.0);
  EXPECT_DOUBLE_EQ(desk().velocity_mm_s(), 0.0);

  // Backing off away from it is free.
  const double blocked = desk().height_mm();
  move(core::Drive::kUp, seconds(1));
  EXPECT_GT(desk().height_mm(), blocked + 30.0);
}

TEST_F(SimDeskTest, ObstructionAboveBlocksTheAscent) {
  desk().set_obstruction_at(800.0);
  drive(core::Drive::kUp);
  run_for(seconds(10));
  EXPECT_GT(desk().height_mm(), 800.0);
  EXPECT_LE(desk().height_mm(), 810.0);
  desk().set_obstruction_at(std::nullopt);
  run_for(seconds(1));
  EXPECT_GT(desk().height_mm(), 830.0);
}

TEST_F(SimDeskTest, SensorDropoutFreezesTheCountWhileTheDeskMoves) {
  drive(core::Drive::kUp);
  run_for(milliseconds(500));
  desk().set_sensor_dropout(true);
  const auto frozen = desk().inputs().encoder_count;
  const double at_dropout = desk().height_mm();
  run_for(seconds(1));
  EXPECT_GT(desk().height_mm(), at_dropout + 30.0);
  EXPECT_EQ(desk().inputs().encoder_count, frozen);

  // Back: it counts on from where it stopped, so the count has lost the move in between.
  desk().set_sensor_dropout(false);
  EXPECT_EQ(desk().inputs().encoder_count, frozen);
  const double at_restore = desk().height_mm();
  run_for(milliseconds(500));
  const double counted_mm = static_cast<double>(desk().inputs().encoder_count - frozen) * 0.5;
  EXPECT_NEAR(counted_mm, desk().height_mm() - at_restore, 0.5);
}

TEST_F(SimDeskTest, HandsetPressMovesTheDeskAndReadsActiveForItsDuration) {
  desk().press_handset(core::Drive::kUp, seconds(2), now_);
  EXPECT_TRUE(desk().in_motion());
  run_for(seconds(1));
  EXPECT_TRUE(desk().inputs().handset_up);
  EXPECT_FALSE(desk().inputs().handset_down);
  EXPECT_EQ(desk().drive(), core::Drive::kNone);  // deskd is not driving
  run_for(milliseconds(1001));
  EXPECT_FALSE(desk().inputs().handset_up);
  run_for(seconds(2));
  EXPECT_FALSE(desk().in_motion());
  // Two seconds at 38 +-10 % mm/s (less the ramp), plus the coast.
  EXPECT_GT(desk().height_mm(), 720.0 + 60.0);
  EXPECT_LT(desk().height_mm(), 720.0 + 95.0);
}

TEST_F(SimDeskTest, HandsetDownPressMovesTheDeskDown) {
  desk().press_handset(core::Drive::kDown, milliseconds(500), now_);
  run_for(milliseconds(100));
  EXPECT_TRUE(desk().inputs().handset_down);
  run_for(seconds(3));
  EXPECT_FALSE(desk().inputs().handset_down);
  EXPECT_LT(desk().height_mm(), 720.0 - 10.0);
}

TEST_F(SimDeskTest, LocalButtonReadsActiveForItsDurationAndMovesNothing) {
  const double before = desk().height_mm();
  desk().press_button(milliseconds(2500), now_);
  EXPECT_TRUE(desk().inputs().button);
  EXPECT_TRUE(desk().button_held());
  run_for(milliseconds(2400));
  EXPECT_TRUE(desk().inputs().button);
  run_for(milliseconds(200));
  EXPECT_FALSE(desk().inputs().button);
  EXPECT_FALSE(desk().in_motion());
  EXPECT_EQ(desk().height_mm(), before);
}

TEST_F(SimDeskTest, ClearFaultsRemovesEveryInjectedFault) {
  desk().inject_stall();
  desk().set_obstruction_at(730.0);
  desk().set_sensor_dropout(true);
  desk().clear_faults();
  const auto count = desk().inputs().encoder_count;
  move(core::Drive::kUp, seconds(1));
  EXPECT_GT(desk().height_mm(), 750.0);
  EXPECT_GT(desk().inputs().encoder_count, count + 60);
}

}  // namespace
}  // namespace deskd::hw
