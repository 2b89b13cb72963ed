#pragma once

#include <systemd/sd-bus.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ble/bluez_objects.h"
#include "ble/sd_bus_loop.h"
#include "config/config.h"
#include "core/motion_settings.h"
#include "hw/sim_desk.h"
#include "ports/clock.h"

namespace deskd::ble {

// A simulated BlueZ (`org.bluez`) with one Linak desk, on a D-Bus at `bus_address` (a private
// dbus-daemon). It follows BlueZ's object paths and interfaces (ObjectManager at "/", Adapter1 at
// /org/bluez/<adapter>, Device1 at .../dev_AA_BB_..., GattService1 / GattCharacteristic1 below
// it), errors (org.bluez.Error.*) and PropertiesChanged signals. The desk is hw::SimDesk's
// physics with a Linak controller's behaviour: an up/down command moves it for kCommandRun
// unless repeated, stop stops it, the height and speed are notified every kNotifyInterval while
// they change, and the DPG base offset (0x7F 0x81 0x00) is answered.
//
// Fault injection, one method per failure mode. Everything runs on `io`'s thread.
class SimBluez {
 public:
  static constexpr std::chrono::milliseconds kCommandRun{1000};
  static constexpr std::chrono::milliseconds kNotifyInterval{100};

  struct Options {
    std::string adapter = "hci0";
    std::string address = "AA:BB:CC:DD:EE:FF";
    std::string name = "Desk 4711";
    int base_tenth_mm = 6200;
    std::int16_t rssi = -58;
  };

  SimBluez(boost::asio::io_context& io, const ports::Clock& clock, const std::string& bus_address,
           const config::SimSettings& sim, const core::MotionSettings& motion, Options options);
  ~SimBluez();
  SimBluez(const SimBluez&) = delete;
  SimBluez& operator=(const SimBluez&) = delete;

  // The desk drops the link (Connected = false); with `away` it also refuses to reconnect
  // (org.bluez.Error.Failed) until set_away(false).
  void disconnect();
  void set_away(bool away) { away_ = away; }
  // No notifications while silent (the desk still moves).
  void set_silent(bool silent) { silent_ = silent; }
  // WriteValue on the control characteristic answers org.bluez.Error.NotPermitted.
  void set_refuse_writes(bool refuse) { refuse_writes_ = refuse; }
  // The desk's anti-collision: it stops by itself on reaching `mm` and ignores moves that way.
  void set_anti_collision_at(std::optional<double> mm) { collision_at_ = mm; }
  // Someone holds the desk's handset button.
  void press_handset(core::Drive dir, std::chrono::milliseconds duration);
  // Notifies a raw value on the height characteristic (e.g. FF FF 00 00).
  void notify_raw(std::vector<std::uint8_t> value);

  double height_mm() const { return desk_.height_mm(); }
  bool connected() const { return connected_; }
  std::uint64_t commands() const { return commands_; }
  std::uint64_t stop_commands() const { return stops_; }
  // When the first up/down command arrived (real steady time).
  std::optional<std::chrono::steady_clock::time_point> first_move_at() const {
    return first_move_at_;
  }
  core::Drive drive() const { return desk_.drive(); }
  // The first byte of the desk's DPG user id (00 until a client fixes it to 01).
  std::uint8_t user_id_first() const { return user_id_first_; }

  // One exported object: its interface's properties, read by the vtables' getter.
  struct Object {
    SimBluez* sim = nullptr;
    std::string path;
    std::string iface;
    Props props;
    sd_bus_slot* slot = nullptr;
  };
  // The vtables' one method handler (userdata: the Object).
  static int on_method(sd_bus_message* m, void* userdata, sd_bus_error* error);

 private:
  void export_objects();
  Object& add(const std::string& path, const char* iface, Props props);
  void set_prop(Object& o, const char* name, PropValue value);
  int device_method(Object& o, const std::string& member, sd_bus_message* m, sd_bus_error* error);
  int char_method(Object& o, const std::string& member, sd_bus_message* m, sd_bus_error* error);
  int write_value(Object& o, sd_bus_message* m, sd_bus_error* error);
  void on_control(const std::vector<std::uint8_t>& value);
  void on_dpg(Object& o, const std::vector<std::uint8_t>& value);
  void resolve_services();
  void tick();
  void arm_tick();
  void notify_height();
  std::vector<std::uint8_t> reference_value() const;

  boost::asio::io_context& io_;
  const ports::Clock& clock_;
  Options options_;
  std::unique_ptr<SdBusLoop> bus_;
  sd_bus_slot* manager_ = nullptr;
  std::map<std::string, std::unique_ptr<Object>> objects_;  // by path + iface
  Object* device_ = nullptr;
  Object* height_char_ = nullptr;
  Object* dpg_char_ = nullptr;
  hw::SimDesk desk_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer resolve_timer_;
  bool ticking_ = false;
  bool connected_ = false;
  bool away_ = false;
  bool silent_ = false;
  bool refuse_writes_ = false;
  std::optional<double> collision_at_;
  core::Drive blocked_ = core::Drive::kNone;  // after an anti-collision stop
  std::optional<core::SteadyTime> run_until_;
  std::vector<std::uint8_t> last_notified_;
  std::uint64_t commands_ = 0;
  std::uint64_t stops_ = 0;
  std::uint8_t user_id_first_ = 0x00;
  std::optional<std::chrono::steady_clock::time_point> first_move_at_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace deskd::ble
