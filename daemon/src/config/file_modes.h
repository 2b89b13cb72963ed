#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace deskd::config {

// Start-up checks of who else may read deskd's secrets or write its state (issue 19).

// A warning for each file holding the MQTT password that group or others may read: the config
// file when `[mqtt] password` is given inline, else `[mqtt] password_file`. Empty when none.
std::vector<std::string> secret_file_warnings(const Config& config);

// Why `dir` must not be deskd's state directory, or nullopt: it is writable by group or others
// (any other user could replace desk.toml or settings.toml and so set heights, presets and the
// schedule). 0755 (systemd's StateDirectory=) and 0700 pass. A missing directory is no problem
// here (StateStore::ensure_dir creates it).
std::optional<std::string> state_dir_mode_problem(const std::string& dir);

}  // namespace deskd::config
