#pragma once

#include "app/cli.h"

namespace deskd::app {

// Exit codes of DESIGN.md §6.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitConfig = 78;

// Each returns the process exit code.
int run_command_line(int argc, char** argv);
int run_daemon(const CliOptions& o);
int run_check_config(const CliOptions& o);
int run_safe_stop(const CliOptions& o);
int run_forget(const CliOptions& o);
// deskd --scan: nearby Linak desks (the adapter from the config's [ble], else hci0).
int run_scan(const CliOptions& o);

}  // namespace deskd::app
