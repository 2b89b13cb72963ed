#include "app/cli.h"

#include <charconv>

namespace deskd::app {

std::string usage() {
  return "Usage:\n"
         "  deskd --config FILE [--simulate] [--time-scale N] [--log-level LEVEL]\n"
         "  deskd --check-config --config FILE   validate, print the effective config\n"
         "  deskd --safe-stop --config FILE      drive the motor outputs inactive and exit\n"
         "  deskd --forget [--force] --config FILE\n"
         "                                       remove this desk's retained MQTT messages\n"
         "  deskd --version | --help\n"
         "\n"
         "  --simulate        use the simulated desk whatever the config says\n"
         "  --time-scale N    run deskd's clock N times faster (simulation only, 1..1000)\n"
         "  --log-level L     debug | info | notice | warning | error (default info)\n"
         "  --force           with --forget: also when the desk is online (its deskd runs)\n"
         "Exit codes: 0 ok, 78 configuration error, 1 other error.\n";
}

std::variant<CliOptions, CliError> parse_cli(const std::vector<std::string>& args) {
  CliOptions o;
  int modes = 0;
  auto set_mode = [&](CliOptions::Mode m) {
    o.mode = m;
    ++modes;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* name) -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      (void)name;
      return args[++i];
    };
    if (a == "--config" || a == "-c") {
      auto v = value("--config");
      if (!v) return CliError{"--config needs a FILE"};
      o.config_path = *v;
    } else if (a.rfind("--config=", 0) == 0) {
      o.config_path = a.substr(9);
    } else if (a == "--simulate") {
      o.simulate = true;
    } else if (a == "--time-scale" || a.rfind("--time-scale=", 0) == 0) {
      std::string v;
      if (a == "--time-scale") {
        auto next = value("--time-scale");
        if (!next) return CliError{"--time-scale needs a number"};
        v = *next;
      } else {
        v = a.substr(13);
      }
      double scale = 0;
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), scale);
      if (ec != std::errc() || ptr != v.data() + v.size() || !(scale >= 1.0 && scale <= 1000.0)) {
        return CliError{"--time-scale must be a number from 1 to 1000, got '" + v + "'"};
      }
      o.time_scale = scale;
    } else if (a == "--log-level" || a.rfind("--log-level=", 0) == 0) {
      std::string v;
      if (a == "--log-level") {
        auto next = value("--log-level");
        if (!next) return CliError{"--log-level needs a LEVEL"};
        v = *next;
      } else {
        v = a.substr(12);
      }
      auto l = log_level_from_string(v);
      if (!l) return CliError{"unknown log level '" + v + "' (debug|info|notice|warning|error)"};
      o.log_level = *l;
    } else if (a == "--check-config") {
      set_mode(CliOptions::Mode::kCheckConfig);
    } else if (a == "--safe-stop") {
      set_mode(CliOptions::Mode::kSafeStop);
    } else if (a == "--force") {
      o.force = true;
    } else if (a == "--forget") {
      set_mode(CliOptions::Mode::kForget);
    } else if (a == "--version" || a == "-V") {
      set_mode(CliOptions::Mode::kVersion);
    } else if (a == "--help" || a == "-h") {
      set_mode(CliOptions::Mode::kHelp);
    } else {
      return CliError{"unknown argument '" + a + "'\n" + usage()};
    }
  }
  if (modes > 1) {
    return CliError{"choose one of --check-config, --safe-stop, --forget, --version, --help"};
  }
  if (o.mode == CliOptions::Mode::kVersion || o.mode == CliOptions::Mode::kHelp) return o;
  if (o.force && o.mode != CliOptions::Mode::kForget) return CliError{"--force goes with --forget"};
  if (o.config_path.empty()) return CliError{"--config FILE is required\n" + usage()};
  return o;
}

}  // namespace deskd::app
