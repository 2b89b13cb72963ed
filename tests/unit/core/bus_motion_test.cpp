// The motion controller with the desk bus as its sensor (BUS_CONTRACT.md): the height is absolute,
// a stale or missing height and the desk's own error codes stop the motor with a fault.
#include <gtest/gtest.h>

#include "motion_fixture.h"

namespace deskd::core::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Kind = MotionCommand::Kind;

class BusMotionTest : public MotionTest {
 protected:
  MotionSettings bus_settings() const {
    MotionSettings s = settings();
    s.sensor = SensorKind::kBus;
    s.has_limit_bottom = false;
    s.has_limit_top = false;
    s.bus_stale = milliseconds(500);
    return s;
  }
  void silence_bus() {
    bus_silent_since_ = inputs().bus_height_at;
    bus_frozen_mm_ = *inputs().bus_height_mm;
  }
  // A move up with stale_ms 1000 (> stall_timeout_ms 800) whose bus falls silent after 1 s; runs
  // 2 s more and returns when the silence began.
  SteadyTime silent_mid_move_with_stale_1000(bool stops_without_commands) {
    MotionSettings s = bus_settings();
    s.bus_stale = milliseconds(1000);
    s.stops_without_commands = stops_without_commands;
    make(s, std::nullopt);
    go_to(1100);
    run_for(seconds(1));
    silence_bus();
    const SteadyTime silent = *bus_silent_since_;
    run_for(seconds(2));
    return silent;
  }
};

TEST_F(BusMotionTest, HeightIsKnownWithoutCalibrationAndAMoveReachesTheTarget) {
  settings_.sensor = SensorKind::kBus;  // inputs() carries the bus height from now on
  desk_height_ = 840;
  MotionSettings s = bus_settings();
  settings_ = s;
  controller_.emplace(s, inputs(), RestoredPosition{}, now_ - seconds(10));
  last_sent_ = inputs();
  EXPECT_TRUE(controller_->calibrated());
  EXPECT_EQ(controller_->state(), MotionState::kIdle);
  EXPECT_NEAR(controller_->height_mm(now_).value(), 840, 0.1);
  go_to(1000);
  run_for(seconds(15));
  EXPECT_NEAR(desk_height_, 1000, s.tolerance_mm);
  EXPECT_EQ(controller_->fault(), Fault::kNone);
  EXPECT_TRUE(has_notice(MotionNotice::Kind::kMoveFinished));
}

TEST_F(BusMotionTest, AHeightThatGoesStaleWhileDrivingStopsWithSensorFaultByDeadline) {
  make(bus_settings(), std::nullopt);
  go_to(1100);
  run_for(seconds(1));
  silence_bus();  // no frame arrives any more: no input event either
  const SteadyTime silent = *bus_silent_since_;
  run_for(seconds(2));
  EXPECT_EQ(controller_->fault(), Fault::kSensor);
  EXPECT_NE(controller_->fault_detail().find("older than 500 ms"), std::string::npos);
  EXPECT_EQ(motor_, Drive::kNone);
  ASSERT_GE(changes_.size(), 2u);
  EXPECT_LE(changes_[1].at - silent, milliseconds(500) + milliseconds(4));
  EXPECT_GT(changes_[1].at - silent, milliseconds(500));
}

TEST_F(BusMotionTest, NoHeightWhileDrivingStopsWithSensorFault) {
  make(bus_settings(), std::nullopt);
  go_to(1100);
  run_for(seconds(1));
  bus_open_ = false;  // the port closed
  run_for(milliseconds(100));
  EXPECT_EQ(controller_->fault(), Fault::kSensor);
  EXPECT_EQ(motor_, Drive::kNone);
}

TEST_F(BusMotionTest, ADeskErrorCodeStopsWithTheMatchingFaultAndItsCodeAsDetail) {
  struct Case {
    BusFault bus;
    const char* code;
    Fault fault;
  };
  for (Case c : {Case{BusFault::kSensor, "E01", Fault::kSensor},
                 Case{BusFault::kLimit, "E05", Fault::kLimit}}) {
    changes_.clear();
    bus_fault_ = BusFault::kNone;
    bus_fault_code_.clear();
    make(bus_settings(), std::nullopt);
    go_to(1100);
    run_for(seconds(1));
    bus_fault_ = c.bus;
    bus_fault_code_ = c.code;
    run_for(milliseconds(100));
    EXPECT_EQ(controller_->fault(), c.fault) << c.code;
    EXPECT_EQ(controller_->fault_detail(), c.code);
    EXPECT_EQ(motor_, Drive::kNone) << c.code;
    // Cannot be cleared while the desk still shows it.
    EXPECT_NE(command(Kind::kClearFault).error.value_or("").find(c.code), std::string::npos);
    bus_fault_ = BusFault::kNone;
    bus_fault_code_.clear();
    run_for(milliseconds(100));
    EXPECT_FALSE(command(Kind::kClearFault).error.has_value()) << c.code;
    EXPECT_TRUE(controller_->calibrated());  // absolute: the height is still read
  }
}

