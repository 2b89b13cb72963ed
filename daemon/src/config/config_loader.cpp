#include "config/config_loader.h"

#include <unistd.h>

#include <array>
#include <cctype>
#include <filesystem>
#include <utility>
#include <vector>

#include "config/atomic_file.h"
#include "config/height_rules.h"
#include "config/schedule_toml.h"
#include "config/toml_reader.h"
#include "config/toml_text.h"

namespace deskd::config {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxHeightMm = 3000;

std::string hostname() {
  std::array<char, 256> buf{};
  if (gethostname(buf.data(), buf.size() - 1) != 0) return {};
  return buf.data();
}

std::string resolve(const fs::path& dir, const std::string& p) {
  const fs::path path(p);
  return (path.is_absolute() ? path : dir / path).lexically_normal().string();
}

// Digits only, 1..65535.
bool valid_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return false;
  int v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  return v >= 1 && v <= 65535;
}

// "host:port", "[v6]:port" or (port optional) "host"; nullopt when valid.
std::optional<std::string> host_port_problem(std::string_view text, bool port_required) {
  std::string_view host;
  std::optional<std::string_view> port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return "unterminated '[' in an IPv6 address";
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "expected ':' after ']'";
      port = rest.substr(1);
    }
  } else {
    const auto colon = text.rfind(':');
    host = text.substr(0, colon);
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
  }
  if (host.empty()) return "a host is required";
  if (!port && port_required) return "a port is required (\"host:port\")";
  if (port && !valid_port(*port)) return "the port must be a number between 1 and 65535";
  return std::nullopt;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A host name or IP address as it appears in a Host header, without port: letters, digits,
// '-', '.', or a bracketed IPv6 address.
std::optional<std::string> allowed_host_problem(std::string_view text) {
  if (text.empty()) return "empty host name";
  if (text.front() == '[') {
    if (text.back() != ']' || text.size() < 3) return "an IPv6 address must be \"[addr]\"";
    return std::nullopt;
  }
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return "expected a host name without scheme, port or path, got " + toml_quote(text);
  }
  return std::nullopt;
}

// "http://host[:port]" or "https://host[:port]", no path: what a browser sends as Origin.
std::optional<std::string> allowed_origin_problem(std::string_view text) {
  std::string_view rest = text;
  if (rest.rfind("http://", 0) == 0) {
    rest.remove_prefix(7);
  } else if (rest.rfind("https://", 0) == 0) {
    rest.remove_prefix(8);
  } else {
    return "expected \"http(s)://host[:port]\", got " + toml_quote(text);
  }
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return "expected \"http(s)://host[:port]\" without a path, got " + toml_quote(text);
  }
  if (auto p = host_port_problem(rest, false)) return *p + " in " + toml_quote(text);
  return std::nullopt;
}

std::optional<std::string> uri_problem(std::string_view uri) {
  constexpr std::array<std::string_view, 4> kSchemes{"tcp://", "ssl://", "ws://", "wss://"};
  for (const auto scheme : kSchemes) {
    if (uri.substr(0, scheme.size()) != scheme) continue;
    std::string_view rest = uri.substr(scheme.size());
    const bool web_socket = scheme[0] == 'w';
    const auto slash = rest.find('/');
    if (slash != std::string_view::npos) {
      if (!web_socket) return std::string("only ws:// and wss:// URIs may have a path");
      rest = rest.substr(0, slash);
    }
    if (auto p = host_port_problem(rest, false)) return p;
    return std::nullopt;
  }
  return std::string("must start with tcp://, ssl://, ws:// or wss://");
}

// A URI whose authority carries user-info ("tcp://alice:pw@host:1883"). Refused for [mqtt] uri:
// the uri is printed by --check-config and logged at every connect, so a password in it would
// be too; the [mqtt] username / password / password_file keys carry credentials instead.
bool has_user_info(std::string_view uri) {
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string_view rest = uri.substr(scheme_end + 3);
  return rest.substr(0, rest.find('/')).find('@') != std::string_view::npos;
}

