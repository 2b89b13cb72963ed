#include "hw/sim_backend.h"

#include <algorithm>
#include <boost/asio/error.hpp>

namespace deskd::hw {

SimBackend::SimBackend(boost::asio::io_context& io, const ports::Clock& clock,
                       const config::SimSettings& sim, const core::MotionSettings& motion)
    : clock_(clock),
      desk_(sim, motion, clock.steady_now()),
      timer_(io),
      published_(desk_.inputs()) {}

SimBackend::~SimBackend() {
  all_off();
  // A cancelled wait still completes later with operation_aborted; on_tick is not reached then.
  timer_.cancel();
}

void SimBackend::catch_up() { desk_.advance(clock_.steady_now()); }

void SimBackend::sync_inputs() {
  catch_up();
  publish_if_changed();
}

std::optional<std::string> SimBackend::set_drive(core::Drive drive) {
  desk_.set_drive(drive, clock_.steady_now());
  ensure_ticking();
  return std::nullopt;
}

void SimBackend::all_off() noexcept {
  try {
    desk_.set_drive(core::Drive::kNone, clock_.steady_now());
    ensure_ticking();  // the desk may still coast
  } catch (...) {
    // Nothing here can fail in practice (no allocation on the path); never let it escape.
  }
}

void SimBackend::inject_stall() {
  catch_up();
  desk_.inject_stall();
  ensure_ticking();
}

void SimBackend::set_obstruction_at(std::optional<double> mm) {
  catch_up();
  desk_.set_obstruction_at(mm);
  ensure_ticking();
}

void SimBackend::set_sensor_dropout(bool dropout) {
  catch_up();
  desk_.set_sensor_dropout(dropout);
  ensure_ticking();
}

void SimBackend::press_handset(core::Drive dir, std::chrono::steady_clock::duration duration) {
  desk_.press_handset(dir, duration, clock_.steady_now());
  ensure_ticking();
}

void SimBackend::press_button(std::chrono::steady_clock::duration duration) {
  desk_.press_button(duration, clock_.steady_now());
  ensure_ticking();
}

void SimBackend::clear_faults() {
  catch_up();
  desk_.clear_faults();
  ensure_ticking();
}

void SimBackend::ensure_ticking() {
  // Changes are reported by the next tick; the input handler is never called from inside a call
  // the controller makes.
  if (ticking_) return;
  if (!desk_.in_motion() && !desk_.button_held() && desk_.inputs() == published_) return;
  arm();
}

void SimBackend::arm() {
  ticking_ = true;
  timer_.expires_after(
      std::max<std::chrono::steady_clock::duration>(clock_.to_real(kTickInterval), kMinRealTick));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;  // `this` may be gone
    on_tick();
  });
}

void SimBackend::on_tick() {
  catch_up();
  publish_if_changed();  // the handler may call set_drive(); ticking_ is still set meanwhile
  if (desk_.in_motion() || desk_.button_held() || !(desk_.inputs() == published_)) {
    arm();
  } else {
    ticking_ = false;
  }
}

void SimBackend::publish_if_changed() {
  const ports::InputState now = desk_.inputs();
  if (now == published_) return;
  published_ = now;
  if (handler_) handler_(now);
}

}  // namespace deskd::hw
