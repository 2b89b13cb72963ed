#include "hw/gpiod_backend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <stdexcept>

#include "fake_gpio_lines.h"

namespace deskd::hw {
namespace {

using testing::FakeGpioLines;
using testing::LineRecord;

constexpr core::Drive kDrives[] = {core::Drive::kNone, core::Drive::kUp, core::Drive::kDown};

class GpiodBackendTest : public ::testing::Test {
 protected:
  void build(std::vector<LineRole> roles) {
    auto lines = std::make_unique<FakeGpioLines>(std::move(roles), record_);
    fake_ = lines.get();
    backend_ = std::make_unique<GpiodBackend>(io_, std::move(lines));
    backend_->set_input_handler([this](const ports::InputState& s) { seen_.push_back(s); });
    backend_->set_error_handler([this](const std::string& e) { errors_.push_back(e); });
  }
  bool level(LineRole role) const { return record_->level[static_cast<std::size_t>(role)]; }
  // Runs every handler that is ready now (edge readiness included).
  void pump() {
    io_.restart();
    io_.poll();
  }

  boost::asio::io_context io_;
  std::shared_ptr<LineRecord> record_ = std::make_shared<LineRecord>();
  FakeGpioLines* fake_ = nullptr;
  std::unique_ptr<GpiodBackend> backend_;
  std::vector<ports::InputState> seen_;
  std::vector<std::string> errors_;
};

TEST_F(GpiodBackendTest, SetDriveNeverHasBothOutputsActiveAtAnyStep) {
  for (bool with_enable : {false, true}) {
    for (core::Drive from : kDrives) {
      for (core::Drive to : kDrives) {
        record_ = std::make_shared<LineRecord>();
        std::vector<LineRole> roles = {LineRole::kUp, LineRole::kDown};
        if (with_enable) roles.push_back(LineRole::kEnable);
        build(roles);
        ASSERT_EQ(backend_->set_drive(from), std::nullopt);
        ASSERT_EQ(backend_->set_drive(to), std::nullopt);
        for (bool both : record_->both_active_after_write) {
          EXPECT_FALSE(both) << "from " << core::to_string(from) << " to " << core::to_string(to);
        }
        EXPECT_EQ(level(LineRole::kUp), to == core::Drive::kUp);
        EXPECT_EQ(level(LineRole::kDown), to == core::Drive::kDown);
        EXPECT_EQ(backend_->drive(), to);
      }
    }
  }
}

TEST_F(GpiodBackendTest, ReversingDeactivatesTheOppositeDirectionBeforeActivating) {
  build({LineRole::kUp, LineRole::kDown});
  backend_->set_drive(core::Drive::kUp);
  record_->writes.clear();
  backend_->set_drive(core::Drive::kDown);
  ASSERT_EQ(record_->writes.size(), 2u);
  EXPECT_EQ(record_->writes[0], std::make_pair(LineRole::kUp, false));
  EXPECT_EQ(record_->writes[1], std::make_pair(LineRole::kDown, true));
}

TEST_F(GpiodBackendTest, EnableIsActiveExactlyWhileDriving) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEnable});
  EXPECT_FALSE(level(LineRole::kEnable));
  backend_->set_drive(core::Drive::kDown);
  EXPECT_TRUE(level(LineRole::kEnable));
  backend_->set_drive(core::Drive::kNone);
  EXPECT_FALSE(level(LineRole::kEnable));
}

TEST_F(GpiodBackendTest, ConstructionDrivesEveryOutputInactive) {
  record_->level[static_cast<std::size_t>(LineRole::kUp)] = true;
  record_->level[static_cast<std::size_t>(LineRole::kEnable)] = true;
  build({LineRole::kUp, LineRole::kDown, LineRole::kEnable});
  EXPECT_FALSE(level(LineRole::kUp));
  EXPECT_FALSE(level(LineRole::kDown));
  EXPECT_FALSE(level(LineRole::kEnable));
}

TEST_F(GpiodBackendTest, DestructionDrivesEveryOutputInactiveAndReleasesTheLines) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEnable, LineRole::kLimitBottom});
  backend_->set_drive(core::Drive::kUp);
  backend_.reset();
  EXPECT_FALSE(level(LineRole::kUp));
  EXPECT_FALSE(level(LineRole::kEnable));
  EXPECT_TRUE(record_->destroyed);
  pump();  // the cancelled wait completes without touching the backend
  EXPECT_TRUE(seen_.empty());
}

