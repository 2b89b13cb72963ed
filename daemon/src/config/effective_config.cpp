#include "config/effective_config.h"

#include "config/schedule_toml.h"
#include "config/toml_text.h"

namespace deskd::config {
namespace {

std::string b(bool v) { return v ? "true" : "false"; }
std::string i(long long v) { return std::to_string(v); }
std::string q(std::string_view s) { return toml_quote(s); }
std::string f(double v) { return toml_float(v); }

std::string line(const char* key, const std::optional<LineSpec>& spec) {
  if (!spec) return std::string("# ") + key + ": unset\n";
  return std::string(key) + " = " + q(spec->line) + "\n";
}

std::string_view bias_name(Bias bias) {
  switch (bias) {
    case Bias::kDisabled:
      return "disabled";
    case Bias::kPullUp:
      return "pull-up";
    case Bias::kPullDown:
      return "pull-down";
    case Bias::kAsIs:
      break;
  }
  return "as-is";
}

std::string_view discovery_name(DiscoveryMode mode) {
  switch (mode) {
    case DiscoveryMode::kEntities:
      return "entities";
    case DiscoveryMode::kOff:
      return "off";
    case DiscoveryMode::kDevice:
      break;
  }
  return "device";
}

std::string optional_path(const char* key, const std::string& path) {
  if (path.empty()) return std::string("# ") + key + ": unset\n";
  return std::string(key) + " = " + q(path) + "\n";
}

std::string bus_section(const std::optional<BusSettings>& bus) {
  if (!bus) return "\n# [bus]: unset (no desk controller on a UART)\n";
  std::string out = "\n[bus]\n";
  out += "protocol = " + q(bus::to_string(bus->protocol)) + "\n";
  out += "device = " + q(bus->device) + "\n";
  out += "baud = " + i(bus->baud) + "\n";
  out +=
      std::string("motion = ") + (bus->motion == BusMotion::kBus ? "\"bus\"" : "\"gpio\"") + "\n";
  out += "stale_ms = " + i(bus->stale.count()) + "\n";
  out += "height_unit = " + q(bus::to_string(bus->height_unit)) + "\n";
  out += line("wake_line", bus->wake_line);
  out += "whole_units = " + q(bus::to_string(bus->whole_units)) + "\n";
  return out;
}

std::string ble_section(const std::optional<BleSettings>& ble) {
  if (!ble) return "\n# [ble]: unset (no Bluetooth desk)\n";
  std::string out = "\n[ble]\n";
  out += "protocol = \"linak\"\n";
  out += "address = " + q(ble->address) + "\n";
  out += "adapter = " + q(ble->adapter) + "\n";
  out += "stale_ms = " + i(ble->stale.count()) + "\n";
  if (ble->base_height_mm) {
    out += "base_height_mm = " + i(*ble->base_height_mm) + "\n";
  } else {
    out += "# base_height_mm: unset (read from the desk)\n";
  }
  return out;
}

std::string desk_section(const Config& c) {
  const auto& m = c.motion;
  std::string out;
  out += "[desk]\n";
  out += "id = " + q(c.desk.id) + "\n";
  out += "name = " + q(c.desk.name) + "\n";
  out += "min_height_mm = " + i(m.min_height_mm) + "\n";
  out += "max_height_mm = " + i(m.max_height_mm) + "\n";
  out += "sit_height_mm = " + i(c.desk.sit_height_mm) + "\n";
  out += "stand_height_mm = " + i(c.desk.stand_height_mm) + "\n";
  out += "\n[desk.presets]\n";
  for (const auto& [name, mm] : c.desk.presets) out += name + " = " + i(mm) + "\n";

  return out;
}

std::string sensor_section(const Config& c) {
  const auto& m = c.motion;
  std::string out;
  out += "\n[sensor]\n";
  out += "kind = " + q(c.ble ? std::string_view("ble") : core::to_string(m.sensor)) + "\n";
  out += "mm_per_count = " + f(c.sensor.mm_per_count) + "\n";
  out += "up_speed_mm_s = " + f(m.up_speed_mm_s) + "\n";
  out += "down_speed_mm_s = " + f(m.down_speed_mm_s) + "\n";
  out += "bottom_height_mm = " + i(m.bottom_height_mm) + "\n";
  out += "top_height_mm = " + i(m.top_height_mm) + "\n";

  return out;
}

std::string motion_section(const core::MotionSettings& m) {
  std::string out;
  out += "\n[motion]\n";
  out += "reverse_delay_ms = " + i(m.reverse_delay.count()) + "\n";
  out += "max_run_s = " + i(m.max_run.count()) + "\n";
  out += "stall_timeout_ms = " + i(m.stall_timeout.count()) + "\n";
  out += "backoff_mm = " + i(m.backoff_mm) + "\n";
  out += "tolerance_mm = " + i(m.tolerance_mm) + "\n";
  out += "nudge_mm = " + i(m.nudge_mm) + "\n";
  out += "obstruction_ratio = " + f(m.obstruction_ratio) + "\n";
  out += "deadline_margin = " + f(m.deadline_margin) + "\n";
  out += "# derived: has_limit_bottom = " + b(m.has_limit_bottom) +
         ", has_limit_top = " + b(m.has_limit_top) + "\n";

  return out;
}

std::string gpio_section(const GpioSettings& g) {
  std::string out;
  out += "\n[gpio]\n";
  out += std::string("backend = ") + (g.backend == Backend::kSim ? "\"sim\"" : "\"gpiod\"") + "\n";
  out += "chip = " + q(g.chip) + "\n";
  out += line("up", g.up);
  out += line("down", g.down);
  out += line("enable", g.enable);
  out += line("encoder_a", g.encoder_a);
  out += line("encoder_b", g.encoder_b);
  out += line("limit_bottom", g.limit_bottom);
  out += line("limit_top", g.limit_top);
  out += line("handset_up", g.handset_up);
  out += line("handset_down", g.handset_down);
  out += line("button", g.button);
  out += "outputs_active_low = " + b(g.outputs_active_low) + "\n";
  out += "inputs_active_low = " + b(g.inputs_active_low) + "\n";
  out += "input_bias = " + q(bias_name(g.input_bias)) + "\n";

  return out;
}

std::string sim_section(const SimSettings& s) {
  std::string out;
  out += "\n[sim]\n";
  out += "up_speed_mm_s = " + f(s.up_speed_mm_s) + "\n";
  out += "down_speed_mm_s = " + f(s.down_speed_mm_s) + "\n";
  out += "speed_noise = " + f(s.speed_noise) + "\n";
  out += "coast_min_mm = " + f(s.coast_min_mm) + "\n";
  out += "coast_max_mm = " + f(s.coast_max_mm) + "\n";
  out += "start_height_mm = " + i(s.start_height_mm) + "\n";
  out += "seed = " + i(s.seed) + "\n";
  out += "bus_report_ms = " + i(s.bus_report_ms) + "\n";
  out += "bus_whole_units = " + q(bus::to_string(s.bus_whole_units)) + "\n";

  return out;
}

std::string mqtt_section(const MqttSettings& mq, bool reveal_secrets) {
  std::string out;
  out += "\n[mqtt]\n";
  out += "uri = " + q(mq.uri) + "\n";
  out += "client_id = " + q(mq.client_id) + "\n";
  out += "username = " + q(mq.username) + "\n";
  if (!mq.password_file.empty()) {
    out += "password_file = " + q(mq.password_file) + "\n";
  } else if (reveal_secrets || mq.password.empty()) {
    out += "password = " + q(mq.password) + "\n";
  } else {
    out += "# password: set (hidden)\n";
  }
  out += optional_path("ca_file", mq.ca_file);
  out += optional_path("cert_file", mq.cert_file);
  out += optional_path("key_file", mq.key_file);
  out += "base_topic = " + q(mq.base_topic) + "\n";
  out += "discovery_prefix = " + q(mq.discovery_prefix) + "\n";
  out += "discovery = " + q(discovery_name(mq.discovery)) + "\n";
  out += "keepalive_s = " + i(mq.keepalive_s) + "\n";

  return out;
}

std::string web_section(const WebSettings& w) {
  std::string out;
  out += "\n[web]\n";
  out += "enabled = " + b(w.enabled) + "\n";
  out += "listen = " + q(w.listen) + "\n";
  out += "broker_ws_url = " + q(w.broker_ws_url) + "\n";
  out += "mqtt_bridge = " + b(w.mqtt_bridge) + "\n";
  out += "root = " + q(w.root) + "\n";
  out += "units = " + q(w.units) + "\n";
  out += "allowed_hosts = " + toml_string_array(w.allowed_hosts) + "\n";
  out += "allowed_origins = " + toml_string_array(w.allowed_origins) + "\n";

  return out;
}

}  // namespace

std::string effective_config_toml(const Config& c, bool reveal_secrets) {
  std::string out = "# Effective configuration loaded from " + c.path + "\n\n";
  out += desk_section(c) + sensor_section(c) + motion_section(c.motion) + gpio_section(c.gpio);
  out += bus_section(c.bus) + ble_section(c.ble);
  out += "\n" + schedule_to_toml(c.schedule);
  out += sim_section(c.sim) + mqtt_section(c.mqtt, reveal_secrets) + web_section(c.web);
  out += "\n[state]\n";
  out += "dir = " + q(c.state.dir) + "\n";
  return out;
}

}  // namespace deskd::config
