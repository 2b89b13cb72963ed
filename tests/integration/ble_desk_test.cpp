// The real deskd on a Linak Bluetooth desk ([ble]): a simulated BlueZ with a simulated Linak desk
// on a real private dbus-daemon (started by the test, its socket in a temp dir), deskd's real
// sd-bus client and D-Bus messages, and a real mosquitto. One test per bullet of "Safety" in
// issue 22. The simulated desk runs in this process on its own thread; faults are injected there.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "ble/sim_bluez.h"
#include "support/mqtt_desk_fixture.h"
#include "support/private_dbus.h"

namespace deskd::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kStaleMs = 1000;
constexpr double kSpeed = 60.0;  // mm/s: faster than an IDÅSEN (38), so tests stay short

// The simulated BlueZ + desk on its own io_context thread; call() runs a function there.
class SimBluezThread {
 public:
  explicit SimBluezThread(const std::string& address) {
    std::promise<void> ready;
    thread_ = std::thread([this, address, &ready] {
      config::SimSettings sim;
      sim.up_speed_mm_s = sim.down_speed_mm_s = kSpeed;
      sim.speed_noise = 0;
      sim.coast_min_mm = 2;
      sim.coast_max_mm = 3;
      sim_ = std::make_unique<ble::SimBluez>(io_, clock_, address, sim, core::MotionSettings{},
                                             ble::SimBluez::Options{});
      ready.set_value();
      io_.run();
    });
    ready.get_future().wait();
  }
  ~SimBluezThread() {
    boost::asio::post(io_, [this] {
      sim_.reset();
      work_.reset();
    });
    thread_.join();
  }
  template <typename F>
  auto call(F f) {
    std::packaged_task<decltype(f(std::declval<ble::SimBluez&>()))()> task(
        [this, f] { return f(*sim_); });
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  ports::SystemClock clock_;
  std::unique_ptr<ble::SimBluez> sim_;
  std::thread thread_;
};

class BleDesk : public MqttDeskTest {
 protected:
  void SetUp() override { desk_ = std::make_unique<SimBluezThread>(dbus_.address()); }
  void TearDown() override {
    MqttDeskTest::TearDown();
    desk_.reset();
  }
  ::testing::AssertionResult start_ble() {
    DeskdOptions o = desk_options();
    o.sensor_toml = "kind = \"ble\"\nup_speed_mm_s = 60\ndown_speed_mm_s = 60\n";
    o.extra_toml = "[ble]\nprotocol = \"linak\"\naddress = \"AA:BB:CC:DD:EE:FF\"\nstale_ms = " +
                   std::to_string(kStaleMs) + "\n";
    o.env["DBUS_SYSTEM_BUS_ADDRESS"] = dbus_.address();
    if (auto r = start_all(o); !r) return r;
    if (!wait_state(known_height(), 0, seconds(5))) {
      return ::testing::AssertionFailure() << "no height:\n" << deskd_->log();
    }
    return ::testing::AssertionSuccess();
  }
  static std::function<bool(const Json&)> known_height() {
    return [](const Json& s) { return json_int(s, "height_mm").has_value(); };
  }
  static std::function<bool(const Json&)> up_by(int mm) {
    return [mm](const Json& s) {
      return json_string(s, "motion") == "up" && json_int(s, "height_mm").value_or(0) >= 720 + mm;
    };
  }
  static std::function<bool(const Json&)> stopped_with(const std::string& fault) {
    return [fault](const Json& s) {
      return json_string(s, "fault") == fault && json_string(s, "motion") == "stopped";
    };
  }
  // Starts a move up to 1200 mm and waits until the desk is on its way.
  void move_up() {
    const auto since = mark();
    send("set", "{\"height_mm\":1200}");
    ASSERT_TRUE(wait_state(up_by(15), since, seconds(5))) << deskd_->log();
  }
  double true_height() {
    return desk_->call([](ble::SimBluez& s) { return s.height_mm(); });
  }
  core::Drive sim_drive() {
    return desk_->call([](ble::SimBluez& s) { return s.drive(); });
  }

