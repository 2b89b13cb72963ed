#pragma once

#include <systemd/sd-bus.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ble/bluez_objects.h"
#include "ble/sd_bus_loop.h"
#include "bus/linak_protocol.h"

namespace deskd::ble {

// The GATT characteristics deskd uses on a Linak desk.
enum class Char : std::uint8_t { kHeight, kControl, kMoveTo, kDpg };

// The link to one Linak desk through BlueZ on D-Bus, as a state machine on the event loop:
// GetManagedObjects (adapter and device known?) -> Device1.Connect -> wait for ServicesResolved
// -> find the characteristics by UUID -> StartNotify on the height -> read the height ->
// StartNotify on DPG -> (no configured base) write 7F 81 00, wait for the base offset -> write
// 7F 86 00, read the user id, write it back with its first byte 1 if it is not (the DPG1C
// quirk; best effort: no answer within kBaseTimeout is no error) -> ready.
//
// Every step has a timeout; any failure (a D-Bus error such as org.bluez.Error.Failed, a missing
// characteristic, a malformed reply) ends in `down` with the reason and changes nothing else.
// After ready, Device1.Connected = false, a lost bus, or a refused write are reported through
// the handlers. Never retries by itself: the owner decides when to connect again.
class BluezLink {
 public:
  static constexpr std::chrono::seconds kStepTimeout{10};
  static constexpr std::chrono::seconds kBaseTimeout{5};

  struct Handlers {
    std::function<void()> ready;
    std::function<void(const std::string& why)> down;
    std::function<void(std::span<const std::uint8_t> value)> height;
    std::function<void(Char which, const std::string& why)> write_failed;
  };

  // `bus` must outlive this object. `base_tenth_mm`: the configured base height (nullopt: read
  // from the desk).
  BluezLink(SdBusLoop& bus, std::string adapter, std::string address,
            std::optional<int> base_tenth_mm, Handlers handlers);
  ~BluezLink();
  BluezLink(const BluezLink&) = delete;
  BluezLink& operator=(const BluezLink&) = delete;

  enum class State : std::uint8_t { kDown, kConnecting, kReady };
  State state() const { return state_; }
  bool ready() const { return state_ == State::kReady; }
  // The desk's base height in 0.1 mm: configured, or read from the desk. nullopt until known.
  std::optional<int> base_tenth_mm() const { return base_tenth_mm_; }
  const std::string& path() const { return device_path_; }

  // Starts connecting (no-op unless down).
  void connect();
  // Drops the link (Device1.Disconnect), reporting nothing.
  void disconnect();
  // Writes `value` to a characteristic (ready only; else false). A failure comes to write_failed.
  bool write(Char which, std::span<const std::uint8_t> value);
  // Writes and waits up to `timeout` for the reply, for the stop on the way out.
  bool write_blocking(Char which, std::span<const std::uint8_t> value,
                      std::chrono::milliseconds timeout);

 private:
  using Step = std::function<void(sd_bus_message*)>;
  void call(const std::string& path, const char* iface, const char* member, Step next,
            std::function<int(sd_bus_message*)> args = nullptr);
  void find_device();
  void on_objects(sd_bus_message* reply);
  void on_connected();
  void on_resolved(sd_bus_message* reply);
  bool find_chars(const std::vector<ManagedObject>& objects);
  void start_notify();
  void start_dpg();
  void dpg_ask(bus::linak::DpgCommand command);
  void dpg_write(std::vector<std::uint8_t> request);
  void become_ready();
  void fail(const std::string& why);
  void arm_step_timeout(std::chrono::seconds timeout, const char* what);
  static int on_signal(sd_bus_message* m, void* userdata, sd_bus_error* error);
  void on_properties(sd_bus_message* m);
  void on_device_props(const Props& props);
  void on_dpg_answer(const std::vector<std::uint8_t>& value);
  sd_bus_message* write_message(Char which, std::span<const std::uint8_t> value);

  SdBusLoop& bus_;
  std::string adapter_;
  std::string address_;
  std::string device_path_;
  std::optional<int> configured_base_;
  std::optional<int> base_tenth_mm_;
  Handlers handlers_;
  State state_ = State::kDown;
  bool waiting_resolve_ = false;
  std::optional<bus::linak::DpgCommand> dpg_waiting_;  // a DPG answer awaited
  std::map<Char, std::string> chars_;
  std::vector<std::uint8_t> last_value_;  // the height characteristic's last value
  sd_bus_slot* match_ = nullptr;
  boost::asio::steady_timer step_timer_;
  std::uint64_t attempt_ = 0;  // calls of an earlier attempt are ignored
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace deskd::ble