TEST_F(GpiodBackendTest, AFailedWriteReturnsAMessageAndLeavesOutputsInactive) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEnable});
  fake_->fail_writes_to = LineRole::kEnable;
  const auto error = backend_->set_drive(core::Drive::kUp);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("injected write failure"), std::string::npos);
  EXPECT_FALSE(level(LineRole::kUp));
  EXPECT_FALSE(level(LineRole::kDown));
  EXPECT_EQ(backend_->drive(), core::Drive::kNone);
}

TEST_F(GpiodBackendTest, MissingMotorLinesAreRefused) {
  EXPECT_THROW(build({LineRole::kUp}), std::runtime_error);
}

TEST_F(GpiodBackendTest, InitialInputLevelsAreReadAtConstruction) {
  record_->level[static_cast<std::size_t>(LineRole::kLimitBottom)] = true;
  record_->level[static_cast<std::size_t>(LineRole::kButton)] = true;
  build({LineRole::kUp, LineRole::kDown, LineRole::kLimitBottom, LineRole::kLimitTop,
         LineRole::kButton});
  EXPECT_TRUE(backend_->inputs().limit_bottom);
  EXPECT_FALSE(backend_->inputs().limit_top);
  EXPECT_TRUE(backend_->inputs().button);
}

TEST_F(GpiodBackendTest, AnEdgeOnTheLoopUpdatesInputsAndCallsTheHandler) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kLimitTop, LineRole::kHandsetUp});
  pump();
  EXPECT_TRUE(seen_.empty());  // nothing happened yet
  fake_->push_edge(LineRole::kLimitTop, true);
  pump();
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_TRUE(seen_[0].limit_top);
  EXPECT_TRUE(backend_->inputs().limit_top);

  // It keeps watching: a later edge on another line is seen too.
  fake_->push_edge(LineRole::kHandsetUp, true);
  fake_->push_edge(LineRole::kLimitTop, false);
  pump();
  EXPECT_TRUE(backend_->inputs().handset_up);
  EXPECT_FALSE(backend_->inputs().limit_top);
  EXPECT_EQ(seen_.back(), backend_->inputs());
}

std::int64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Issue 20 §4: the handler learns how long ago the change it receives happened, from the last
// edge's kernel timestamp (CLOCK_MONOTONIC), so a late read is not taken for a slow desk.
TEST_F(GpiodBackendTest, InputAgeIsTakenFromTheKernelTimestampOfTheLastEdge) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kEncoderB});
  std::vector<std::chrono::nanoseconds> ages;
  backend_->set_input_handler(
      [this, &ages](const ports::InputState&) { ages.push_back(backend_->input_age()); });
  const std::int64_t now = monotonic_ns();
  fake_->push_edge(LineRole::kEncoderA, true, now - 700'000'000);
  fake_->push_edge(LineRole::kEncoderB, true, now - 600'000'000);  // the last edge
  pump();
  ASSERT_EQ(ages.size(), 1u);
  EXPECT_GE(ages[0], std::chrono::milliseconds(600));
  EXPECT_LT(ages[0], std::chrono::milliseconds(700));
  EXPECT_EQ(backend_->input_age(), std::chrono::nanoseconds{0}) << "only during the handler";

  // No timestamp, one in the future, or one older than kMaxInputAge: taken as "now".
  for (std::int64_t ts :
       {std::int64_t{0}, monotonic_ns() + 1'000'000'000, monotonic_ns() - 60'000'000'000}) {
    ages.clear();
    fake_->push_edge(LineRole::kEncoderA, false, ts);
    pump();
    fake_->push_edge(LineRole::kEncoderA, true, ts);  // back again: a change either way
    pump();
    ASSERT_FALSE(ages.empty());
    for (auto a : ages) EXPECT_EQ(a, std::chrono::nanoseconds{0}) << "timestamp " << ts;
  }
}