  PrivateDbus dbus_;
  std::unique_ptr<SimBluezThread> desk_;
};

TEST_F(BleDesk, TheDesksHeightIsPublished) {
  ASSERT_TRUE(start_ble());
  const auto s = fresh_state();
  ASSERT_TRUE(s);
  EXPECT_NEAR(*json_int(*s, "height_mm"), 720, 1);
  EXPECT_EQ(json_string(*s, "fault"), "none");
  EXPECT_NE(deskd_->log().find("Bluetooth: connected to desk AA:BB:CC:DD:EE:FF (base 620 mm)"),
            std::string::npos);
}

TEST_F(BleDesk, AGoToEndsWithin3mmOfTheTarget) {
  ASSERT_TRUE(start_ble());
  std::this_thread::sleep_for(milliseconds(500));  // past min_off after start-up's stop
  const auto asked = Clock::now();
  send("set", "{\"height_mm\":1000}");
  ASSERT_TRUE(wait_state(stopped_near(1000, 3), 0, seconds(15))) << deskd_->log();
  const auto first = desk_->call([](ble::SimBluez& s) { return s.first_move_at(); });
  ASSERT_TRUE(first);
  std::printf("[ measure ] MQTT set -> first up command at the desk: %.2f ms\n",
              std::chrono::duration<double, std::milli>(*first - asked).count());
  for (int target : {950, 800}) {
    const auto s = move_to(target, 3);
    ASSERT_TRUE(s) << deskd_->log();
    EXPECT_EQ(json_string(*s, "fault"), "none");
    EXPECT_NEAR(true_height(), target, 3.5);
  }
}

TEST_F(BleDesk, SigtermMidMoveStopsTheDesk) {
  ASSERT_TRUE(start_ble());
  move_up();
  ASSERT_EQ(sim_drive(), core::Drive::kUp);
  const auto stops = desk_->call([](ble::SimBluez& s) { return s.stop_commands(); });
  const auto asked = Clock::now();
  EXPECT_EQ(deskd_->terminate(), 0);
  std::printf("[ measure ] SIGTERM -> deskd exited: %lld ms\n",
              static_cast<long long>(
                  std::chrono::duration_cast<milliseconds>(Clock::now() - asked).count()));
  // The stop went out before deskd exited: not left to the desk's own one-second run-on.
  EXPECT_GT(desk_->call([](ble::SimBluez& s) { return s.stop_commands(); }), stops);
  EXPECT_EQ(sim_drive(), core::Drive::kNone);
}

TEST_F(BleDesk, AHeightOlderThanStaleMsWhileMovingIsFaultSensorNotStall) {
  ASSERT_TRUE(start_ble());
  move_up();
  const auto since = mark();
  const auto silenced = Clock::now();
  desk_->call([](ble::SimBluez& s) {
    s.set_silent(true);
    return 0;
  });
  const auto s = wait_state(stopped_with("sensor"), since, seconds(5));
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_NE(json_string(*s, "fault_detail").find("older than 1000 ms"), std::string::npos);
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - silenced).count();
  std::printf("[ measure ] silence -> fault sensor published: %lld ms\n",
              static_cast<long long>(took));
  EXPECT_LE(took, kStaleMs + 300);
  EXPECT_EQ(count_json(
                "state", [](const Json& j) { return json_string(j, "fault") == "stall"; }, since),
            0u);
}

