// BusBackend against a SimBusController over a real pseudo-terminal, on one io_context: the
// codecs, the serial transport and the simulated controllers together, without the daemon.
#include "hw/bus_backend.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "hw/sim_bus_controller.h"

namespace deskd::hw {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct Case {
  std::string name;
  bus::Protocol protocol;
  bus::HeightUnit unit;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class BusBackendTest : public testing::TestWithParam<Case> {
 protected:
  BusBackendTest() {
    settings_.protocol = GetParam().protocol;
    settings_.height_unit = GetParam().unit;
    settings_.device = "(simulated)";
    sim_.start_height_mm = 720;
    sim_.speed_noise = 0;
    controller_.emplace(io_, clock_, settings_, sim_, motion_);
    std::unique_ptr<WakeLine> wake;
    if (settings_.protocol == bus::Protocol::kLoctek) {
      wake = std::make_unique<FunctionWakeLine>([this](bool h) { controller_->set_wake_line(h); });
    }
    backend_.emplace(
        io_, clock_, settings_, [this] { return controller_->device_path(); }, std::move(wake),
        nullptr);
    backend_->set_input_handler([this](const ports::InputState& s) { seen_.push_back(s); });
    backend_->set_logger(
        [this](BusBackend::LogLevel, const std::string& m) { logs_.push_back(m); });
  }

  // Runs the loop until `done` holds (checked every 10 ms) or `limit` passes; returns done().
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(milliseconds(10));
    }
    return done();
  }
  void run_for(std::chrono::milliseconds d) {
    run_until([] { return false; }, d);
  }
  bool has_height() const { return backend_->inputs().bus_height_mm.has_value(); }
  double reported() const { return backend_->inputs().bus_height_mm.value_or(-1); }
  double truth() const { return controller_->desk().true_height_mm(); }
  // The bus's resolution: 1 mm, 0.1 inch, or Loctek's 1 cm above 100 cm.
  double resolution() const {
    if (GetParam().unit == bus::HeightUnit::kInchTenths) return 2.54;
    return GetParam().protocol == bus::Protocol::kLoctek && truth() >= 1000 ? 10 : 1;
  }

  boost::asio::io_context io_;
  ports::SystemClock clock_;
  config::BusSettings settings_;
  config::SimSettings sim_;
  core::MotionSettings motion_;
  std::optional<SimBusController> controller_;
  std::optional<BusBackend> backend_;
  std::vector<ports::InputState> seen_;
  std::vector<std::string> logs_;
};

TEST_P(BusBackendTest, ReadsTheControllersHeightWithItsArrivalTime) {
  ASSERT_FALSE(has_height());  // nothing is known before the first height frame
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  EXPECT_NEAR(reported(), 720, resolution());
  const auto age = clock_.steady_now() - backend_->inputs().bus_height_at;
  EXPECT_LT(age, seconds(1));
  EXPECT_EQ(backend_->inputs().bus_fault, core::BusFault::kNone);
  EXPECT_EQ(backend_->frame_stats().bad_frames, 0U);
}

// Jiecang answers the query with its presets and limits: they reach the inputs (and from there
// B/state) and are delivered through the handler; Loctek reports none.
TEST_P(BusBackendTest, TheControllersPresetsAndLimitsReachTheInputs) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  const auto known = [this] { return backend_->inputs().bus_memory.physical_min.has_value(); };
  if (GetParam().protocol == bus::Protocol::kLoctek) {
    run_for(milliseconds(500));
    EXPECT_EQ(backend_->inputs().bus_memory, core::ControllerMemory{});
    return;
  }
  ASSERT_TRUE(run_until(known, seconds(3)));
  run_for(milliseconds(200));  // the rest of the answer
  const auto& m = backend_->inputs().bus_memory;
  const double res = GetParam().unit == bus::HeightUnit::kInchTenths ? 1.27 : 0.5;
  EXPECT_NEAR(m.presets[0].value_or(0), 720, res);
  EXPECT_NEAR(m.presets[1].value_or(0), 1100, res);
  EXPECT_FALSE(m.presets[2].has_value());
  EXPECT_NEAR(m.physical_min.value_or(0), motion_.bottom_height_mm, res);
  EXPECT_NEAR(m.physical_max.value_or(0), motion_.top_height_mm, res);
  ASSERT_FALSE(seen_.empty());
  EXPECT_EQ(seen_.back().bus_memory, m);  // published, not only stored
}

