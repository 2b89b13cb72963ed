// BleBackend against the simulated BlueZ on a real private dbus-daemon: the real sd-bus client,
// the real D-Bus messages, BlueZ's object paths, errors and signals.
#include "ble/ble_backend.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "ble/sim_bluez.h"
#include "support/private_dbus.h"

namespace deskd::ble {
namespace {

using namespace std::chrono_literals;
using core::BusFault;
using core::Drive;

class BleBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", dbus_.address().c_str(), 1);
    sim_ = std::make_unique<SimBluez>(io_, clock_, dbus_.address(), config::SimSettings{},
                                      core::MotionSettings{}, SimBluez::Options{});
  }
  void TearDown() override {
    if (HasFailure()) {
      for (const auto& line : log_) std::printf("  log: %s\n", line.c_str());
    }
    backend_.reset();
    sim_.reset();
    ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
  }

  void start(std::optional<int> base_height_mm = std::nullopt) {
    config::BleSettings s;
    s.address = "AA:BB:CC:DD:EE:FF";
    s.base_height_mm = base_height_mm;
    backend_ = std::make_unique<BleBackend>(
        io_, clock_, s, [this](BleBackend::LogLevel, const std::string& m) { log_.push_back(m); });
    backend_->set_input_handler([this](const ports::InputState& in) { seen_.push_back(in); });
    ASSERT_TRUE(run_until([this] { return backend_->inputs().bus_height_mm.has_value(); }, 5s));
  }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > until) return false;
      io_.run_for(10ms);
    }
    return true;
  }
  void run_for(std::chrono::milliseconds d) {
    run_until([] { return false; }, d);
  }
  double height() const { return *backend_->inputs().bus_height_mm; }
  bool fault_seen(BusFault f) const {
    for (const auto& s : seen_) {
      if (s.bus_fault == f) return true;
    }
    return false;
  }

  testing::PrivateDbus dbus_;
  boost::asio::io_context io_;
  ports::SystemClock clock_;
  std::unique_ptr<SimBluez> sim_;
  std::unique_ptr<BleBackend> backend_;
  std::vector<ports::InputState> seen_;
  std::vector<std::string> log_;
};

TEST_F(BleBackendTest, ReadsTheHeightWithTheBaseTheDeskReports) {
  start();
  EXPECT_NEAR(height(), 720.0, 0.1);  // SimSettings' start height; base 620 from DPG 0x81
  EXPECT_TRUE(backend_->connected());
  EXPECT_EQ(backend_->inputs().bus_fault, BusFault::kNone);
}

TEST_F(BleBackendTest, AConfiguredBaseHeightIsUsedAsIs) {
  start(600);
  EXPECT_NEAR(height(), 700.0, 0.1);  // 100 mm above the base, whatever the desk says
}

// rhyst/linak-controller: a DPG1C takes moves only from a user id starting with 1.
TEST_F(BleBackendTest, TheUserIdQuirkIsFixedOnConnect) {
  ASSERT_EQ(sim_->user_id_first(), 0x00);
  start();
  ASSERT_TRUE(run_until([this] { return sim_->user_id_first() == 0x01; }, 2s));
}

TEST_F(BleBackendTest, UpIsRepeatedWhileDrivingAndStopStopsTheDesk) {
  start();
  const double from = sim_->height_mm();
  const auto asked = std::chrono::steady_clock::now();
  ASSERT_FALSE(backend_->set_drive(Drive::kUp));
  ASSERT_TRUE(run_until([this] { return sim_->first_move_at().has_value(); }, 2s));
  const auto first = *sim_->first_move_at() - asked;
  std::printf("[ measure ] move request -> first command at the desk: %.2f ms\n",
              std::chrono::duration<double, std::milli>(first).count());
  run_for(2500ms);  // longer than a single command moves the desk
  EXPECT_GT(sim_->height_mm(), from + 60);
  EXPECT_EQ(sim_->drive(), Drive::kUp);
  EXPECT_GE(sim_->commands(), 8u);
  ASSERT_FALSE(backend_->set_drive(Drive::kNone));
  run_for(200ms);
  EXPECT_EQ(sim_->drive(), Drive::kNone);
  EXPECT_GT(height(), from + 60);
}