TEST_F(GpiodBackendTest, QuadratureEdgesCountTheEncoder) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kEncoderB});
  // Two full cycles upward (A leads B), one at a time as the kernel reports them.
  for (int cycle = 0; cycle < 2; ++cycle) {
    fake_->push_edge(LineRole::kEncoderA, true);
    pump();
    fake_->push_edge(LineRole::kEncoderB, true);
    pump();
    fake_->push_edge(LineRole::kEncoderA, false);
    pump();
    fake_->push_edge(LineRole::kEncoderB, false);
    pump();
  }
  EXPECT_EQ(backend_->inputs().encoder_count, 8);
  EXPECT_EQ(backend_->inputs().encoder_errors, 0u);
}

TEST_F(GpiodBackendTest, SingleHallCountsInTheDrivenDirection) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA});
  backend_->set_drive(core::Drive::kDown);
  for (bool level : {true, false, true, false}) fake_->push_edge(LineRole::kEncoderA, level);
  pump();
  EXPECT_EQ(backend_->inputs().encoder_count, -4);
}

TEST_F(GpiodBackendTest, SingleHallCountsUpWhileTheHandsetUpIsHeld) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kHandsetUp});
  backend_->set_drive(core::Drive::kDown);
  backend_->set_drive(core::Drive::kNone);  // last direction: down
  fake_->push_edge(LineRole::kHandsetUp, true);
  pump();
  for (bool level : {true, false, true}) fake_->push_edge(LineRole::kEncoderA, level);
  pump();
  EXPECT_EQ(backend_->inputs().encoder_count, 3);
}

TEST_F(GpiodBackendTest, AFailedEventReadIsReportedAndTheLineNoLongerWatched) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kButton});
  fake_->fail_reads_of = LineRole::kButton;
  fake_->push_edge(LineRole::kButton, true);
  pump();
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("button"), std::string::npos);
  pump();
  EXPECT_EQ(errors_.size(), 1u);  // not woken again and again
  EXPECT_TRUE(seen_.empty());
}

TEST_F(GpiodBackendTest, AnUnreadableInputRefusesToDriveUntilItReadsAgainAndIsWatchedAgain) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kLimitBottom});
  fake_->fail_reads_of = LineRole::kLimitBottom;
  fake_->push_edge(LineRole::kLimitBottom, true);
  pump();
  ASSERT_EQ(errors_.size(), 1u);
  // clear_fault + calibrate would drive down blind to the switch: refused, outputs inactive.
  for (core::Drive d : {core::Drive::kDown, core::Drive::kUp}) {
    const auto error = backend_->set_drive(d);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("limit_bottom"), std::string::npos) << *error;
    EXPECT_FALSE(level(LineRole::kUp));
    EXPECT_FALSE(level(LineRole::kDown));
    EXPECT_EQ(backend_->drive(), core::Drive::kNone);
  }
  EXPECT_FALSE(backend_->set_drive(core::Drive::kNone).has_value());  // stopping always works

  fake_->fail_reads_of.reset();  // the line reads again
  fake_->set_level(LineRole::kLimitBottom, false);
  EXPECT_FALSE(backend_->set_drive(core::Drive::kUp).has_value());
  EXPECT_EQ(backend_->drive(), core::Drive::kUp);
  fake_->push_edge(LineRole::kLimitBottom, true);  // and it is watched again
  pump();
  EXPECT_TRUE(backend_->inputs().limit_bottom);
}

TEST_F(GpiodBackendTest, SyncInputsWatchesALineThatReadsAgain) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kHandsetUp});
  fake_->fail_reads_of = LineRole::kHandsetUp;
  fake_->push_edge(LineRole::kHandsetUp, true);
  pump();
  ASSERT_EQ(errors_.size(), 1u);
  fake_->fail_reads_of.reset();
  fake_->set_level(LineRole::kHandsetUp, true);
  backend_->sync_inputs();
  EXPECT_TRUE(backend_->inputs().handset_up);  // its level now, edges lost meanwhile
  fake_->push_edge(LineRole::kHandsetUp, false);
  pump();
  EXPECT_FALSE(backend_->inputs().handset_up);
}