TEST_P(BusBackendTest, MovesTheDeskWithRepeatedFramesAndStopsWithAStop) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);
  const auto sent_before = backend_->frames_sent();
  run_for(milliseconds(1500));
  EXPECT_GT(truth(), 750);  // ~38 mm/s for 1.5 s
  // One move frame per repeat interval (the first one at once).
  EXPECT_GE(backend_->frames_sent() - sent_before, 1500 / backend_->repeat_interval().count() - 2);
  ASSERT_EQ(backend_->set_drive(core::Drive::kNone), std::nullopt);
  ASSERT_TRUE(run_until([this] { return !controller_->desk().desk().in_motion(); }, seconds(1)));
  const double stopped_at = truth();
  run_for(milliseconds(500));
  EXPECT_EQ(truth(), stopped_at);
  EXPECT_NEAR(reported(), truth(), resolution());
  EXPECT_EQ(controller_->commands_ignored_asleep(), 0U);  // never sent before the wake lead
}

TEST_P(BusBackendTest, AClosedPortEmptiesTheHeightReportsEioAndRecovers) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);
  run_for(milliseconds(300));
  controller_->close_port();
  // The freed pty number may already be another process's port: the controller names none.
  EXPECT_EQ(controller_->device_path(), SimBusController::kClosedPath);
  ASSERT_TRUE(run_until([this] { return !has_height(); }, seconds(1)));
  EXPECT_EQ(backend_->inputs().bus_fault, core::BusFault::kSensor);
  EXPECT_EQ(backend_->inputs().bus_fault_code, "EIO");
  EXPECT_EQ(backend_->drive(), core::Drive::kNone);  // never resumed by itself
  // No move frames reach the controller any more: its hold timeout stops the desk.
  EXPECT_TRUE(run_until([this] { return !controller_->desk().desk().in_motion(); }, seconds(1)));
  // The pty comes back after kReopenDelay; the backend reopens it and the height returns.
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(5)));
  EXPECT_EQ(controller_->device_path().rfind("/dev/pts/", 0), 0U) << controller_->device_path();
  EXPECT_EQ(backend_->inputs().bus_fault, core::BusFault::kNone);
  EXPECT_NEAR(reported(), truth(), resolution());
  EXPECT_EQ(controller_->desk().drive(), core::Drive::kNone);
}

TEST_P(BusBackendTest, GarbageIsCountedLoggedOnceAndChangesNothing) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  controller_->send_garbage();
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);
  // Moving, the controller reports every 100-200 ms (slower under a sanitizer): wait for the
  // count.
  run_until([this] { return backend_->frame_stats().bad_frames >= 10U; }, seconds(5));
  ASSERT_EQ(backend_->set_drive(core::Drive::kNone), std::nullopt);
  // Loctek stops when the move frames stop (its hold time), then coasts; the controller reports
  // at its real rate (100-200 ms): wait for the desk to rest, then for one more report.
  ASSERT_TRUE(run_until([this] { return !controller_->desk().desk().in_motion(); }, seconds(2)));
  run_for(controller_->report_interval() + milliseconds(150));
  EXPECT_GE(backend_->frame_stats().bad_frames, 10U);
  EXPECT_NEAR(reported(), truth(), resolution());
  for (const auto& s : seen_) {  // no garbage ever became a height (the desk only went up)
    if (!s.bus_height_mm) continue;
    EXPECT_GT(*s.bus_height_mm, 700);
    EXPECT_LE(*s.bus_height_mm, truth() + resolution());
  }
  int bad_logs = 0;
  for (const auto& m : logs_) bad_logs += m.find("bad frame") != std::string::npos;
  EXPECT_EQ(bad_logs, 1);  // at most one line per kBadFrameLogInterval
}

TEST_P(BusBackendTest, ASilentControllerLeavesTheHeightToGrowStale) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);
  run_for(milliseconds(300));
  controller_->go_silent();
  // Frames already written are still read: wait until none has come for 200 ms (a loaded
  // machine may hold them back longer than a fixed pause).
  core::SteadyTime last = backend_->inputs().bus_height_at;
  auto quiet_since = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until(
      [&] {
        if (backend_->inputs().bus_height_at != last) {
          last = backend_->inputs().bus_height_at;
          quiet_since = std::chrono::steady_clock::now();
        }
        return std::chrono::steady_clock::now() - quiet_since >= milliseconds(200);
      },
      seconds(3)));
  run_for(milliseconds(700));
  EXPECT_EQ(backend_->inputs().bus_height_at, last);  // no height is invented
  EXPECT_GT(clock_.steady_now() - last, settings_.stale);
  ASSERT_EQ(backend_->set_drive(core::Drive::kNone), std::nullopt);
  EXPECT_TRUE(run_until([this] { return !controller_->desk().desk().in_motion(); }, seconds(3)));
}