TEST_F(BleDesk, ADisconnectWhileMovingStopsAndTheMoveIsNotResumed) {
  ASSERT_TRUE(start_ble());
  move_up();
  const auto since = mark();
  desk_->call([](ble::SimBluez& s) {
    s.disconnect();
    return 0;
  });
  const auto s = wait_state(stopped_with("sensor"), since, seconds(5));
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_NE(json_string(*s, "fault_detail").find("disconnected"), std::string::npos);
  // Reconnected with back-off; the height is back, and the desk does not move again.
  ASSERT_TRUE(deskd_->process().wait_for_log("Bluetooth: connected to desk", seconds(5),
                                             deskd_->log().find("disconnected")))
      << deskd_->log();
  const double there = true_height();
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_EQ(sim_drive(), core::Drive::kNone);
  EXPECT_NEAR(true_height(), there, 1.0);
}

TEST_F(BleDesk, ARefusedWriteIsFaultSensor) {
  ASSERT_TRUE(start_ble());
  desk_->call([](ble::SimBluez& s) {
    s.set_refuse_writes(true);
    return 0;
  });
  const auto since = mark();
  send("set", "{\"height_mm\":1000}");
  const auto s = wait_state(stopped_with("sensor"), since, seconds(5));
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_NE(json_string(*s, "fault_detail").find("org.bluez.Error.NotPermitted"),
            std::string::npos);
  EXPECT_EQ(deskd_->log().find("GPIO:"), std::string::npos);  // a Bluetooth error says so
}

TEST_F(BleDesk, AHeightOutsideThePhysicalRangeIsNeverPublished) {
  ASSERT_TRUE(start_ble());
  const auto since = mark();
  desk_->call([](ble::SimBluez& s) {
    s.notify_raw({0xFF, 0xFF, 0x00, 0x00});
    return 0;
  });
  ASSERT_TRUE(deskd_->process().wait_for_log("height ignored: 0xFFFF", seconds(3)))
      << deskd_->log();
  const auto s = fresh_state();
  ASSERT_TRUE(s);
  EXPECT_NEAR(*json_int(*s, "height_mm"), 720, 1);
  EXPECT_EQ(count_json(
                "state", [](const Json& j) { return json_int(j, "height_mm").value_or(0) > 1400; },
                since),
            0u);
}

TEST_F(BleDesk, AHandsetMoveIsAManualMove) {
  ASSERT_TRUE(start_ble());
  const auto since = mark();
  desk_->call([](ble::SimBluez& s) {
    s.press_handset(core::Drive::kUp, milliseconds(1000));
    return 0;
  });
  const auto e = wait_event("manual_move", since, seconds(8));
  ASSERT_TRUE(e) << deskd_->log();
  const auto s = fresh_state();
  EXPECT_EQ(json_string(*s, "fault"), "none");
  EXPECT_GT(*json_int(*s, "height_mm"), 760);
}

// The opposite button mid-move looks like the desk's anti-collision reversing: a manual move, an
// obstruction until cleared, and deskd never fights it.
TEST_F(BleDesk, TheOppositeHandsetButtonMidMoveIsAManualOverrideAndAnObstruction) {
  ASSERT_TRUE(start_ble());
  move_up();
  const auto since = mark();
  desk_->call([](ble::SimBluez& s) {
    s.press_handset(core::Drive::kDown, milliseconds(1200));
    return 0;
  });
  const auto e = wait_event("manual_move", since, seconds(8));
  ASSERT_TRUE(e) << deskd_->log();
  const auto s = fresh_state();
  EXPECT_EQ(json_string(*s, "fault"), "obstruction");
  EXPECT_EQ(json_string(*s, "motion"), "stopped");
  EXPECT_EQ(sim_drive(), core::Drive::kNone);  // never fought
}

TEST_F(BleDesk, TheDesksAntiCollisionStopIsAnObstruction) {
  ASSERT_TRUE(start_ble());
  desk_->call([](ble::SimBluez& s) {
    s.set_anti_collision_at(800);
    return 0;
  });
  const auto since = mark();
  send("set", "{\"height_mm\":1000}");
  const auto s = wait_state(stopped_with("obstruction"), since, seconds(6));
  ASSERT_TRUE(s) << deskd_->log();
  const auto commands = desk_->call([](ble::SimBluez& d) { return d.commands(); });
  std::this_thread::sleep_for(milliseconds(800));
  EXPECT_EQ(desk_->call([](ble::SimBluez& d) { return d.commands(); }), commands);
}