TEST_F(BleBackendTest, DestroyingTheBackendStopsTheDesk) {
  start();
  backend_->set_drive(Drive::kDown);
  run_for(500ms);
  ASSERT_EQ(sim_->drive(), Drive::kDown);
  backend_.reset();
  run_for(100ms);  // well inside the desk's own one-second run-on
  EXPECT_EQ(sim_->drive(), Drive::kNone);
}

TEST_F(BleBackendTest, ADisconnectWhileMovingIsASensorFaultAndTheMoveIsNeverResumed) {
  start();
  backend_->set_drive(Drive::kUp);
  run_for(500ms);
  sim_->disconnect();
  ASSERT_TRUE(run_until([this] { return fault_seen(BusFault::kSensor); }, 2s));
  EXPECT_EQ(backend_->drive(), Drive::kNone);
  EXPECT_NE(backend_->inputs().bus_fault_code.find("disconnected"), std::string::npos);
  ASSERT_TRUE(run_until([this] { return backend_->connected(); }, 5s));  // back with back-off
  const double there = sim_->height_mm();
  run_for(1500ms);
  EXPECT_EQ(sim_->drive(), Drive::kNone);
  EXPECT_NEAR(sim_->height_mm(), there, 10.0);  // at most the coast; no command went out
}

TEST_F(BleBackendTest, ARefusedWriteWhileMovingIsASensorFault) {
  start();
  sim_->set_refuse_writes(true);
  backend_->set_drive(Drive::kUp);
  ASSERT_TRUE(run_until([this] { return fault_seen(BusFault::kSensor); }, 2s));
  const bool named = std::any_of(seen_.begin(), seen_.end(), [](const auto& in) {
    return in.bus_fault == BusFault::kSensor &&
           in.bus_fault_code.find("org.bluez.Error.NotPermitted") != std::string::npos;
  });
  EXPECT_TRUE(named);
  EXPECT_EQ(backend_->drive(), Drive::kNone);
  // Reported once: the core latches it, and clear_fault can clear it while the link stays up.
  EXPECT_EQ(backend_->inputs().bus_fault, BusFault::kNone);
}

TEST_F(BleBackendTest, NoHeightIsNeverAHeight) {
  start();
  const double before = height();
  const auto count = seen_.size();
  sim_->notify_raw({0xFF, 0xFF, 0x00, 0x00});  // a stuck 0xFF: would be 7 m
  sim_->notify_raw({0x2A, 0x16, 0x00});        // a short value
  sim_->notify_raw({0x4D, 0x1D, 0x00, 0x00});  // 620 + 750.1 mm: beyond the desk's end stop
  ASSERT_TRUE(run_until([this] { return backend_->refused_values() >= 3; }, 2s));
  EXPECT_EQ(height(), before);
  EXPECT_EQ(seen_.size(), count);  // nothing published
}

// The handset and the desk's anti-collision (which reverses a little after it stops) look alike:
// both are a manual override and an obstruction, and deskd never sends against them.
TEST_F(BleBackendTest, TheDeskMovingAgainstTheDriveIsTheHandsetAndAnObstruction) {
  start();
  backend_->set_drive(Drive::kUp);
  run_for(800ms);
  sim_->press_handset(Drive::kDown, 1500ms);
  ASSERT_TRUE(run_until([this] { return backend_->inputs().handset_down; }, 2s));
  EXPECT_TRUE(fault_seen(BusFault::kObstruction));
  EXPECT_EQ(backend_->inputs().bus_fault, BusFault::kNone);  // reported once: the core latches
  EXPECT_EQ(backend_->drive(), Drive::kNone);  // no more commands, and no stop against the user
  const auto commands = sim_->commands();
  run_for(600ms);
  EXPECT_EQ(sim_->commands(), commands);
}

TEST_F(BleBackendTest, TheDeskStoppingItselfWhileDrivenIsAnObstruction) {
  start();
  sim_->set_anti_collision_at(760);
  backend_->set_drive(Drive::kUp);
  ASSERT_TRUE(run_until([this] { return fault_seen(BusFault::kObstruction); }, 4s));
  EXPECT_EQ(backend_->drive(), Drive::kNone);
  EXPECT_EQ(backend_->inputs().bus_fault, BusFault::kNone);  // reported once: the core latches
  const auto commands = sim_->commands();
  run_for(700ms);
  EXPECT_EQ(sim_->commands(), commands);  // never re-sent into it
}

