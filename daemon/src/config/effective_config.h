#pragma once

#include <string>

#include "config/config.h"

namespace deskd::config {

// The configuration deskd actually runs with, as a TOML document with every key and its
// effective value (defaults filled in, paths resolved). parse_config() reads it back to an equal
// Config. An inline mqtt.password is shown only with `reveal_secrets`; otherwise it appears as a
// comment (a password_file is always shown by its path).
std::string effective_config_toml(const Config& c, bool reveal_secrets = false);

}  // namespace deskd::config
