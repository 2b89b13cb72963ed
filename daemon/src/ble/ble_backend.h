#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ble/bluez_link.h"
#include "ble/sd_bus_loop.h"
#include "bus/linak_protocol.h"
#include "config/config.h"
#include "ports/clock.h"
#include "ports/desk_io.h"

namespace deskd::ble {

// DeskIo over a Linak Bluetooth desk ([ble]), through BlueZ on the system D-Bus. Heights fill the
// InputState's bus fields, exactly like a UART controller's (the core's bus sensor), with the
// steady time they arrived; a value that is no height (0xFFFF, a wrong length, outside the desk's
// range) is never a height: dropped, counted, logged at most every kLogInterval.
//
// set_drive(up/down) writes the control command at once and again every kRepeat, so a stalled
// deskd lets the desk stop by itself (a Linak desk moves about a second per command); kNone, a
// reversal, all_off() and the destructor write stop. Faults go to the core as BusFault:
// - kSensor: a disconnect, a lost system bus or a refused write while moving (the move is
//   dropped, never resumed after a reconnect); silence is judged by the core (stale_ms);
// - kObstruction: the desk stopped by itself (its anti-collision) while deskd still drove;
// and the desk moving against the drive (the opposite handset button) is a handset press, a
// manual override. A link that drops while idle is normal: the last height stays, with its age,
// and deskd reconnects with back-off (kFirstRetry doubling to kLastRetry).
//
// A move asked for while the link is down reconnects first: it is supervised from
// drive_effective_at() = the request + kReconnectWait, and its first command goes out then; if
// the link is not back by that time the move is refused (kSensor, with the reason).
class BleBackend : public ports::DeskIo {
 public:
  static constexpr std::chrono::milliseconds kRepeat{300};
  static constexpr std::chrono::seconds kReconnectWait{10};
  static constexpr std::chrono::seconds kFirstRetry{1};
  static constexpr std::chrono::seconds kLastRetry{30};
  static constexpr std::chrono::seconds kLogInterval{10};
  // The desk counts as moving at this speed; stopped below it.
  static constexpr int kMovingHundredthMmS = 100;
  // Driving this long without the desk stopping by itself first: after it, a stop is its own.
  static constexpr std::chrono::milliseconds kSpinUp{600};

  enum class LogLevel { kInfo, kWarning, kError };
  using Logger = std::function<void(LogLevel, const std::string&)>;

  // Connects to the system bus (or `bus_address`, the simulated desk's private bus) and starts
  // connecting to the desk (never throws: a bus that is not there yet is retried like a desk
  // that is away). `io` and `clock` must outlive this.
  BleBackend(boost::asio::io_context& io, const ports::Clock& clock,
             const config::BleSettings& settings, Logger logger,
             std::optional<std::string> bus_address = std::nullopt);
  ~BleBackend() override;
  BleBackend(const BleBackend&) = delete;
  BleBackend& operator=(const BleBackend&) = delete;

  std::optional<std::string> set_drive(core::Drive drive) override;
  core::Drive drive() const override { return drive_; }
  ports::InputState inputs() const override { return inputs_; }
  void set_input_handler(InputHandler handler) override { handler_ = std::move(handler); }
  void sync_inputs() override {}
  core::SteadyTime drive_effective_at(core::SteadyTime written) const override {
    return start_at_ ? std::max(written, *start_at_) : written;
  }
  void all_off() noexcept override;

  bool connected() const { return link_ && link_->ready(); }
  std::uint64_t refused_values() const { return refused_; }
  std::uint64_t commands_written() const { return written_; }

 private:
  void open_bus();
  void on_bus_lost(const std::string& why);
  void on_ready();
  void on_down(const std::string& why);
  void on_value(std::span<const std::uint8_t> value);
  void on_write_failed(Char which, const std::string& why);
  void refuse_value(const std::string& why);
  void watch_speed(const bus::linak::Reference& r, core::SteadyTime at);
  void moved_against_drive(core::Drive dir);
  void user_moved_before_start(core::Drive dir);
  void stop_sending();
  void report_once(core::BusFault f, const std::string& code);
  void fault(core::BusFault f, const std::string& code);
  void begin_driving();
  void arm_repeat();
  void arm_start();
  void schedule_reconnect();
  void send(bus::linak::Control c);
  void publish();
  void log(LogLevel level, const std::string& message) const;

  boost::asio::io_context& io_;
  const ports::Clock& clock_;
  config::BleSettings settings_;
  Logger logger_;
  std::optional<std::string> bus_address_;
  std::unique_ptr<SdBusLoop> bus_;
  std::unique_ptr<BluezLink> link_;
  boost::asio::steady_timer repeat_timer_;
  boost::asio::steady_timer start_timer_;
  boost::asio::steady_timer retry_timer_;
  std::chrono::seconds backoff_ = kFirstRetry;
  core::Drive drive_ = core::Drive::kNone;
  std::optional<core::SteadyTime> start_at_;  // a move waiting for the link
  core::SteadyTime driving_since_{};          // the first command of this run
  bool commanded_ = false;                    // a command of this run went out
  bool desk_moved_ = false;                   // the desk moved the commanded way this run
  core::Drive against_ = core::Drive::kNone;  // the desk moves against the drive (handset)
  ports::InputState inputs_;
  std::uint64_t refused_ = 0;
  std::uint64_t written_ = 0;
  std::optional<core::SteadyTime> last_refusal_log_;
  InputHandler handler_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace deskd::ble