std::optional<std::string> topic_problem(std::string_view topic) {
  if (topic.empty()) return "must not be empty";
  if (topic.find_first_of("+#") != std::string_view::npos) return "must not contain + or #";
  if (topic.find('\0') != std::string_view::npos) return "must not contain NUL";
  if (topic.front() == '/' || topic.back() == '/' || topic.find("//") != std::string_view::npos) {
    return "must not have empty levels (leading, trailing or double '/')";
  }
  return std::nullopt;
}

struct KeyValue {
  std::string_view key;
  int value;
};

// `lo` must be less than `hi`: the error names the key the file set (the upper one if both).
void require_below(TableReader& t, KeyValue lo, KeyValue hi) {
  if (lo.value < hi.value) return;
  if (t.has(hi.key)) {
    t.fail(hi.key, "must be greater than " + std::string(lo.key) + " (" + std::to_string(lo.value) +
                       "), got " + std::to_string(hi.value));
  }
  t.fail(lo.key, "must be less than " + std::string(hi.key) + " (" + std::to_string(hi.value) +
                     "), got " + std::to_string(lo.value));
}

class ConfigReader {
 public:
  ConfigReader(const std::string& file, const toml::table& root) : file_(file), root_(file, root) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(fs::path(file), ec);
    dir_ = (ec ? fs::path(file) : absolute).parent_path();
    if (dir_.empty()) dir_ = ".";
  }

  Config read() {
    TableReader desk = root_.table("desk");
    TableReader sensor = root_.table("sensor");
    TableReader motion = root_.table("motion");
    TableReader gpio = root_.table("gpio");
    TableReader schedule = root_.table("schedule");
    TableReader sim = root_.table("sim");
    TableReader bus = root_.table("bus");
    TableReader ble = root_.table("ble");
    TableReader mqtt = root_.table("mqtt");
    TableReader web = root_.table("web");
    TableReader state = root_.table("state");
    root_.finish();

    Config c;
    c.path = file_;
    read_desk(desk, c);
    read_sensor(sensor, c);
    read_motion(motion, c);
    read_ble(ble, bus, sensor, c);
    read_bus(bus, sensor, c);
    read_gpio(gpio, sensor, c);
    c.schedule = read_schedule(schedule);
    read_sim(sim, c);
    read_mqtt(mqtt, c);
    read_web(web, c);
    read_state(state, c);
    return c;
  }

 private:
  void read_desk(TableReader& t, Config& c) {
    auto& d = c.desk;
    auto& m = c.motion;
    if (auto v = t.string("id")) {
      if (!is_valid_name(*v)) {
        t.fail("id", "must match [a-z0-9_-]+ (at most 64 characters), got " + toml_quote(*v));
      }
      d.id = *v;
    } else {
      d.id = sanitise_desk_id(hostname());
    }
    if (auto v = t.string("name")) {
      if (v->empty()) t.fail("name", "must not be empty");
      d.name = *v;
    } else {
      d.name = "Desk " + d.id;
    }
    if (auto v = t.integer("min_height_mm", 0, kMaxHeightMm)) m.min_height_mm = *v;
    if (auto v = t.integer("max_height_mm", 0, kMaxHeightMm)) m.max_height_mm = *v;
    require_below(t, {"min_height_mm", m.min_height_mm}, {"max_height_mm", m.max_height_mm});
    if (auto v = t.integer("sit_height_mm", 0, kMaxHeightMm)) d.sit_height_mm = *v;
    if (auto v = t.integer("stand_height_mm", 0, kMaxHeightMm)) d.stand_height_mm = *v;
    for (const char* key : {"sit_height_mm", "stand_height_mm"}) {
      const int mm = std::string_view(key) == "sit_height_mm" ? d.sit_height_mm : d.stand_height_mm;
      if (auto e = check_height(key, mm, m)) {
        if (t.has(key)) t.fail(key, e->substr(e->find(':') + 2));
        t.fail(key, "the default (" + std::to_string(mm) + ") is not between " +
                        std::to_string(m.min_height_mm) + " and " +
                        std::to_string(m.max_height_mm) + " mm; set it");
      }
    }
    require_below(t, {"sit_height_mm", d.sit_height_mm}, {"stand_height_mm", d.stand_height_mm});
    TableReader presets = t.table("presets");
    for (const auto& name : presets.keys()) {
      if (!is_valid_name(name)) {
        presets.fail(name, "preset names must match [a-z0-9_-]+ (at most 64 characters)");
      }
      d.presets[name] = *presets.integer(name, m.min_height_mm, m.max_height_mm);
    }
    t.finish();
  }

  void read_sensor(TableReader& t, Config& c) {
    auto& m = c.motion;
    if (auto v = t.choice("kind", {"encoder", "timed", "none", "bus", "ble"})) {
      // A Bluetooth desk reports its height like a bus controller: the core's bus sensor.
      kind_ble_ = *v == "ble";
      m.sensor = kind_ble_ ? core::SensorKind::kBus : *core::sensor_kind_from_string(*v);
    }
    if (auto v = t.number("mm_per_count", 0.001, 100)) c.sensor.mm_per_count = *v;
    m.mm_per_count = c.sensor.mm_per_count;
    if (auto v = t.number("up_speed_mm_s", 1, 500)) m.up_speed_mm_s = *v;
    if (auto v = t.number("down_speed_mm_s", 1, 500)) m.down_speed_mm_s = *v;
    m.bottom_height_mm = t.integer("bottom_height_mm", 0, kMaxHeightMm).value_or(m.min_height_mm);
    m.top_height_mm = t.integer("top_height_mm", 0, kMaxHeightMm).value_or(m.max_height_mm);
    if (m.bottom_height_mm > m.min_height_mm) {
      t.fail("bottom_height_mm", "must not be above desk.min_height_mm (" +
                                     std::to_string(m.min_height_mm) + "), got " +
                                     std::to_string(m.bottom_height_mm));
    }
    if (m.top_height_mm < m.max_height_mm) {
      t.fail("top_height_mm", "must not be below desk.max_height_mm (" +
                                  std::to_string(m.max_height_mm) + "), got " +
                                  std::to_string(m.top_height_mm));
    }
    // Not finished here: gpio reads it again to place the encoder error.
  }

  void read_motion(TableReader& t, Config& c) {
    auto& m = c.motion;
    if (auto v = t.integer("reverse_delay_ms", 50, 5000))
      m.reverse_delay = std::chrono::milliseconds(*v);
    if (auto v = t.integer("max_run_s", 1, 120)) m.max_run = std::chrono::seconds(*v);
    if (auto v = t.integer("stall_timeout_ms", 100, 10000)) {
      m.stall_timeout = std::chrono::milliseconds(*v);
    }
    if (auto v = t.integer("backoff_mm", 0, 100)) m.backoff_mm = *v;
    if (auto v = t.integer("tolerance_mm", 1, 20)) m.tolerance_mm = *v;
    if (auto v = t.integer("nudge_mm", 2, 50)) m.nudge_mm = *v;
    if (auto v = t.number("obstruction_ratio", 0.05, 0.95)) m.obstruction_ratio = *v;
    if (auto v = t.number("deadline_margin", 1.1, 5)) m.deadline_margin = *v;
    t.finish();
  }

  void read_gpio(TableReader& t, TableReader& sensor, Config& c) {
    auto& g = c.gpio;
    if (auto v = t.choice("backend", {"gpiod", "sim"})) {
      g.backend = *v == "sim" ? Backend::kSim : Backend::kGpiod;
    }
    if (auto v = t.string("chip")) {
      if (v->empty()) t.fail("chip", "must not be empty");
      g.chip = *v;
    }
    const std::array<std::pair<const char*, std::optional<LineSpec>*>, 10> lines{{
        {"up", &g.up},
        {"down", &g.down},
        {"enable", &g.enable},
        {"encoder_a", &g.encoder_a},
        {"encoder_b", &g.encoder_b},
        {"limit_bottom", &g.limit_bottom},
        {"limit_top", &g.limit_top},
        {"handset_up", &g.handset_up},
        {"handset_down", &g.handset_down},
        {"button", &g.button},
    }};
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto& [key, spec] = lines[i];
      auto text = t.integer_or_string(key);
      if (!text) continue;
      for (std::size_t j = 0; j < i; ++j) {
        if (*lines[j].second && (*lines[j].second)->line == *text) {
          t.fail(key, "line " + *text + " is already used by gpio." + lines[j].first);
        }
      }
      *spec = LineSpec{*text};
    }
    if (auto v = t.boolean("outputs_active_low")) g.outputs_active_low = *v;
    if (auto v = t.boolean("inputs_active_low")) g.inputs_active_low = *v;
    if (auto v = t.choice("input_bias", {"as-is", "disabled", "pull-up", "pull-down"})) {
      g.input_bias = *v == "disabled"    ? Bias::kDisabled
                     : *v == "pull-up"   ? Bias::kPullUp
                     : *v == "pull-down" ? Bias::kPullDown
                                         : Bias::kAsIs;
    }
    t.finish();

    const bool bus_moves = (c.bus && c.bus->motion == BusMotion::kBus) || c.ble;
    if (c.ble) refuse_relays_ble(t);
    if (bus_moves) refuse_relays(t);
    if (g.backend == Backend::kGpiod && !bus_moves) {
      for (const char* key : {"up", "down"}) {
        if (!t.has(key)) {
          t.fail_at(t.position_of("backend"), "gpio." + std::string(key) +
                                                  ": required when backend = \"gpiod\" (a line "
                                                  "offset or name)");
        }
      }
      if (c.motion.sensor == core::SensorKind::kEncoder && !g.encoder_a) {
        sensor.fail("kind",
                    "\"encoder\" needs gpio.encoder_a (or use kind = \"timed\" or "
                    "\"none\")");
      }
    }
    if (g.encoder_b && !g.encoder_a) {
      t.fail("encoder_b", "needs gpio.encoder_a (encoder_b alone is not a sensor)");
    }
    sensor.finish();
    const bool sim = g.backend == Backend::kSim && !c.bus && !c.ble;
    c.motion.has_limit_bottom = sim || g.limit_bottom.has_value();
    c.motion.has_limit_top = sim || g.limit_top.has_value();
  }

  // With motion = "bus" the controller moves the desk: relay lines would be a second, unwatched
  // way to drive it, so they are refused rather than ignored.
  static void refuse_relays(TableReader& t) {
    for (const char* key : {"up", "down", "enable"}) {
      if (t.has(key)) {
        t.fail(key,
               "not used with bus.motion = \"bus\" (the controller moves the desk); "
               "remove it or set bus.motion = \"gpio\"");
      }
    }
  }

  // A Bluetooth desk moves by its own commands: relay lines would be a second, unwatched way.
  static void refuse_relays_ble(TableReader& t) {
    for (const char* key : {"up", "down", "enable"}) {
      if (t.has(key)) {
        t.fail(key,
               "not used with sensor.kind = \"ble\" (the desk moves by its Bluetooth "
               "commands); remove it");
      }
    }
  }

  void read_ble(TableReader& t, TableReader& bus, TableReader& sensor, Config& c) {
    if (!t.present()) {
      if (kind_ble_) sensor.fail("kind", "\"ble\" needs a [ble] table (protocol, address, ...)");
      return;
    }
    if (!kind_ble_) t.fail_at(t.position(), "ble: a [ble] table needs sensor.kind = \"ble\"");
    if (bus.present()) {
      bus.fail_at(bus.position(),
                  "bus: a desk is either on a UART ([bus]) or on Bluetooth "
                  "([ble]), not both; remove one");
    }
    BleSettings b;
    if (!t.choice("protocol", {"linak"})) {
      t.fail_at(t.position(), "ble.protocol: required (\"linak\"; it is never guessed)");
    }
    const auto address = t.string("address");
    if (!address) {
      t.fail_at(t.position(),
                "ble.address: required (the desk's Bluetooth address, "
                "\"AA:BB:CC:DD:EE:FF\"; deskd --scan lists nearby desks)");
    }
    b.address = normalised_address(*address);
    if (b.address.empty()) {
      t.fail("address",
             "must be a Bluetooth address like \"AA:BB:CC:DD:EE:FF\", got " + toml_quote(*address));
    }
    if (auto v = t.string("adapter")) {
      if (!is_adapter_name(*v)) t.fail("adapter", "must be hci0, hci1, ..., got " + toml_quote(*v));
      b.adapter = *v;
    }
    if (auto v = t.integer("stale_ms", 100, 5000)) b.stale = std::chrono::milliseconds(*v);
    if (auto v = t.integer("base_height_mm", 300, 1500)) b.base_height_mm = *v;
    b.plausible_min_mm = c.motion.bottom_height_mm - BusSettings::kPlausibleMarginMm;
    b.plausible_max_mm = c.motion.top_height_mm + BusSettings::kPlausibleMarginMm;
    t.finish();
    c.motion.bus_stale = b.stale;
    c.motion.stops_without_commands = true;  // a Linak desk stops when commands stop
    c.ble = b;
  }

  // "aa:bb:cc:dd:ee:ff" -> "AA:BB:CC:DD:EE:FF"; "" if it is no Bluetooth address.
  static std::string normalised_address(std::string_view text) {
    if (text.size() != 17) return {};
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const bool colon = i % 3 == 2;
      if (colon != (out[i] == ':')) return {};
      if (!colon && !std::isxdigit(static_cast<unsigned char>(out[i]))) return {};
      out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i])));
    }
    return out;
  }

  static bool is_adapter_name(std::string_view v) {
    if (v.size() < 4 || v.size() > 6 || v.substr(0, 3) != "hci") return false;
    for (char ch : v.substr(3)) {
      if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
    }
    return true;
  }

  void read_bus(TableReader& t, TableReader& sensor, Config& c) {
    const bool kind_bus = c.motion.sensor == core::SensorKind::kBus && !kind_ble_;
    if (!t.present()) {
      if (kind_bus) sensor.fail("kind", "\"bus\" needs a [bus] table (protocol, device, ...)");
      return;
    }
    if (!kind_bus) {
      t.fail_at(t.position(), "bus: a [bus] table needs sensor.kind = \"bus\"");
    }
    BusSettings b;
    const auto protocol = t.choice("protocol", {"jiecang", "loctek"});
    if (!protocol)
      t.fail_at(t.position(),
                "bus.protocol: required (\"jiecang\" or \"loctek\"; "
                "it is never guessed)");
    b.protocol = *bus::protocol_from_string(*protocol);
    const auto unit = t.choice("height_unit", {"mm", "inch_tenths"});
    if (!unit)
      t.fail_at(t.position(),
                "bus.height_unit: required (\"mm\" or \"inch_tenths\", "
                "as the handset shows the height; it is never guessed)");
    b.height_unit = *bus::height_unit_from_string(*unit);
    if (auto v = t.string("device")) {
      if (v->empty()) t.fail("device", "must not be empty");
      b.device = resolve(dir_, *v);
    }
    if (auto v = t.integer("baud", 1200, 115200)) {
      if (!is_standard_baud(*v)) t.fail("baud", "must be a standard rate (1200 ... 115200)");
      b.baud = *v;
    }
    if (auto v = t.choice("motion", {"bus", "gpio"})) {
      b.motion = *v == "gpio" ? BusMotion::kGpio : BusMotion::kBus;
    }
    if (auto v = t.integer("stale_ms", 50, 5000)) b.stale = std::chrono::milliseconds(*v);
    if (auto v = t.integer_or_string("wake_line")) b.wake_line = LineSpec{*v};
    check_wake_line(t, b);
    if (auto v = t.choice("whole_units", {"round", "truncate"})) b.whole_units = whole_units(*v);
    b.plausible_min_mm = c.motion.bottom_height_mm - BusSettings::kPlausibleMarginMm;
    b.plausible_max_mm = c.motion.top_height_mm + BusSettings::kPlausibleMarginMm;
    t.finish();
    c.motion.bus_stale = b.stale;
    // A Loctek controller has no stop command: the motor runs on after the last move frame
    // (iMicknl/LoctekMotion_IoT #135), ~300 ms; deskd stops ahead by it (core run_on).
    if (b.protocol == bus::Protocol::kLoctek && b.motion == BusMotion::kBus) {
      c.motion.run_on = std::chrono::milliseconds(300);
      c.motion.drive_repeat = std::chrono::milliseconds(108);  // hw::BusBackend::kLoctekRepeat
    }
    c.bus = b;
  }

  static bus::WholeUnits whole_units(std::string_view v) {
    return v == "truncate" ? bus::WholeUnits::kTruncate : bus::WholeUnits::kRound;
  }

  static bool is_standard_baud(int v) {
    for (int rate : {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200}) {
      if (v == rate) return true;
    }
    return false;
  }

  static void check_wake_line(TableReader& t, const BusSettings& b) {
    if (b.protocol == bus::Protocol::kLoctek && !b.wake_line) {
      t.fail_at(t.position_of("protocol"),
                "bus.wake_line: required for \"loctek\" (the GPIO wired to RJ45 pin 4, "
                "\"PIN20\", on gpio.chip)");
    }
    if (b.protocol == bus::Protocol::kJiecang && b.wake_line) {
      t.fail("wake_line", "only Loctek controllers have a wake line");
    }
  }

  void read_sim(TableReader& t, Config& c) {
    auto& s = c.sim;
    if (auto v = t.number("up_speed_mm_s", 1, 500)) s.up_speed_mm_s = *v;
    if (auto v = t.number("down_speed_mm_s", 1, 500)) s.down_speed_mm_s = *v;
    if (auto v = t.number("speed_noise", 0, 0.5)) s.speed_noise = *v;
    if (auto v = t.number("coast_min_mm", 0, 50)) s.coast_min_mm = *v;
    if (auto v = t.number("coast_max_mm", 0, 50)) s.coast_max_mm = *v;
    if (s.coast_min_mm > s.coast_max_mm) {
      const char* key = t.has("coast_max_mm") ? "coast_max_mm" : "coast_min_mm";
      t.fail(key, "coast_min_mm (" + toml_float(s.coast_min_mm) +
                      ") must not exceed coast_max_mm (" + toml_float(s.coast_max_mm) + ")");
    }
    s.start_height_mm =
        t.integer("start_height_mm", c.motion.bottom_height_mm, c.motion.top_height_mm)
            .value_or(c.motion.bottom_height_mm);
    if (auto v = t.integer64("seed", 0, 4294967295LL)) s.seed = static_cast<unsigned>(*v);
    if (auto v = t.integer("bus_report_ms", 0, 2000)) s.bus_report_ms = *v;
    if (auto v = t.choice("bus_whole_units", {"round", "truncate"})) {
      s.bus_whole_units = whole_units(*v);
    }
    t.finish();
  }

  std::string path_key(TableReader& t, const char* key) {
    auto v = t.string(key);
    if (!v) return {};
    if (v->empty()) t.fail(key, "must not be empty");
    return resolve(dir_, *v);
  }

  std::string readable_file(TableReader& t, const char* key) {
    std::string path = path_key(t, key);
    if (!path.empty()) {
      std::string ignored;
      if (auto e = read_file(path, ignored)) t.fail(key, *e);
    }
    return path;
  }

  void read_mqtt(TableReader& t, Config& c) {
    auto& q = c.mqtt;
    if (auto v = t.string("uri")) {
      if (has_user_info(*v)) {  // checked first: the other errors quote the uri
        t.fail("uri",
               "must not carry a user name or password (\"user:password@\"): the uri is printed "
               "and logged; use the [mqtt] username and password (or password_file) keys");
      }
      if (auto e = uri_problem(*v)) t.fail("uri", *e + ", got " + toml_quote(*v));
      q.uri = *v;
    }
    q.client_id = t.string("client_id").value_or("deskd-" + c.desk.id);
    if (q.client_id.empty()) t.fail("client_id", "must not be empty");
    if (auto v = t.string("username")) q.username = *v;
    if (auto v = t.string("password")) q.password = *v;
    q.password_file = path_key(t, "password_file");
    if (!q.password_file.empty()) {
      std::string text;
      if (auto e = read_file(q.password_file, text)) t.fail("password_file", *e);
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      q.password = text;
    }
    q.ca_file = readable_file(t, "ca_file");
    q.cert_file = readable_file(t, "cert_file");
    q.key_file = readable_file(t, "key_file");
    for (const char* key : {"base_topic", "discovery_prefix"}) {
      auto v = t.string(key);
      if (!v) continue;
      if (auto e = topic_problem(*v)) t.fail(key, *e + ", got " + toml_quote(*v));
      (std::string_view(key) == "base_topic" ? q.base_topic : q.discovery_prefix) = *v;
    }
    if (auto v = t.choice("discovery", {"device", "entities", "off"})) {
      q.discovery = *v == "entities" ? DiscoveryMode::kEntities
                    : *v == "off"    ? DiscoveryMode::kOff
                                     : DiscoveryMode::kDevice;
    }
    if (auto v = t.integer("keepalive_s", 5, 3600)) q.keepalive_s = *v;
    t.finish();
  }

  void read_web(TableReader& t, Config& c) {
    auto& w = c.web;
    if (auto v = t.boolean("enabled")) w.enabled = *v;
    if (auto v = t.string("listen")) {
      if (auto e = host_port_problem(*v, true)) {
        t.fail("listen", *e + ", got " + toml_quote(*v));
      }
      w.listen = *v;
    }
    if (auto v = t.string("broker_ws_url")) {
      if (!v->empty() && (v->rfind("ws://", 0) != 0 && v->rfind("wss://", 0) != 0)) {
        t.fail("broker_ws_url",
               "must start with ws:// or wss:// (or be empty), got " + toml_quote(*v));
      }
      if (!v->empty()) {
        if (auto e = uri_problem(*v)) t.fail("broker_ws_url", *e + ", got " + toml_quote(*v));
      }
      w.broker_ws_url = *v;
    }
    if (auto v = t.boolean("mqtt_bridge")) w.mqtt_bridge = *v;
    if (auto v = t.string("units")) {
      if (*v != "mm" && *v != "cm" && *v != "in") {
        t.fail("units", "must be one of \"mm\", \"cm\", \"in\", got " + toml_quote(*v));
      }
      w.units = *v;
    }
    if (auto v = path_key(t, "root"); !v.empty()) w.root = v;
    read_web_allow_lists(t, w);
    t.finish();
  }

  // [web] allowed_hosts: host names or addresses without scheme, port or path;
  // allowed_origins: "http(s)://host[:port]" exactly as a browser sends Origin.
  void read_web_allow_lists(TableReader& t, WebSettings& w) {
    if (auto items = t.string_array("allowed_hosts")) {
      for (const auto& item : *items) {
        if (auto e = allowed_host_problem(item.text)) {
          t.fail_at(item.where, t.qualified("allowed_hosts") + ": " + *e);
        }
        w.allowed_hosts.push_back(lower_ascii(item.text));
      }
    }
    if (auto items = t.string_array("allowed_origins")) {
      for (const auto& item : *items) {
        if (auto e = allowed_origin_problem(item.text)) {
          t.fail_at(item.where, t.qualified("allowed_origins") + ": " + *e);
        }
        w.allowed_origins.push_back(lower_ascii(item.text));
      }
    }
  }

  void read_state(TableReader& t, Config& c) {
    if (auto v = path_key(t, "dir"); !v.empty()) c.state.dir = v;
    t.finish();
  }

  const std::string& file_;
  fs::path dir_;
  bool kind_ble_ = false;  // sensor.kind = "ble" (the core sees a bus sensor)
  TableReader root_;
};

}  // namespace

std::string sanitise_desk_id(std::string_view hostname) {
  std::string id;
  for (const char c : hostname) {
    if (id.size() == kMaxNameLength) break;
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') ||
                    lower == '_' || lower == '-';
    id += ok ? lower : '_';
  }
  return id.empty() ? "desk" : id;
}

LoadResult parse_config(std::string_view text, const std::string& path) {
  try {
    const toml::table root = parse_toml(text, path);
    return ConfigReader(path, root).read();
  } catch (const TomlReadError& e) {
    return e.error();
  } catch (const std::exception& e) {
    return ConfigError{path, 0, 0, std::string("cannot load: ") + e.what()};
  }
}

LoadResult load_config(const std::string& path) {
  try {
    std::string text;
    if (auto e = read_file(path, text)) return ConfigError{path, 0, 0, *e};
    return parse_config(text, path);
  } catch (const std::exception& e) {
    return ConfigError{path, 0, 0, std::string("cannot load: ") + e.what()};
  }
}

}  // namespace deskd::config
