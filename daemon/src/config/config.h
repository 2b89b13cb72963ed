#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bus/bus_types.h"
#include "core/motion_settings.h"
#include "core/schedule_settings.h"

namespace deskd::config {

// The validated, immutable configuration. Built only by load_config(); every field has the
// default documented in config/deskd.toml.

struct DeskSettings {
  std::string id;    // [a-z0-9_-]+; default: the sanitised hostname
  std::string name;  // default: "Desk <id>"
  int sit_height_mm = 720;
  int stand_height_mm = 1100;
  std::map<std::string, int> presets;  // [desk.presets] name = height_mm (plus run-time presets)
  friend bool operator==(const DeskSettings&, const DeskSettings&) = default;
};

enum class Backend { kGpiod, kSim };

// A GPIO line: a line name ("MOTOR_UP") or an offset ("17").
struct LineSpec {
  std::string line;
  friend bool operator==(const LineSpec&, const LineSpec&) = default;
};

enum class Bias { kAsIs, kDisabled, kPullUp, kPullDown };

struct GpioSettings {
  Backend backend = Backend::kGpiod;
  std::string chip = "gpiochip0";  // name, path (/dev/gpiochip0) or number
  std::optional<LineSpec> up;      // required for backend = "gpiod"
  std::optional<LineSpec> down;    // required for backend = "gpiod"
  std::optional<LineSpec> enable;
  bool outputs_active_low = false;
  std::optional<LineSpec> encoder_a;
  std::optional<LineSpec> encoder_b;  // set: quadrature; unset with encoder_a: single hall
  std::optional<LineSpec> limit_bottom;
  std::optional<LineSpec> limit_top;
  std::optional<LineSpec> handset_up;
  std::optional<LineSpec> handset_down;
  std::optional<LineSpec> button;
  bool inputs_active_low = false;
  Bias input_bias = Bias::kAsIs;
  friend bool operator==(const GpioSettings&, const GpioSettings&) = default;
};

struct SensorSettings {
  double mm_per_count = 0.5;  // encoder: height change per decoded count
  friend bool operator==(const SensorSettings&, const SensorSettings&) = default;
};

// How the desk moves when a bus is configured: bus commands, or the [gpio] relays.
enum class BusMotion { kBus, kGpio };

// The desk controller on a UART ([bus]); present only when the table is.
struct BusSettings {
  bus::Protocol protocol = bus::Protocol::kJiecang;  // required, never auto-detected
  std::string device = "/dev/serial0";
  int baud = 9600;
  BusMotion motion = BusMotion::kBus;
  std::chrono::milliseconds stale{500};                // stale_ms
  bus::HeightUnit height_unit = bus::HeightUnit::kMm;  // required: mm or 0.1 inch
  // Loctek's wake line (RJ45 pin 4, "PIN20"): a GPIO output on gpio.chip, held high ~1 s before
  // commands. Required for Loctek, refused for Jiecang.
  std::optional<LineSpec> wake_line;
  // Loctek: whole units (from 100.0 up) rounded or truncated by the display (`whole_units`).
  bus::WholeUnits whole_units = bus::WholeUnits::kRound;
  // Not a key: the heights a desk can report, its end stops (sensor.bottom/top_height_mm) +-
  // kPlausibleMarginMm. Others (Jarvis's 9999 and 0 after a limit is set) are never heights.
  static constexpr int kPlausibleMarginMm = 100;
  int plausible_min_mm = 620 - kPlausibleMarginMm;
  int plausible_max_mm = 1270 + kPlausibleMarginMm;
  friend bool operator==(const BusSettings&, const BusSettings&) = default;
};

// The Bluetooth protocol of a [ble] desk: configured, never guessed.
enum class BleProtocol { kLinak };

// A Bluetooth desk ([ble]), reached through BlueZ on the system D-Bus; present only when the
// table is (and then sensor.kind = "ble", and neither [bus] nor relay lines).
struct BleSettings {
  BleProtocol protocol = BleProtocol::kLinak;  // required
  std::string address;                         // required; "AA:BB:CC:DD:EE:FF", upper case
  std::string adapter = "hci0";                // the BlueZ adapter (/org/bluez/<adapter>)
  std::chrono::milliseconds stale{1000};       // stale_ms: an older height while moving: sensor
  // The desk's lowest height, when the desk cannot report its base offset (DPG 0x81); unset: read
  // from the desk, and without it no height is known (never guessed).
  std::optional<int> base_height_mm;
  // Not keys: the heights a desk can report, like BusSettings.
  int plausible_min_mm = 620 - BusSettings::kPlausibleMarginMm;
  int plausible_max_mm = 1270 + BusSettings::kPlausibleMarginMm;
  friend bool operator==(const BleSettings&, const BleSettings&) = default;
};

// The simulated desk's physics ([sim]); used with backend = "sim" or --simulate.
struct SimSettings {
  double up_speed_mm_s = 38.0;
  double down_speed_mm_s = 36.0;
  double speed_noise = 0.10;  // each move's speed varies by up to +-10 %
  double coast_min_mm = 3.0;  // distance travelled after the motor stops
  double coast_max_mm = 8.0;
  int start_height_mm = 720;
  unsigned seed = 1;
  // The simulated bus controller ([bus] with the simulated desk): its height report interval
  // (0: the real rate, Loctek 100 ms, Jiecang 200 ms while moving) and how its Loctek display
  // shows whole units.
  int bus_report_ms = 0;
  bus::WholeUnits bus_whole_units = bus::WholeUnits::kRound;
  friend bool operator==(const SimSettings&, const SimSettings&) = default;
};

enum class DiscoveryMode { kDevice, kEntities, kOff };

struct MqttSettings {
  std::string uri = "tcp://localhost:1883";
  std::string client_id;  // default: deskd-<desk.id>
  std::string username;
  std::string password;       // or password_file (read at load; the file wins)
  std::string password_file;  // resolved path; empty when the password is given inline
  std::string ca_file;        // TLS (ssl:// URIs)
  std::string cert_file;
  std::string key_file;
  std::string base_topic = "deskd";
  std::string discovery_prefix = "homeassistant";
  DiscoveryMode discovery = DiscoveryMode::kDevice;
  int keepalive_s = 30;
  friend bool operator==(const MqttSettings&, const MqttSettings&) = default;
};

struct WebSettings {
  bool enabled = true;
  std::string listen = "0.0.0.0:8080";
  std::string broker_ws_url = "ws://localhost:9001";
  // Serve MQTT over WebSocket at /mqtt on `listen`, relayed to the [mqtt] uri's TCP listener
  // (only for a tcp:// uri); the page then uses it instead of broker_ws_url.
  bool mqtt_bridge = true;
  std::string root = "/usr/share/deskd/web";  // the built dashboard
  // Heights on the dashboard: "mm", "cm" or "in" (each browser may choose its own).
  std::string units = "mm";
  // Extra names the server answers to (Host checks), lower-case, besides the machine's own names
  // and addresses; and extra page origins ("https://desk.example.com") the /mqtt bridge accepts,
  // e.g. a reverse proxy's.
  std::vector<std::string> allowed_hosts;
  std::vector<std::string> allowed_origins;
  friend bool operator==(const WebSettings&, const WebSettings&) = default;
};

struct StateSettings {
  std::string dir = "/var/lib/deskd";
  friend bool operator==(const StateSettings&, const StateSettings&) = default;
};

struct Config {
  std::string path;  // the file it was loaded from
  DeskSettings desk;
  GpioSettings gpio;
  SensorSettings sensor;
  core::MotionSettings motion;  // [desk] limits, [sensor] kind/speeds/end stops, [motion]
  core::ScheduleSettings schedule;
  std::optional<BusSettings> bus;
  std::optional<BleSettings> ble;
  SimSettings sim;
  MqttSettings mqtt;
  WebSettings web;
  StateSettings state;
};

}  // namespace deskd::config
