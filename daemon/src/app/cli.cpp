#include "app/cli.h"

#include <array>
#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>

namespace deskd::app {

std::string usage() {
  return "Usage:\n"
         "  deskd --config FILE [--simulate] [--time-scale N] [--log-level LEVEL]\n"
         "  deskd --check-config --config FILE   validate, print the effective config\n"
         "  deskd --safe-stop --config FILE      drive the motor outputs inactive and exit\n"
         "  deskd --forget [--force] --config FILE\n"
         "                                       remove this desk's retained MQTT messages\n"
         "  deskd --scan [--config FILE] [--pair ADDRESS] [--scan-seconds N]\n"
         "                                       list nearby Linak Bluetooth desks; pair one\n"
         "  deskd --version | --help\n"
         "\n"
         "  --simulate        use the simulated desk whatever the config says\n"
         "  --time-scale N    run deskd's clock N times faster (simulation only, 1..1000)\n"
         "  --log-level L     debug | info | notice | warning | error (default info)\n"
         "  --force           with --forget: also when the desk is online (its deskd runs)\n"
         "Exit codes: 0 ok, 78 configuration error, 1 other error.\n";
}

namespace {

using Mode = CliOptions::Mode;

// The flags that choose what deskd does (one at most).
std::optional<Mode> mode_flag(std::string_view a) {
  constexpr std::array<std::pair<std::string_view, Mode>, 8> kModes{{
      {"--scan", Mode::kScan},
      {"--check-config", Mode::kCheckConfig},
      {"--safe-stop", Mode::kSafeStop},
      {"--forget", Mode::kForget},
      {"--version", Mode::kVersion},
      {"-V", Mode::kVersion},
      {"--help", Mode::kHelp},
      {"-h", Mode::kHelp},
  }};
  for (const auto& [flag, mode] : kModes) {
    if (a == flag) return mode;
  }
  return std::nullopt;
}

// An option with a value, as "--name VALUE" (args[i + 1], taken: i moves on) or "--name=VALUE".
struct Valued {
  bool matched = false;
  std::optional<std::string> value;  // nullopt: "--name" was last
};
Valued valued(const std::vector<std::string>& args, std::size_t& i, std::string_view name,
              std::string_view alias = {}) {
  const std::string& a = args[i];
  if (a == name || (!alias.empty() && a == alias)) {
    if (i + 1 >= args.size()) return {true, std::nullopt};
    return {true, args[++i]};
  }
  const std::string prefix = std::string(name) + "=";
  if (a.rfind(prefix, 0) == 0) return {true, a.substr(prefix.size())};
  return {};
}

bool is_bluetooth_address(std::string_view v) {
  if (v.size() != 17) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool colon = i % 3 == 2;
    if (colon ? v[i] != ':' : !std::isxdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  return true;
}

std::optional<std::string> set_time_scale(const std::string& v, CliOptions& o) {
  double scale = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), scale);
  if (ec != std::errc() || ptr != v.data() + v.size() || !(scale >= 1.0 && scale <= 1000.0)) {
    return "--time-scale must be a number from 1 to 1000, got '" + v + "'";
  }
  o.time_scale = scale;
  return std::nullopt;
}

std::optional<std::string> set_log_level(const std::string& v, CliOptions& o) {
  auto l = platform::log_level_from_string(v);
  if (!l) return "unknown log level '" + v + "' (debug|info|notice|warning|error)";
  o.log_level = *l;
  return std::nullopt;
}

// The options with a value at args[i]: nullopt if args[i] is none of them, else "" or the error.
std::optional<std::string> parse_valued(const std::vector<std::string>& args, std::size_t& i,
                                        CliOptions& o) {
  if (auto c = valued(args, i, "--config", "-c"); c.matched) {
    if (!c.value) return std::string("--config needs a FILE");
    o.config_path = *c.value;
    return std::string();
  }
  if (auto t = valued(args, i, "--time-scale"); t.matched) {
    if (!t.value) return std::string("--time-scale needs a number");
    return set_time_scale(*t.value, o).value_or("");
  }
  if (auto p = valued(args, i, "--pair"); p.matched) {
    if (!p.value || !is_bluetooth_address(*p.value)) {
      return std::string("--pair needs a Bluetooth address like AA:BB:CC:DD:EE:FF");
    }
    o.pair = *p.value;
    for (char& ch : *o.pair) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return std::string();
  }
  if (auto s = valued(args, i, "--scan-seconds"); s.matched) {
    int n = 0;
    const std::string v = s.value.value_or("");
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || ptr != v.data() + v.size() || n < 1 || n > 60) {
      return "--scan-seconds must be a whole number from 1 to 60, got '" + v + "'";
    }
    o.scan_seconds = n;
    return std::string();
  }
  if (auto l = valued(args, i, "--log-level"); l.matched) {
    if (!l.value) return std::string("--log-level needs a LEVEL");
    return set_log_level(*l.value, o).value_or("");
  }
  return std::nullopt;
}

}  // namespace

std::variant<CliOptions, CliError> parse_cli(const std::vector<std::string>& args) {
  CliOptions o;
  int modes = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (auto m = mode_flag(a)) {
      o.mode = *m;
      ++modes;
    } else if (a == "--simulate") {
      o.simulate = true;
    } else if (a == "--force") {
      o.force = true;
    } else if (auto err = parse_valued(args, i, o)) {
      if (!err->empty()) return CliError{*err};
    } else {
      return CliError{"unknown argument '" + a + "'\n" + usage()};
    }
  }
  if (modes > 1) {
    return CliError{
        "choose one of --check-config, --safe-stop, --forget, --scan, --version, --help"};
  }
  if ((o.pair || o.scan_seconds != 8) && o.mode != Mode::kScan) {
    return CliError{"--pair and --scan-seconds go with --scan"};
  }
  if (o.mode == Mode::kScan) return o;  // the config is optional: it names the adapter
  if (o.mode == Mode::kVersion || o.mode == Mode::kHelp) return o;
  if (o.force && o.mode != Mode::kForget) return CliError{"--force goes with --forget"};
  if (o.config_path.empty()) return CliError{"--config FILE is required\n" + usage()};
  return o;
}

}  // namespace deskd::app
