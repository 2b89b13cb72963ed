// Real captured controller traffic replayed into BusBackend through a pseudo-terminal: the bytes
// a Pi's UART would read, through deskd's serial code, codec and height rules. The captures and
// where each frame comes from are listed in tests/unit/bus/captured_traffic_test.cpp:
//  - nv1t/standing-desk-interceptor recordings/randomRead.txt (Flexispot E5B, Loctek), [E5B];
//  - iMicknl/LoctekMotion_IoT #44 (reminder " 99": 9B 07 12 00 6F 6F 64 F9 9D) and PR #18
//    ("S-1": 9B 07 12 6D 40 06 A7 B4 9D), CRCs computed here;
//  - C-Lock/desk_control hex_crazyness (Staples/Uplift inch desk, Jiecang), [CLock];
//  - phord/Jarvis JarvisDesk.cpp commit 83ea8b2: heights 9999 and 0 after a limit is set.
// Each replay asserts the decoded heights and that normal displays do not fault.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hw/bus_backend.h"

namespace deskd::hw {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::vector<std::uint8_t> hex(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (c != ' ') digits.push_back(c);
  }
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// A controller that says exactly the captured bytes: the test writes to the pty's master.
class CaptureReplay : public testing::Test {
 protected:
  ~CaptureReplay() override {
    backend_.reset();
    if (master_ >= 0) ::close(master_);
    if (slave_ >= 0) ::close(slave_);
  }
  void start(bus::Protocol protocol, bus::HeightUnit unit) {
    termios raw{};
    cfmakeraw(&raw);
    std::array<char, 128> name{};
    ASSERT_EQ(::openpty(&master_, &slave_, name.data(), &raw, nullptr), 0);
    settings_.protocol = protocol;
    settings_.height_unit = unit;
    settings_.device = name.data();
    std::unique_ptr<WakeLine> wake;
    if (protocol == bus::Protocol::kLoctek) wake = std::make_unique<FunctionWakeLine>([](bool) {});
    backend_.emplace(
        io_, clock_, settings_, [path = std::string(name.data())] { return path; }, std::move(wake),
        nullptr);
    backend_->set_input_handler([this](const ports::InputState& s) { seen_.push_back(s); });
    backend_->set_logger(
        [this](BusBackend::LogLevel, const std::string& m) { logs_.push_back(m); });
  }
  // Writes the frames, then runs the loop until every byte has been read.
  void replay(const std::string& frames) {
    const auto bytes = hex(frames);
    ASSERT_EQ(::write(master_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    const auto consumed = [this, n = backend_->frame_stats().good_bytes + bytes.size()] {
      const auto& s = backend_->frame_stats();
      return s.good_bytes + s.discarded_bytes >= n;
    };
    const auto deadline = std::chrono::steady_clock::now() + seconds(3);
    while (!consumed() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(milliseconds(10));
    }
    ASSERT_TRUE(consumed());
  }
  std::vector<int> published_heights() const {
    std::vector<int> out;
    for (const auto& s : seen_) {
      if (!s.bus_height_mm) continue;
      const int mm = static_cast<int>(*s.bus_height_mm + 0.5);
      if (out.empty() || out.back() != mm) out.push_back(mm);
    }
    return out;
  }
  bool faulted() const {
    for (const auto& s : seen_) {
      if (s.bus_fault != core::BusFault::kNone) return true;
    }
    return false;
  }

  boost::asio::io_context io_;
  ports::SystemClock clock_;
  config::BusSettings settings_;
  int master_ = -1;
  int slave_ = -1;
  std::optional<BusBackend> backend_;
  std::vector<ports::InputState> seen_;
  std::vector<std::string> logs_;
};

// [E5B] a move down from 116 cm through 100 cm to 73.0 cm, status frames between.
TEST_F(CaptureReplay, FlexispotE5bMoveDownIsPublishedHeightByHeight) {
  start(bus::Protocol::kLoctek, bus::HeightUnit::kMm);
  replay(
      "9b071206067d38b79d 9b04117cc39d 9b0415bfc29d 9b071206066df4b69d 9b071206063f09379d "
      "9b0712063f064be59d 9b0712063f3f59259d 9b04117cc39d 9b07126fef0757a99d "
      "9b07126fef6d78299d 9b07126fff7fb5a49d 9b071207cf3f99309d 9b071207cf3f99309d");
  EXPECT_EQ(published_heights(),
            (std::vector<int>{1160, 1150, 1100, 1010, 1000, 997, 995, 988, 730}));
  EXPECT_FALSE(faulted());
  EXPECT_EQ(backend_->frame_stats().bad_frames, 0U);
}

// [44], [18] between two heights: no fault, no height from the displays.
TEST_F(CaptureReplay, TheLoctekReminderAndPresetStoreDisplaysAreNoHeightAndNoFault) {
  start(bus::Protocol::kLoctek, bus::HeightUnit::kMm);
  replay("9b071207cf3f99309d 9b0712006f6f64f99d 9b0712006f6f64f99d 9b07126d4006a7b49d");
  EXPECT_EQ(published_heights(), (std::vector<int>{730}));
  EXPECT_FALSE(faulted());
  EXPECT_EQ(backend_->inputs().bus_fault, core::BusFault::kNone);
  EXPECT_TRUE(backend_->inputs().bus_fault_code.empty());
  EXPECT_EQ(backend_->inputs().bus_height_mm, 730.0);  // the last height stays
  replay("9b071207ef3f59299d");                        // 79.0 afterwards
  EXPECT_EQ(published_heights(), (std::vector<int>{730, 790}));
  // A real error code is still a fault.
  replay("9b0712793f0693d49d");  // "E01"
  EXPECT_EQ(backend_->inputs().bus_fault, core::BusFault::kSensor);
  EXPECT_EQ(backend_->inputs().bus_fault_code, "E01");
}

// [CLock] the inch desk going up after the app's go-to: tenths of an inch.
TEST_F(CaptureReplay, StaplesUpliftInchDeskHeightsInTenthsOfAnInch) {
  start(bus::Protocol::kJiecang, bus::HeightUnit::kInchTenths);
  replay(
      "f2f21b0203defe7e f2f201030122032a7e f2f201030123032b7e f2f201030142034a7e "
      "f2f201030185038d7e f2f201030184038c7e");
  EXPECT_EQ(published_heights(), (std::vector<int>{737, 739, 818, 988, 986}));
  EXPECT_FALSE(faulted());
}

// [Jarvis] after a limit is set: 9999 (25397 mm on an inch desk) and 0 are never heights.
TEST_F(CaptureReplay, JarvisFakeHeightsAfterALimitSetAreNeverPublished) {
  start(bus::Protocol::kJiecang, bus::HeightUnit::kInchTenths);
  replay("f2f201030122032a7e f2f20103270f07417e f2f201030000070b7e f2f20103270f07417e");
  EXPECT_EQ(published_heights(), (std::vector<int>{737}));
  EXPECT_EQ(backend_->inputs().bus_height_mm.value_or(-1), 290 * 2.54);
  EXPECT_FALSE(faulted());
  int logged = 0;
  for (const auto& m : logs_) logged += m.find("ignored: outside the desk's range") != m.npos;
  EXPECT_EQ(logged, 1) << "one line per kBadFrameLogInterval";
}

TEST_F(CaptureReplay, JarvisFakeHeightsOnAMetricDeskAreNeverPublishedEither) {
  start(bus::Protocol::kJiecang, bus::HeightUnit::kMm);
  replay("f2f20103050607167e f2f20103270f07417e f2f201030000070b7e f2f20103050707177e");
  EXPECT_EQ(published_heights(), (std::vector<int>{1286, 1287}));
}

}  // namespace
}  // namespace deskd::hw
