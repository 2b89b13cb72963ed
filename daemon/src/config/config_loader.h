#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "config/config.h"
#include "config/config_error.h"
#include "config/effective_config.h"

namespace deskd::config {

using LoadResult = std::variant<Config, ConfigError>;

// Reads and validates a config file. Never throws: every problem, including an unreadable file,
// is a ConfigError naming file:line:column of the offending key or value. Unknown tables and
// keys, wrong types and out-of-range values are errors. Relative paths in the file (state.dir,
// web.root, mqtt.password_file and the TLS files) are resolved against the file's directory;
// mqtt.password_file is read here.
LoadResult load_config(const std::string& path);

// The same for text already in memory; `path` names it in errors and anchors relative paths.
LoadResult parse_config(std::string_view text, const std::string& path);

// "office-pi.local" -> "office-pi_local": lowercase, every character outside [a-z0-9_-] -> '_',
// at most 64 characters; "desk" when nothing is left.
std::string sanitise_desk_id(std::string_view hostname);

}  // namespace deskd::config