TEST_F(BusMotionTest, AHeightChangeDeskdDidNotCommandIsAManualMove) {
  make(bus_settings(), std::nullopt);
  const double from = desk_height_;
  handset_ = Drive::kUp;  // the desk's own handset; deskd sees only the height
  run_for(seconds(1));
  handset_ = Drive::kNone;
  run_for(seconds(2));
  const MotionNotice* manual = last_notice(MotionNotice::Kind::kManualMove);
  ASSERT_NE(manual, nullptr);
  EXPECT_NEAR(manual->from_mm.value(), from, 0.1);
  EXPECT_NEAR(manual->height_mm.value(), desk_height_, 0.1);
  EXPECT_TRUE(changes_.empty());  // never fought
}

TEST_F(BusMotionTest, AFrozenHeightWhileFramesStillArriveIsAStall) {
  make(bus_settings(), std::nullopt);
  go_to(1100);
  run_for(seconds(1));
  stalled_ = true;
  const SteadyTime stalled_at = now_;
  run_for(seconds(3));
  EXPECT_EQ(controller_->fault(), Fault::kStall);
  EXPECT_EQ(motor_, Drive::kNone);
  EXPECT_LE(changes_.back().at - stalled_at, settings_.stall_timeout + milliseconds(60));
}

// A Bluetooth desk (stale_ms 1000 > stall_timeout_ms 800): silence is the sensor's fault, never a
// stall: the stall counts only driving time that readings cover.
TEST_F(BusMotionTest, ASilentDeskWithAStaleWindowLongerThanTheStallTimeoutIsASensorFault) {
  const SteadyTime silent = silent_mid_move_with_stale_1000(true);
  EXPECT_EQ(controller_->fault(), Fault::kSensor) << controller_->fault_detail();
  EXPECT_NE(controller_->fault_detail().find("older than 1000 ms"), std::string::npos);
  ASSERT_GE(changes_.size(), 2u);
  EXPECT_LE(changes_[1].at - silent, milliseconds(1000) + milliseconds(4));
}

// Invariant 3 on a UART desk configured with a long stale window: its silence is still a stall at
// stall_timeout (a controller under relays cannot stop the motor by itself); only a desk that
// stops without commands (Bluetooth) waits for the stale window.
TEST_F(BusMotionTest, Invariant3_AUartDeskWithALongStaleWindowStillStallsOnSilence) {
  const SteadyTime silent = silent_mid_move_with_stale_1000(false);
  EXPECT_EQ(controller_->fault(), Fault::kStall) << controller_->fault_detail();
  ASSERT_GE(changes_.size(), 2u);
  EXPECT_LE(changes_[1].at - silent, settings_.stall_timeout + milliseconds(60));
}

TEST_F(BusMotionTest, AFrozenHeightWithAStaleWindowLongerThanTheStallTimeoutIsStillAStall) {
  MotionSettings s = bus_settings();
  s.bus_stale = milliseconds(1000);
  s.stops_without_commands = true;
  make(s, std::nullopt);
  go_to(1100);
  run_for(seconds(1));
  stalled_ = true;
  const SteadyTime stalled_at = now_;
  run_for(seconds(3));
  EXPECT_EQ(controller_->fault(), Fault::kStall) << controller_->fault_detail();
  // judged at the first reading after the stall timeout (this fixture reports every 200 ms)
  EXPECT_LE(changes_.back().at - stalled_at, settings_.stall_timeout + milliseconds(260));
}

TEST_F(BusMotionTest, TargetsAtTheSoftLimitsNeverEndPastThem) {
  auto s = bus_settings();
  s.bottom_height_mm = 600;
  s.top_height_mm = 1300;
  coast_mm_ = 5;
  make(s, std::nullopt);
  go_to(s.max_height_mm);
  run_for(seconds(20));
  EXPECT_LE(desk_height_, s.max_height_mm + 0.5);
  go_to(s.min_height_mm);
  run_for(seconds(25));
  EXPECT_GE(desk_height_, s.min_height_mm - 0.5);
  EXPECT_EQ(controller_->fault(), Fault::kNone);
}

// Heights arrive every 50 ms (1.9 mm apart at cruise speed): the controller extrapolates between
// reports and times the stop in between, instead of stopping at the first report past the point.
TEST_F(BusMotionTest, TheStopIsTimedBetweenHeightReports) {
  auto s = bus_settings();
  s.stop_ahead = false;  // stop at the target itself: only the stop's timing shows
  coast_mm_ = 0;
  for (int target : {1000, 1013, 1027, 1041}) {
    changes_.clear();
    make(s, std::nullopt);  // the desk at 900 mm
    go_to(target);
    run_for(seconds(6));
    ASSERT_GE(changes_.size(), 2u);
    const auto stop_at = changes_[1].at.time_since_epoch();
    EXPECT_NE(stop_at % bus_period_, SteadyTime::duration::zero()) << target << " mm: on a report";
    EXPECT_NEAR(desk_height_, target, 0.5) << target << " mm";
  }
}

TEST_F(BusMotionTest, CalibrateReReadsTheHeightWithoutMoving) {
  make(bus_settings(), std::nullopt);
  auto fx = command(Kind::kCalibrate);
  EXPECT_FALSE(fx.error.has_value());
  EXPECT_FALSE(fx.last_drive().has_value());
  const MotionNotice* cal = last_notice(MotionNotice::Kind::kCalibrated);
  ASSERT_NE(cal, nullptr);
  EXPECT_NEAR(cal->height_mm.value(), desk_height_, 0.1);
  bus_open_ = false;
  send(InputsChanged{inputs()});
  EXPECT_NE(command(Kind::kCalibrate).error.value_or("").find("no height"), std::string::npos);
}

}  // namespace
}  // namespace deskd::core::testing