TEST_F(BleBackendTest, AMoveWhileDisconnectedReconnectsFirst) {
  start();
  sim_->set_away(true);
  sim_->disconnect();
  ASSERT_TRUE(run_until([this] { return !backend_->connected(); }, 2s));
  run_for(1500ms);  // a reconnect attempt fails: the desk is away; the back-off grows
  sim_->set_away(false);
  const auto asked = clock_.steady_now();
  ASSERT_FALSE(backend_->set_drive(Drive::kUp));
  const auto effective = backend_->drive_effective_at(asked) - asked;
  EXPECT_GE(effective, BleBackend::kReconnectWait);
  EXPECT_LE(effective, BleBackend::kReconnectWait + 50ms);
  EXPECT_FALSE(fault_seen(BusFault::kSensor));
  ASSERT_TRUE(run_until([this] { return sim_->drive() == Drive::kUp; }, 12s));
  EXPECT_TRUE(backend_->connected());
  EXPECT_FALSE(fault_seen(BusFault::kSensor));
  backend_->set_drive(Drive::kNone);
}

// Invariant 6: a move waiting for the link never starts against a user who moves the desk
// meanwhile; the move is dropped and the motion is the handset's.
TEST_F(BleBackendTest, HandsetUseWhileAMoveWaitsForTheLinkDropsTheMove) {
  start();
  sim_->disconnect();
  ASSERT_TRUE(run_until([this] { return !backend_->connected(); }, 2s));
  ASSERT_FALSE(backend_->set_drive(Drive::kUp));  // waits up to kReconnectWait for the link
  ASSERT_TRUE(run_until([this] { return backend_->connected(); }, 5s));
  sim_->press_handset(Drive::kDown, 1500ms);
  ASSERT_TRUE(run_until([this] { return backend_->inputs().handset_down; }, 3s));
  EXPECT_EQ(backend_->drive(), Drive::kNone);
  const auto commands = sim_->commands();
  run_for(BleBackend::kReconnectWait + 500ms);  // past the time the move would have started
  EXPECT_EQ(sim_->commands(), commands);
  EXPECT_NE(sim_->drive(), Drive::kUp);
  EXPECT_FALSE(fault_seen(BusFault::kSensor));
}

TEST_F(BleBackendTest, AMoveIsRefusedIfTheLinkDoesNotComeBack) {
  start();
  sim_->set_away(true);
  sim_->disconnect();
  ASSERT_TRUE(run_until([this] { return !backend_->connected(); }, 2s));
  backend_->set_drive(Drive::kUp);
  ASSERT_TRUE(run_until([this] { return fault_seen(BusFault::kSensor); }, 12s));
  EXPECT_NE(backend_->inputs().bus_fault_code.find("did not reconnect within 10 s"),
            std::string::npos);
  EXPECT_EQ(backend_->drive(), Drive::kNone);
  EXPECT_EQ(sim_->drive(), Drive::kNone);
}

TEST_F(BleBackendTest, ALostSystemBusWhileMovingIsASensorFault) {
  start();
  backend_->set_drive(Drive::kUp);
  run_for(400ms);
  dbus_.kill();
  ASSERT_TRUE(run_until([this] { return fault_seen(BusFault::kSensor); }, 3s));
  EXPECT_NE(backend_->inputs().bus_fault_code.find("system bus connection was lost"),
            std::string::npos)
      << backend_->inputs().bus_fault_code;
  EXPECT_EQ(backend_->drive(), Drive::kNone);
  EXPECT_TRUE(backend_->inputs().bus_height_mm.has_value());  // the last height, with its age
  run_for(1500ms);  // reconnecting to a bus that is not there: retried, never thrown
  EXPECT_FALSE(backend_->connected());
}

TEST_F(BleBackendTest, AnIdleDisconnectIsNoFault) {
  start();
  sim_->disconnect();
  ASSERT_TRUE(run_until([this] { return !backend_->connected(); }, 2s));
  ASSERT_TRUE(run_until([this] { return backend_->connected(); }, 5s));
  EXPECT_FALSE(fault_seen(BusFault::kSensor));
  EXPECT_TRUE(backend_->inputs().bus_height_mm.has_value());
}

}  // namespace
}  // namespace deskd::ble