TEST(GpiodBackendHardware, AMissingChipFailsConstructionWithOneClearMessage) {
  boost::asio::io_context io;
  config::GpioSettings gpio;
  gpio.chip = "gpiochip9";
  gpio.up = config::LineSpec{"motor-up"};
  gpio.down = config::LineSpec{"motor-down"};
  try {
    GpiodBackend backend(io, gpio);
    FAIL() << "constructed on a missing chip";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "gpiochip 'gpiochip9' not found");
  }
}

TEST(GpiodBackendHardware, AMissingChipPathFailsConstructionWithOneClearMessage) {
  boost::asio::io_context io;
  config::GpioSettings gpio;
  gpio.chip = "/dev/gpiochip77";
  gpio.up = config::LineSpec{"17"};
  gpio.down = config::LineSpec{"18"};
  try {
    GpiodBackend backend(io, gpio);
    FAIL() << "constructed on a missing chip";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "gpiochip '/dev/gpiochip77' not found");
  }
}

TEST(GpiodBackendHardware, MissingMotorLinesInTheConfigFailConstruction) {
  boost::asio::io_context io;
  config::GpioSettings gpio;
  gpio.up = config::LineSpec{"17"};
  EXPECT_THROW(GpiodBackend(io, gpio), std::runtime_error);
}

}  // namespace
}  // namespace deskd::hw

namespace deskd::hw {
namespace {

TEST_F(GpiodBackendTest, QueuedEdgesOfBothEncoderLinesAreDecodedInTimestampOrder) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kEncoderB});
  // One full cycle upward queued on both lines before the loop gets to them: reading line A's
  // queue before line B's would scramble the sequence.
  fake_->push_edge(LineRole::kEncoderA, true, 1000);
  fake_->push_edge(LineRole::kEncoderB, true, 2000);
  fake_->push_edge(LineRole::kEncoderA, false, 3000);
  fake_->push_edge(LineRole::kEncoderB, false, 4000);
  pump();
  EXPECT_EQ(backend_->inputs().encoder_count, 4);
  EXPECT_EQ(backend_->inputs().encoder_errors, 0u);
}

// Issue 20 §4: a starved deskd finds the kernel's 16-event queue full; the edges after it were
// dropped (here 4 of 20, a whole cycle). deskd cannot count them, but its doubt covers them.
TEST_F(GpiodBackendTest, AFullKernelQueueCountsItsDroppedEdgesAsLost) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kEncoderB});
  fake_->queue_capacity = 16;
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const std::int64_t t0 = std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec - 400'000'000;
  for (int i = 0; i < 40; ++i) {  // 10 cycles upward, 10 ms apart: 20 edges per line
    const bool a_edge = i % 2 == 0;
    const bool level = (i / 2) % 2 == 0;
    fake_->push_edge(a_edge ? LineRole::kEncoderA : LineRole::kEncoderB, level,
                     t0 + i * 10'000'000);
  }
  pump();
  EXPECT_EQ(backend_->inputs().encoder_count, 32) << "8 of the 10 cycles reached deskd";
  // 8 edges were dropped (4 per line); the estimate from each queue's spacing must reach them.
  EXPECT_GE(backend_->inputs().encoder_lost_edges, 8u);
}

