#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "bus/controller_codec.h"
#include "config/config.h"
#include "hw/sim_backend.h"
#include "ports/clock.h"

namespace deskd::hw {

// A simulated desk controller of the configured protocol behind a pseudo-terminal (openpty):
// deskd opens device_path() as its serial port, so the real framing and serial code run. The
// desk's physics is a SimBackend (which the daemon also drives for handset presses, stalls and
// obstructions through B/sim/set).
//
// Like the real controllers it moves while move frames keep coming (a move stops kHold after
// the last one, or at a stop frame), runs its own go-to (Jiecang 1B in mm whatever the height
// unit, presets) stopping early by its own coast, reports its height at the real rate
// (report_interval(): Loctek E5B 100 ms, Jiecang 200 ms, or `[sim] bus_report_ms`) while the
// desk is in motion and for kAwakeFor after any command, answers a Jiecang query with presets
// and limits, and (Loctek) accepts commands and reports only while the wake line has been high
// for kWakeLead. Its Loctek display rounds or truncates whole units (`[sim] bus_whole_units`).
// Bus faults for tests and the demo, one method each: go_silent(), close_port() (a new pty
// after kReopenDelay), send_garbage(), show_error(code); clear() ends them. Normal displays that
// are no height, for kShowFor: show(SimBusDisplay).
enum class SimBusDisplay : std::uint8_t {
  kReminder,     // Loctek: the sit/stand reminder's countdown " 99" (iMicknl/LoctekMotion_IoT #44)
  kPresetStore,  // Loctek: the preset-store prompt "S-1" (iMicknl/LoctekMotion_IoT PR #18)
  kLimitSet,     // Jiecang: heights 9999 and 0 after a limit is set on the handset (phord/Jarvis)
};
// "reminder", "preset_store", "limit_set"; nullopt for anything else.
std::optional<SimBusDisplay> sim_bus_display_from(std::string_view name);

class SimBusController {
 public:
  static constexpr std::chrono::milliseconds kHold{300};
  static constexpr std::chrono::milliseconds kLoctekReportInterval{100};
  static constexpr std::chrono::milliseconds kJiecangReportInterval{200};
  static constexpr std::chrono::milliseconds kShowFor{3000};
  static constexpr std::chrono::milliseconds kAwakeFor{2000};
  static constexpr std::chrono::milliseconds kWakeLead{800};
  static constexpr std::chrono::milliseconds kReopenDelay{1000};
  static constexpr int kGarbageReports = 20;
  // device_path() while the port is closed (close_port()): a path that never exists.
  static constexpr const char* kClosedPath = "/dev/deskd-sim-bus-closed";

  // Throws std::runtime_error if no pseudo-terminal can be opened.
  SimBusController(boost::asio::io_context& io, const ports::Clock& clock,
                   const config::BusSettings& bus, const config::SimSettings& sim,
                   const core::MotionSettings& motion);
  ~SimBusController();
  SimBusController(const SimBusController&) = delete;
  SimBusController& operator=(const SimBusController&) = delete;

  // The pty slave deskd opens; kClosedPath after close_port(), a new pty once it is back.
  std::string device_path() const { return path_; }
  SimBackend& desk() { return desk_; }
  const SimBackend& desk() const { return desk_; }
  // Loctek's wake line (PIN20), driven by deskd's BusBackend.
  void set_wake_line(bool high);

  void go_silent();
  void close_port();
  void send_garbage();
  void show_error(const std::string& code);
  // An error message if this protocol has no such display (reminder and preset store: Loctek;
  // limit set: Jiecang).
  std::optional<std::string> show(SimBusDisplay display);
  void clear();
  std::chrono::milliseconds report_interval() const;

  std::uint64_t commands_received() const { return commands_; }
  std::uint64_t commands_ignored_asleep() const { return ignored_asleep_; }
  const bus::ParserStats& frame_stats() const { return codec_->stats(); }

 private:
  void open_pty();
  void close_pty() noexcept;
  void read();
  void on_command(const bus::Command& c, core::SteadyTime now);
  void move(core::Drive dir, core::SteadyTime now);
  void start_goto(double target_mm, core::SteadyTime now);
  void arm_hold(core::SteadyTime now);
  void on_physics();
  void ensure_reporting();
  void on_report_tick();
  void check_goto();
  void report_height();
  bool report_display(core::SteadyTime now);
  int display_raw(double mm) const;
  void report_memory();
  void write_report(const bus::Report& r);
  void write(const std::vector<std::uint8_t>& bytes);
  bool awake(core::SteadyTime now) const;

  boost::asio::io_context& io_;
  const ports::Clock& clock_;
  config::BusSettings bus_;
  core::MotionSettings motion_;
  config::SimSettings sim_;
  double own_coast_mm_;
  SimBackend desk_;
  std::unique_ptr<bus::HandsetCodec> codec_;
  std::unique_ptr<boost::asio::posix::stream_descriptor> master_;
  int slave_fd_ = -1;
  std::string path_;
  std::array<std::uint8_t, 256> read_buf_{};
  boost::asio::steady_timer hold_timer_, report_timer_, reopen_timer_;
  bool reporting_ = false;
  core::SteadyTime report_until_{};
  std::optional<double> goto_target_;
  std::optional<core::SteadyTime> wake_high_since_;
  std::array<int, 4> presets_raw_{};
  bool silent_ = false;
  int garbage_left_ = 0;
  std::optional<std::string> error_code_;
  std::optional<SimBusDisplay> display_;
  core::SteadyTime display_until_{};
  std::uint64_t displays_shown_ = 0;
  std::mt19937 rng_{7};
  std::uint64_t commands_ = 0;
  std::uint64_t ignored_asleep_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace deskd::hw
