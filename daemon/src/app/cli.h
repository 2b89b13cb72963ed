#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "platform/log.h"

namespace deskd::app {

// The command line of DESIGN.md §6.
struct CliOptions {
  enum class Mode { kRun, kCheckConfig, kSafeStop, kForget, kScan, kVersion, kHelp };
  Mode mode = Mode::kRun;
  std::string config_path;
  bool simulate = false;
  bool force = false;  // --forget even while the desk's deskd is online
  std::optional<double> time_scale;
  platform::LogLevel log_level = platform::LogLevel::kInfo;
  std::optional<std::string> pair;  // --scan --pair ADDRESS (upper case)
  int scan_seconds = 8;             // --scan --scan-seconds N
};

struct CliError {
  std::string message;
  int exit_code = 1;
};

std::variant<CliOptions, CliError> parse_cli(const std::vector<std::string>& args);
std::string usage();

}  // namespace deskd::app
