#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/input_snapshot.h"
#include "core/motion_types.h"

namespace deskd::ports {

// Every input line of the desk, as the backend sees it after decoding (see core/input_snapshot.h).
using InputState = core::InputSnapshot;

// The desk's motor outputs and input lines. Implemented by hw/ (libgpiod and the simulated
// desk). All calls happen on the event-loop thread; the input handler is called there too.
class DeskIo {
 public:
  using InputHandler = std::function<void(const InputState&)>;

  virtual ~DeskIo() = default;

  // Sets the motor outputs. Always deactivates the other direction before activating one, so
  // both are never active. On failure returns a message and has tried to make every output
  // inactive.
  virtual std::optional<std::string> set_drive(core::Drive drive) = 0;
  virtual core::Drive drive() const = 0;

  virtual InputState inputs() const = 0;
  // `handler` is called on the event loop whenever any input changes.
  virtual void set_input_handler(InputHandler handler) = 0;

  // Delivers pending input changes now, through the handler, before the caller judges a
  // deadline (a stall timeout must not fire while encoder edges wait in a queue).
  virtual void sync_inputs() = 0;

  // How long before the handler's call the input change it delivers happened: the kernel's
  // timestamp of the last edge, so a late wake-up (a busy CPU) is not mistaken for a slow or
  // stalled desk. Zero where the backend cannot know (the reading is taken as "now").
  virtual std::chrono::nanoseconds input_age() const { return std::chrono::nanoseconds{0}; }

  // When a drive set at `written` can move the desk: later while the controller is not yet
  // listening (a Loctek controller's wake-up second). The motion supervision counts from then.
  virtual core::SteadyTime drive_effective_at(core::SteadyTime written) const { return written; }

  // When the last move frame went out, for a controller without a stop command (Loctek: the
  // motor runs on after it; the motion controller times its stops from it). nullopt where a
  // stop stops the motor at once. A stop never sends a move frame, except this one:
  virtual std::optional<core::SteadyTime> last_drive_frame_at() const { return std::nullopt; }

  // A stop at a target timed by the motion controller (core::StopStyle::kAfterOneFrame): a
  // controller that runs on after its last move frame gets one more now, then none, so its motor
  // stops run_on from now rather than from the last repeat. Elsewhere the same as a stop.
  virtual std::optional<std::string> stop_after_one_frame() {
    return set_drive(core::Drive::kNone);
  }

  // Makes every output inactive. Never throws; safe on every exit path.
  virtual void all_off() noexcept = 0;
};

}  // namespace deskd::ports