TEST_F(BleDesk, AMoveWhileDisconnectedReconnectsFirst) {
  ASSERT_TRUE(start_ble());
  desk_->call([](ble::SimBluez& s) {
    s.set_away(true);
    s.disconnect();
    return 0;
  });
  ASSERT_TRUE(deskd_->process().wait_for_log("Connect failed", seconds(5))) << deskd_->log();
  const auto since = mark();
  send("set", "{\"height_mm\":900}");
  ASSERT_TRUE(deskd_->process().wait_for_log("reconnecting before the move", seconds(3)))
      << deskd_->log();
  desk_->call([](ble::SimBluez& s) {  // the desk is back within the 10 s the move waits
    s.set_away(false);
    return 0;
  });
  const auto s = wait_state(stopped_near(900), since, seconds(20));  // reconnect, not precision
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_EQ(json_string(*s, "fault"), "none");
  EXPECT_EQ(count_json(
                "state", [](const Json& j) { return json_string(j, "fault") != "none"; }, since),
            0u);
}

// --simulate with [ble]: deskd starts its own private dbus-daemon with the simulated BlueZ and
// desk (the demo's path, scripts/demo.sh --ble linak); the real D-Bus and GATT code runs.
TEST_F(BleDesk, SimulateRunsTheDeskBehindItsOwnSimulatedBluez) {
  DeskdOptions o = desk_options();
  o.sensor_toml = "kind = \"ble\"\nup_speed_mm_s = 38\ndown_speed_mm_s = 36\n";
  o.extra_toml = "[ble]\nprotocol = \"linak\"\naddress = \"11:22:33:44:55:66\"\n";
  o.extra_args = {"--simulate", "--time-scale", "4"};
  ASSERT_TRUE(start_all(o));
  ASSERT_TRUE(wait_state(known_height(), 0, seconds(5))) << deskd_->log();
  const auto s = move_to(900, 3);
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_EQ(json_string(*s, "fault"), "none");
  EXPECT_NE(deskd_->log().find("on the simulated Bluetooth desk 11:22:33:44:55:66"),
            std::string::npos);
  EXPECT_EQ(deskd_->terminate(), 0);
}

// deskd --scan lists the desk BlueZ found (name, address, RSSI), says how to pair, and pairs.
TEST_F(BleDesk, ScanListsTheLinakDeskAndPairsIt) {
  const std::string dir = make_temp_dir("scan");
  Process scan({DESKD_BINARY, "--scan", "--scan-seconds", "1", "--pair", "aa:bb:cc:dd:ee:ff"},
               dir + "/scan.log", {{"DBUS_SYSTEM_BUS_ADDRESS", dbus_.address()}});
  EXPECT_EQ(Process::exit_code(scan.wait(seconds(10))), 0) << scan.log();
  const std::string out = scan.log();
  EXPECT_NE(out.find("Desk 4711  AA:BB:CC:DD:EE:FF  -58 dBm  paired"), std::string::npos) << out;
  EXPECT_NE(out.find("hold the desk's Bluetooth button"), std::string::npos) << out;
  EXPECT_NE(out.find("Paired with AA:BB:CC:DD:EE:FF."), std::string::npos) << out;
}

TEST_F(BleDesk, ScanSaysWhenBlueZCannotBeReached) {
  const std::string dir = make_temp_dir("scan");
  Process scan({DESKD_BINARY, "--scan", "--scan-seconds", "1"}, dir + "/scan.log",
               {{"DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + dir + "/no-bus"}});
  EXPECT_EQ(Process::exit_code(scan.wait(seconds(10))), 1) << scan.log();
  EXPECT_NE(scan.log().find("cannot connect to the system D-Bus"), std::string::npos) << scan.log();
}

}  // namespace
}  // namespace deskd::testing
