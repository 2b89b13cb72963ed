#pragma once

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bus/controller_codec.h"
#include "config/config.h"
#include "hw/serial_link.h"
#include "hw/wake_line.h"
#include "ports/clock.h"
#include "ports/desk_io.h"

namespace deskd::hw {

using core::ControllerMemory;

// DeskIo over a desk controller's UART ([bus]). Decoded height frames fill the InputState's bus
// fields with their steady arrival time; a port failure empties the height and reports
// BusFault::kSensor "EIO" until the port is reopened and a height arrives again. A desk error
// on the display (E01, RST, ...) is reported as BusFault kSensor / kLimit with its code; any
// other display (the Loctek reminder " 99", "S-1") is normal use and changes nothing: no height
// now, the last one stays (and grows stale while moving). A height outside the desk's physical
// range (settings.plausible_min_mm .. plausible_max_mm; Jarvis's 9999 and 0 after a limit is
// set) is never a height: dropped, counted, logged at most every kBadFrameLogInterval. A Loctek
// display that truncates whole units (whole_units = "truncate") is read as the middle of its
// 1 cm step. Bad frames change nothing; they are counted and logged at most every
// kBadFrameLogInterval. The controller's presets and limits (Jiecang) land in the InputState's
// bus_memory.
//
// set_drive() with motion = "bus" sends the protocol's move frame at once and repeats it every
// repeat_interval() while moving (keeping its phase), and a stop frame on kNone, never a move frame
// (never resumes by itself after a port failure). Loctek's wake line is held high from the start;
// no command goes out before it has been high for kWakeLead. With motion = "gpio" the relays
// (`relays`) move the desk and the bus only reports the height; the relays' inputs (taps, limit
// switches) are merged in. `io` and `clock` must outlive this object; all calls happen on the
// loop's thread.
class BusBackend : public ports::DeskIo {
 public:
  static constexpr std::chrono::milliseconds kJiecangRepeat{100};
  static constexpr std::chrono::milliseconds kLoctekRepeat{108};
  static constexpr std::chrono::milliseconds kWakeLead{1000};
  static constexpr std::chrono::seconds kBadFrameLogInterval{10};

  enum class LogLevel { kInfo, kWarning, kError };
  using Logger = std::function<void(LogLevel, const std::string&)>;

  // Opens the port (throws std::runtime_error naming the device if it cannot). `wake` is
  // required for Loctek. `relays` moves the desk for motion = "gpio" (null for "bus").
  BusBackend(boost::asio::io_context& io, const ports::Clock& clock,
             const config::BusSettings& settings, std::function<std::string()> device,
             std::unique_ptr<WakeLine> wake, std::unique_ptr<ports::DeskIo> relays);
  ~BusBackend() override;
  BusBackend(const BusBackend&) = delete;
  BusBackend& operator=(const BusBackend&) = delete;

  std::optional<std::string> set_drive(core::Drive drive) override;
  std::optional<std::string> stop_after_one_frame() override;
  core::Drive drive() const override;
  ports::InputState inputs() const override { return inputs_; }
  void set_input_handler(InputHandler handler) override { handler_ = std::move(handler); }
  void sync_inputs() override;
  // A move frame goes out only once the wake line has been high for kWakeLead.
  core::SteadyTime drive_effective_at(core::SteadyTime written) const override {
    return relays_ ? written : std::max(written, wake_ready_at_);
  }
  // A stop frame does not stop a Loctek motor: it runs on after the last move frame.
  std::optional<core::SteadyTime> last_drive_frame_at() const override {
    if (relays_ || settings_.protocol != bus::Protocol::kLoctek) return std::nullopt;
    return last_drive_frame_at_;
  }
  void all_off() noexcept override;

  void set_logger(Logger logger) { logger_ = std::move(logger); }
  const ControllerMemory& memory() const { return inputs_.bus_memory; }
  const bus::ParserStats& frame_stats() const { return codec_->stats(); }
  std::uint64_t frames_sent() const { return frames_sent_; }
  std::uint64_t implausible_heights() const { return implausible_; }
  std::chrono::milliseconds repeat_interval() const;
  ports::DeskIo* relays() const { return relays_.get(); }

 private:
  void on_bytes(std::span<const std::uint8_t> bytes, core::SteadyTime at);
  void on_report(const bus::Report& report, core::SteadyTime at);
  void on_height(const bus::HeightReport& report, core::SteadyTime at);
  void on_display(const bus::DisplayReport& report);
  std::optional<double> height_mm(int raw) const;
  void on_memory(const bus::Report& report);
  void on_port_down(const std::string& why);
  void on_port_up();
  void on_relay_inputs(const ports::InputState& relay);
  void greet();
  void send(bus::CommandKind kind);
  void arm_repeat(core::SteadyTime at);
  void on_repeat();
  void note_bad_frames();
  void publish();
  void log(LogLevel level, const std::string& message) const;

  const ports::Clock& clock_;
  config::BusSettings settings_;
  std::unique_ptr<bus::ControllerCodec> codec_;
  SerialLink link_;
  std::unique_ptr<WakeLine> wake_;
  std::unique_ptr<ports::DeskIo> relays_;
  boost::asio::steady_timer repeat_timer_;
  boost::asio::steady_timer greet_timer_;
  core::SteadyTime wake_ready_at_{};
  core::Drive drive_ = core::Drive::kNone;
  std::optional<core::SteadyTime> last_drive_frame_at_;  // the last up/down frame written
  core::SteadyTime next_frame_at_{};                     // the next repeat while moving
  ports::InputState inputs_;
  std::uint64_t frames_sent_ = 0;
  std::uint64_t bad_frames_logged_ = 0;
  std::optional<core::SteadyTime> last_bad_log_;
  std::uint64_t implausible_ = 0;
  std::optional<core::SteadyTime> last_implausible_log_;
  std::string display_text_;  // the last display that was no height ("" after a height)
  InputHandler handler_;
  Logger logger_;
};

}  // namespace deskd::hw