TEST_P(BusBackendTest, ADeskErrorOnTheDisplayIsABusFaultWithItsCode) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  const std::string code = GetParam().protocol == bus::Protocol::kLoctek ? "E01" : "RST";
  controller_->show_error(code);
  ASSERT_TRUE(run_until([this] { return backend_->inputs().bus_fault != core::BusFault::kNone; },
                        seconds(2)));
  EXPECT_EQ(backend_->inputs().bus_fault, core::BusFault::kSensor);
  EXPECT_EQ(backend_->inputs().bus_fault_code, code);
  controller_->clear();
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);  // any command wakes it
  ASSERT_TRUE(run_until([this] { return backend_->inputs().bus_fault == core::BusFault::kNone; },
                        seconds(2)));
  EXPECT_TRUE(backend_->inputs().bus_fault_code.empty());
}

TEST_P(BusBackendTest, AHandsetMoveIsSeenAsAHeightChangeDeskdDidNotCommand) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  controller_->desk().press_handset(core::Drive::kUp, milliseconds(1000));
  run_for(milliseconds(1500));
  EXPECT_EQ(backend_->drive(), core::Drive::kNone);
  EXPECT_GT(reported(), 740);
  EXPECT_NEAR(reported(), truth(), resolution());
  EXPECT_FALSE(backend_->inputs().handset_up);  // no taps on a bus: only the height tells
}

// Issue 20: the simulated controllers report at the real rates while the desk moves (the
// Flexispot E5B ~100 ms per height frame, Jiecang ~200 ms), however often deskd's move frames
// come.
TEST_P(BusBackendTest, TheControllerReportsAtTheRealRateWhileMoving) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);
  run_for(milliseconds(2500));
  ASSERT_EQ(backend_->set_drive(core::Drive::kNone), std::nullopt);
  std::vector<double> gaps_ms;
  for (std::size_t i = 1; i < seen_.size(); ++i) {
    const auto gap = seen_[i].bus_height_at - seen_[i - 1].bus_height_at;
    if (gap.count() > 0) gaps_ms.push_back(std::chrono::duration<double, std::milli>(gap).count());
  }
  ASSERT_GE(gaps_ms.size(), 8U);
  std::sort(gaps_ms.begin(), gaps_ms.end());
  const double median = gaps_ms[gaps_ms.size() / 2];
  const double expected = GetParam().protocol == bus::Protocol::kLoctek ? 100 : 200;
  EXPECT_NEAR(median, expected, expected * 0.2);
  EXPECT_EQ(controller_->report_interval().count(), expected);
}

// Normal displays of the simulated controller: the Loctek reminder and preset store, Jiecang's
// fake heights after a limit is set. No fault, no height from them, the last height stays.
TEST_P(BusBackendTest, TheSimulatedControllersNormalDisplaysAreNoHeightAndNoFault) {
  ASSERT_TRUE(run_until([this] { return has_height(); }, seconds(3)));
  const bool loctek = GetParam().protocol == bus::Protocol::kLoctek;
  for (auto d : {SimBusDisplay::kReminder, SimBusDisplay::kPresetStore, SimBusDisplay::kLimitSet}) {
    const bool fits = loctek != (d == SimBusDisplay::kLimitSet);
    EXPECT_EQ(controller_->show(d).has_value(), !fits);
    if (!fits) continue;
    seen_.clear();
    run_for(milliseconds(1000));
    for (const auto& s : seen_) {
      EXPECT_EQ(s.bus_fault, core::BusFault::kNone);
      EXPECT_NEAR(s.bus_height_mm.value_or(0), 720, resolution());
    }
  }
  if (loctek) {
    EXPECT_NE(std::find(logs_.begin(), logs_.end(),
                        "bus: the display shows ' 99' (no height; not an error)"),
              logs_.end());
  } else {
    EXPECT_GE(backend_->implausible_heights(), 4U);
  }
  controller_->clear();
}

class LoctekBusBackendTest : public BusBackendTest {};

