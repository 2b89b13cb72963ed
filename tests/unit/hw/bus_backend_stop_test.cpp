// A stop on a bus desk sends no move frame (issue 20 §3, DESIGN.md §4 items 3 and 7): a Loctek
// controller runs on after the last move frame it got, so a move frame at a fault, stall,
// obstruction, handset or stop-command stop would drive the desk on for a full run-on. The
// backend tells the motion controller when the last move frame went out instead.
#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "hw/bus_backend.h"
#include "hw/sim_bus_controller.h"

namespace deskd::hw {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class LoctekStop : public testing::Test {
 protected:
  LoctekStop() {
    settings_.protocol = bus::Protocol::kLoctek;
    settings_.height_unit = bus::HeightUnit::kMm;
    settings_.device = "(simulated)";
    sim_.start_height_mm = 720;
    sim_.speed_noise = 0;
    controller_.emplace(io_, clock_, settings_, sim_, motion_);
    auto wake =
        std::make_unique<FunctionWakeLine>([this](bool h) { controller_->set_wake_line(h); });
    backend_.emplace(
        io_, clock_, settings_, [this] { return controller_->device_path(); }, std::move(wake),
        nullptr);
  }

  bool run_until(const std::function<bool()>& done, milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(milliseconds(10));
    }
    return done();
  }
  void run_for(milliseconds d) {
    run_until([] { return false; }, d);
  }

  boost::asio::io_context io_;
  ports::SystemClock clock_;
  config::BusSettings settings_;
  config::SimSettings sim_;
  core::MotionSettings motion_;
  std::optional<SimBusController> controller_;
  std::optional<BusBackend> backend_;
};

TEST_F(LoctekStop, ASafetyStopSendsNoMoveFrameAndReportsWhenTheLastOneWentOut) {
  ASSERT_TRUE(
      run_until([this] { return backend_->inputs().bus_height_mm.has_value(); }, seconds(3)));
  ASSERT_EQ(backend_->set_drive(core::Drive::kDown), std::nullopt);
  ASSERT_TRUE(run_until([this] { return controller_->desk().desk().in_motion(); }, seconds(2)));
  run_for(milliseconds(250));  // a few repeats
  const std::optional<core::SteadyTime> last_move = backend_->last_drive_frame_at();
  ASSERT_TRUE(last_move);
  const auto sent = backend_->frames_sent();
  const auto received = controller_->commands_received();
  // A fault, stall, obstruction, handset or stop command: the same set_drive(kNone).
  ASSERT_EQ(backend_->set_drive(core::Drive::kNone), std::nullopt);
  EXPECT_EQ(backend_->frames_sent(), sent + 1) << "only the stop frame, no move frame";
  EXPECT_EQ(backend_->last_drive_frame_at(), last_move) << "a move frame went out at the stop";
  run_for(milliseconds(400));  // longer than any repeat: nothing more goes out
  EXPECT_EQ(backend_->frames_sent(), sent + 1);
  EXPECT_EQ(controller_->commands_received(), received + 1);
  EXPECT_EQ(backend_->last_drive_frame_at(), last_move);
}

// A stop at a target timed by the motion controller: one move frame now (the run-on counts
// from it), the stop frame, then nothing.
TEST_F(LoctekStop, AStopAfterOneFrameSendsOneMoveFrameNowAndNoMore) {
  ASSERT_TRUE(
      run_until([this] { return backend_->inputs().bus_height_mm.has_value(); }, seconds(3)));
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);
  ASSERT_TRUE(run_until([this] { return controller_->desk().desk().in_motion(); }, seconds(2)));
  run_for(milliseconds(250));
  const auto sent = backend_->frames_sent();
  const auto received = controller_->commands_received();
  const core::SteadyTime before = clock_.steady_now();
  ASSERT_EQ(backend_->stop_after_one_frame(), std::nullopt);
  EXPECT_EQ(backend_->drive(), core::Drive::kNone);
  EXPECT_EQ(backend_->frames_sent(), sent + 2) << "one move frame and the stop frame";
  ASSERT_TRUE(backend_->last_drive_frame_at());
  EXPECT_GE(*backend_->last_drive_frame_at(), before) << "the last move frame is not the new one";
  run_for(milliseconds(400));
  EXPECT_EQ(backend_->frames_sent(), sent + 2);
  EXPECT_EQ(controller_->commands_received(), received + 2);
}

}  // namespace
}  // namespace deskd::hw
