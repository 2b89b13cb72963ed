#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/motion_settings.h"
#include "hw/sim_desk.h"
#include "ports/clock.h"
#include "ports/desk_io.h"

namespace deskd::hw {

// DeskIo on the simulated desk, driven by the event loop. While the desk is in motion the
// physics advance every kTickInterval of deskd time (see below); while it is at
// rest no timer is pending at all, so an otherwise idle io_context::run() returns.
// `io` and `clock` must outlive this object. All calls happen on the loop's thread.
class SimBackend : public ports::DeskIo {
 public:
  // The physics advance every kTickInterval of deskd time, but at most every kMinRealTick of real
  // time, so a fast --time-scale keeps fine steps without a busy loop.
  static constexpr std::chrono::milliseconds kTickInterval{5};
  static constexpr std::chrono::microseconds kMinRealTick{100};

  SimBackend(boost::asio::io_context& io, const ports::Clock& clock, const config::SimSettings& sim,
             const core::MotionSettings& motion);
  ~SimBackend() override;
  SimBackend(const SimBackend&) = delete;
  SimBackend& operator=(const SimBackend&) = delete;

  std::optional<std::string> set_drive(core::Drive drive) override;
  core::Drive drive() const override { return desk_.drive(); }
  ports::InputState inputs() const override { return desk_.inputs(); }
  void set_input_handler(InputHandler handler) override { handler_ = std::move(handler); }
  void all_off() noexcept override;
  void sync_inputs() override;

  // Fault injection (see SimDesk), effective from the clock's now.
  void inject_stall();
  void set_obstruction_at(std::optional<double> mm);
  void set_sensor_dropout(bool dropout);
  void press_handset(core::Drive dir, std::chrono::steady_clock::duration duration);
  void press_button(std::chrono::steady_clock::duration duration);
  void clear_faults();

  // The desk's true height as of the last physics step (tests and benchmarks).
  double true_height_mm() const { return desk_.height_mm(); }
  const SimDesk& desk() const { return desk_; }
  // Whether the physics timer is pending (it is exactly while the desk is in motion).
  bool ticking() const { return ticking_; }

 private:
  void catch_up();
  void ensure_ticking();
  void arm();
  void on_tick();
  void publish_if_changed();

  const ports::Clock& clock_;
  SimDesk desk_;
  boost::asio::steady_timer timer_;
  bool ticking_ = false;
  InputHandler handler_;
  ports::InputState published_;
};

}  // namespace deskd::hw