// Issue 20 §4: line A's two edges of a cycle are read before line B's earlier edge reached its
// queue (the queues are read one after the other; an irq thread may be late). Decoded as read,
// the cycle nets to 0 with no error (the host-load failures 668/672, 697/693); held for the
// reorder window, it counts 4.
TEST_F(GpiodBackendTest, AnEdgeThatReachesItsQueueLateIsStillDecodedInOrder) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kEncoderB});
  const std::int64_t t = monotonic_ns();
  fake_->push_edge(LineRole::kEncoderA, true, t - 1'500'000);  // a+ at -1.5 ms
  fake_->push_edge(LineRole::kEncoderA, false, t - 500'000);   // a- at -0.5 ms
  pump();                                                      // B's queue is still empty
  fake_->push_edge(LineRole::kEncoderB, true, t - 1'000'000);  // b+ at -1 ms, queued late
  fake_->push_edge(LineRole::kEncoderB, false, t - 100'000);   // b- at -0.1 ms
  pump();
  io_.restart();
  io_.run_for(GpiodBackend::kReorderWindow * 4);  // the flush timer decodes what was held
  EXPECT_EQ(backend_->inputs().encoder_count, 4);
  EXPECT_EQ(backend_->inputs().encoder_errors, 0u);
}

// The window must never move a step across a limit switch's edge: the re-zero at the limit
// counts exactly the steps before it (the real-kernel calibration_stops_at_bottom_limit failed
// with 619 for 620 when held steps were decoded after the limit).
TEST_F(GpiodBackendTest, ALimitEdgeIsAppliedAfterEveryStepBeforeItAndBeforeEveryStepAfter) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kEncoderB,
         LineRole::kLimitBottom});
  const std::int64_t t = monotonic_ns();
  // Going up one cycle inside the window, then the limit, then one more cycle.
  const std::int64_t step = 200'000;
  fake_->push_edge(LineRole::kEncoderA, true, t - 8 * step);
  fake_->push_edge(LineRole::kEncoderB, true, t - 7 * step);
  fake_->push_edge(LineRole::kEncoderA, false, t - 6 * step);
  fake_->push_edge(LineRole::kEncoderB, false, t - 5 * step);
  pump();  // all four are younger than the window: held
  fake_->push_edge(LineRole::kLimitBottom, true, t - 4 * step);
  fake_->push_edge(LineRole::kEncoderA, true, t - 3 * step);
  fake_->push_edge(LineRole::kEncoderB, true, t - 2 * step);
  fake_->push_edge(LineRole::kEncoderA, false, t - 1 * step);
  fake_->push_edge(LineRole::kEncoderB, false, t);
  pump();
  io_.restart();
  io_.run_for(GpiodBackend::kReorderWindow * 4);
  const auto at_limit = std::find_if(seen_.begin(), seen_.end(),
                                     [](const ports::InputState& s) { return s.limit_bottom; });
  ASSERT_NE(at_limit, seen_.end());
  EXPECT_EQ(at_limit->encoder_count, 4) << "the handler must see the limit with exactly the "
                                           "steps before it";
  EXPECT_EQ(backend_->inputs().encoder_count, 8);
  EXPECT_EQ(backend_->inputs().encoder_errors, 0u);
}

// One encoder line has one queue: nothing to put in order, so nothing waits.
TEST_F(GpiodBackendTest, ASingleChannelEncoderIsDecodedAtOnce) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA});
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);
  const std::int64_t t = monotonic_ns();
  fake_->push_edge(LineRole::kEncoderA, true, t - 200'000);
  fake_->push_edge(LineRole::kEncoderA, false, t - 100'000);
  pump();
  EXPECT_NE(backend_->inputs().encoder_count, 0);
}

TEST_F(GpiodBackendTest, AQueueBelowItsCapacityLosesNothing) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kEncoderB});
  fake_->queue_capacity = 16;
  fake_->push_edge(LineRole::kEncoderA, true, 1000);
  fake_->push_edge(LineRole::kEncoderB, true, 2000);
  pump();
  EXPECT_EQ(backend_->inputs().encoder_count, 2);
  EXPECT_EQ(backend_->inputs().encoder_lost_edges, 0u);
}

TEST_F(GpiodBackendTest, SyncInputsDeliversQueuedEdgesWithoutTheLoop) {
  build({LineRole::kUp, LineRole::kDown, LineRole::kEncoderA, LineRole::kEncoderB});
  fake_->push_edge(LineRole::kEncoderA, true, 1000);
  fake_->push_edge(LineRole::kEncoderB, true, 2000);
  backend_->sync_inputs();
  EXPECT_EQ(backend_->inputs().encoder_count, 2);
  ASSERT_FALSE(seen_.empty());
  EXPECT_EQ(seen_.back().encoder_count, 2);
}

TEST_F(GpiodBackendTest, StoppingReleasesTheDrivenDirectionFirst) {
  build({LineRole::kUp, LineRole::kDown});
  ASSERT_FALSE(backend_->set_drive(core::Drive::kDown).has_value());
  const std::size_t before = record_->writes.size();
  ASSERT_FALSE(backend_->set_drive(core::Drive::kNone).has_value());
  ASSERT_GT(record_->writes.size(), before);
  EXPECT_EQ(record_->writes[before].first, LineRole::kDown);
  EXPECT_FALSE(record_->writes[before].second);
}

}  // namespace
}  // namespace deskd::hw