TEST_P(LoctekBusBackendTest, CommandsWaitUntilTheWakeLineHasBeenHighForASecond) {
  const core::SteadyTime start = clock_.steady_now();
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);  // at once, before the lead
  ASSERT_TRUE(run_until([this] { return controller_->commands_received() > 0; }, seconds(2)));
  EXPECT_GE(clock_.steady_now() - start, BusBackend::kWakeLead - milliseconds(20));
  run_for(milliseconds(600));
  EXPECT_EQ(controller_->commands_ignored_asleep(), 0U);
  EXPECT_GT(truth(), 730);  // and then the desk moved
  ASSERT_EQ(backend_->set_drive(core::Drive::kNone), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(
    Protocols, BusBackendTest,
    testing::Values(Case{"JiecangMm", bus::Protocol::kJiecang, bus::HeightUnit::kMm},
                    Case{"JiecangInchTenths", bus::Protocol::kJiecang,
                         bus::HeightUnit::kInchTenths},
                    Case{"LoctekCm", bus::Protocol::kLoctek, bus::HeightUnit::kMm}),
    [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(Loctek, LoctekBusBackendTest,
                         testing::Values(Case{"LoctekCm", bus::Protocol::kLoctek,
                                              bus::HeightUnit::kMm}),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace deskd::hw

namespace deskd::hw {
namespace {

// Relays for motion = "gpio": records the drive, reports taps through its handler.
class FakeRelays final : public ports::DeskIo {
 public:
  std::optional<std::string> set_drive(core::Drive d) override {
    drive_ = d;
    ++writes_;
    return std::nullopt;
  }
  core::Drive drive() const override { return drive_; }
  ports::InputState inputs() const override { return state_; }
  void set_input_handler(InputHandler h) override { handler_ = std::move(h); }
  void sync_inputs() override {}
  void all_off() noexcept override { drive_ = core::Drive::kNone; }
  void press_up() {
    state_.handset_up = true;
    handler_(state_);
  }
  int writes_ = 0;

 private:
  core::Drive drive_ = core::Drive::kNone;
  ports::InputState state_;
  InputHandler handler_;
};

// C-Lock/desk_control hex_crazyness: the Staples/Uplift inch desk's app sends its go-to in mm
// (F1 F1 1B 02 03 DE FE 7E: 990 mm) while the desk reports tenths of an inch. The simulated
// controller takes it so: the desk goes to 990 mm, not 990 x 2.54.
TEST(SimBusControllerGoTo, AnInchDesksGoToIsInMillimetres) {
  boost::asio::io_context io;
  ports::SystemClock clock;
  config::BusSettings settings;
  settings.height_unit = bus::HeightUnit::kInchTenths;
  config::SimSettings sim;
  sim.start_height_mm = 900;
  sim.speed_noise = 0;
  core::MotionSettings motion;
  SimBusController controller(io, clock, settings, sim, motion);
  const int fd = ::open(controller.device_path().c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const std::vector<std::uint8_t> go_to{0xF1, 0xF1, 0x1B, 0x02, 0x03, 0xDE, 0xFE, 0x7E};
  ASSERT_EQ(::write(fd, go_to.data(), go_to.size()), static_cast<ssize_t>(go_to.size()));
  const auto moving = [&] { return controller.desk().desk().in_motion(); };
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  bool started = false;
  while ((!started || moving()) && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(milliseconds(10));
    started = started || moving();
  }
  ::close(fd);
  ASSERT_TRUE(started);
  // 990 mm, not 99.0 inches (2515 mm) nor 99 mm. The simulated controller stops on its own
  // timer in real time, so a loaded machine lets it run on (the 8 mm bound failed once under
  // ctest -j2 beside a fresh-machine run); what is tested is the unit, hence the wide bound.
  EXPECT_NEAR(controller.desk().true_height_mm(), 990, 25);
}

TEST(BusBackendGpioMotion, TheRelaysMoveTheDeskAndTheBusOnlyReportsTheHeight) {
  boost::asio::io_context io;
  ports::SystemClock clock;
  config::BusSettings settings;
  settings.motion = config::BusMotion::kGpio;
  config::SimSettings sim;
  core::MotionSettings motion;
  SimBusController controller(io, clock, settings, sim, motion);
  auto relays = std::make_unique<FakeRelays>();
  FakeRelays* fake = relays.get();
  BusBackend backend(
      io, clock, settings, [&] { return controller.device_path(); }, nullptr, std::move(relays));
  std::vector<ports::InputState> seen;
  backend.set_input_handler([&](const ports::InputState& s) { seen.push_back(s); });
  const auto deadline = std::chrono::steady_clock::now() + seconds(3);
  while (!backend.inputs().bus_height_mm && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(milliseconds(10));
  }
  ASSERT_TRUE(backend.inputs().bus_height_mm.has_value());
  const auto sent = backend.frames_sent();
  ASSERT_EQ(backend.set_drive(core::Drive::kUp), std::nullopt);
  EXPECT_EQ(fake->drive(), core::Drive::kUp);  // the relays, not the bus, move the desk
  EXPECT_EQ(backend.drive(), core::Drive::kUp);
  io.restart();
  io.run_for(milliseconds(300));
  EXPECT_EQ(backend.frames_sent(), sent);  // no bus move frames
  fake->press_up();                        // a handset tap on the relays' inputs
  EXPECT_TRUE(backend.inputs().handset_up);
  EXPECT_TRUE(backend.inputs().bus_height_mm.has_value());  // merged with the bus fields
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(seen.back().handset_up);
  backend.all_off();
  EXPECT_EQ(fake->drive(), core::Drive::kNone);
}

}  // namespace
}  // namespace deskd::hw
