#include "hw/sim_backend.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <thread>
#include <vector>

namespace deskd::hw {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class SimBackendTest : public ::testing::Test {
 protected:
  SimBackendTest() : clock_(20.0) {
    backend_.emplace(io_, clock_, sim_, motion_);
    backend_->set_input_handler([this](const ports::InputState& s) { seen_.push_back(s); });
  }

  // Runs the loop until it has no work left; fails if that takes longer than `limit` (real).
  void run_until_idle(std::chrono::steady_clock::duration limit = seconds(10)) {
    const auto start = std::chrono::steady_clock::now();
    io_.restart();
    io_.run_for(limit);
    ASSERT_LT(std::chrono::steady_clock::now() - start, limit) << "the loop never went idle";
  }
  // Calls `f` on the loop after `real` of real time.
  void after(std::chrono::steady_clock::duration real, std::function<void()> f) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, real);
    timer->async_wait([timer, f = std::move(f)](const boost::system::error_code&) { f(); });
  }

  boost::asio::io_context io_;
  ports::SystemClock clock_;
  config::SimSettings sim_;
  core::MotionSettings motion_;
  std::optional<SimBackend> backend_;
  std::vector<ports::InputState> seen_;
};

TEST_F(SimBackendTest, NoTimerIsPendingWhileTheDeskIsAtRest) {
  EXPECT_FALSE(backend_->ticking());
  EXPECT_EQ(io_.run_for(milliseconds(50)), 0u);  // nothing to do: returns at once
  EXPECT_TRUE(seen_.empty());
}

TEST_F(SimBackendTest, RunReturnsOnceTheDeskHasStoppedAndSettled) {
  const core::SteadyTime start = clock_.steady_now();
  ASSERT_EQ(backend_->set_drive(core::Drive::kUp), std::nullopt);
  EXPECT_TRUE(backend_->ticking());
  core::SteadyTime stop;
  after(milliseconds(100), [&] {  // about 2 s of virtual time
    stop = clock_.steady_now();
    backend_->set_drive(core::Drive::kNone);
  });
  run_until_idle();
  EXPECT_FALSE(backend_->ticking());
  EXPECT_FALSE(backend_->desk().in_motion());
  // The virtual run time at 38 mm/s +-10 % (less the ramp), plus a 3..8 mm coast.
  const double run_s = std::chrono::duration<double>(stop - start).count();
  EXPECT_GT(backend_->true_height_mm(), 720.0 + (run_s - 0.15) * 38.0 * 0.9 + 3.0 - 0.1);
  EXPECT_LT(backend_->true_height_mm(), 720.0 + run_s * 38.0 * 1.1 + 8.0 + 0.1);
}

TEST_F(SimBackendTest, InputHandlerSeesTheEncoderCountUpOnTheLoop) {
  const auto loop_thread = std::this_thread::get_id();
  std::thread::id handler_thread;
  backend_->set_input_handler([&](const ports::InputState& s) {
    handler_thread = std::this_thread::get_id();
    seen_.push_back(s);
  });
  backend_->set_drive(core::Drive::kUp);
  after(milliseconds(50), [this] { backend_->all_off(); });
  run_until_idle();
  ASSERT_GE(seen_.size(), 3u);
  EXPECT_EQ(handler_thread, loop_thread);
  for (std::size_t i = 1; i < seen_.size(); ++i) {
    EXPECT_GT(seen_[i].encoder_count, seen_[i - 1].encoder_count);
  }
  EXPECT_EQ(seen_.back(), backend_->inputs());
}

TEST_F(SimBackendTest, HandlerMayStopTheDeskFromInsideTheCallback) {
  const std::int64_t stop_at = backend_->inputs().encoder_count + 100;  // 50 mm up
  double stopped_at = 0.0;
  backend_->set_input_handler([&](const ports::InputState& s) {
    if (s.encoder_count >= stop_at && backend_->drive() != core::Drive::kNone) {
      stopped_at = backend_->true_height_mm();
      backend_->set_drive(core::Drive::kNone);
    }
  });
  backend_->set_drive(core::Drive::kUp);
  run_until_idle();
  EXPECT_EQ(backend_->drive(), core::Drive::kNone);
  EXPECT_GE(stopped_at, 770.0 - 0.25);
  // After the stop inside the callback, the desk coasted 3..8 mm and the timer ended.
  EXPECT_GE(backend_->true_height_mm() - stopped_at, 3.0 - 0.1);
  EXPECT_LE(backend_->true_height_mm() - stopped_at, 8.0 + 0.1);
  EXPECT_FALSE(backend_->ticking());
}

TEST_F(SimBackendTest, HandsetPressStartsTheTimerAndReportsThePress) {
  backend_->press_handset(core::Drive::kDown, seconds(1));
  EXPECT_TRUE(backend_->ticking());
  run_until_idle();
  bool pressed = false;
  for (const auto& s : seen_) pressed = pressed || s.handset_down;
  EXPECT_TRUE(pressed);
  EXPECT_FALSE(seen_.back().handset_down);
  EXPECT_LT(backend_->true_height_mm(), 720.0 - 20.0);
  EXPECT_EQ(backend_->drive(), core::Drive::kNone);
}

TEST_F(SimBackendTest, StopWhileIdleStartsNoTimer) {
  EXPECT_EQ(backend_->set_drive(core::Drive::kNone), std::nullopt);
  backend_->all_off();
  EXPECT_FALSE(backend_->ticking());
}

TEST_F(SimBackendTest, StallInjectedThroughTheBackendHoldsTheDesk) {
  backend_->set_drive(core::Drive::kUp);
  after(milliseconds(30), [this] { backend_->inject_stall(); });
  double at_stall = 0.0;
  after(milliseconds(40), [&] { at_stall = backend_->true_height_mm(); });
  after(milliseconds(140), [this] { backend_->set_drive(core::Drive::kNone); });
  run_until_idle();
  EXPECT_GT(at_stall, 720.0);
  EXPECT_DOUBLE_EQ(backend_->true_height_mm(), at_stall);
}

TEST_F(SimBackendTest, DestroyingItWhileTheTimerIsPendingIsSafe) {
  backend_->set_drive(core::Drive::kUp);
  ASSERT_TRUE(backend_->ticking());
  backend_.reset();
  run_until_idle();  // the aborted wait completes without touching the backend
  EXPECT_TRUE(io_.stopped());
}

TEST_F(SimBackendTest, SimulatedTimeRunsAtTheClockScale) {
  ports::SystemClock real_time(1.0);
  SimBackend slow(io_, real_time, sim_, motion_);
  slow.set_drive(core::Drive::kUp);
  backend_->set_drive(core::Drive::kUp);
  after(milliseconds(100), [&] {
    slow.set_drive(core::Drive::kNone);
    backend_->set_drive(core::Drive::kNone);
  });
  run_until_idle();
  // 0.1 s real: the unscaled desk moved ~4 mm (+ a short coast), the 20x desk ~2 s worth.
  EXPECT_LT(slow.true_height_mm() - 720.0, 15.0);
  EXPECT_GT(backend_->true_height_mm() - 720.0, 50.0);
}

}  // namespace
}  // namespace deskd::hw
