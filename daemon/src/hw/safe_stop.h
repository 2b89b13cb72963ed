#pragma once

#include <optional>
#include <string>

#include "config/config.h"

namespace deskd::hw {

// For `deskd --safe-stop` (systemd's ExecStopPost): requests the up, down and enable lines of
// `gpio` as outputs with their inactive level, then releases them. Returns a message if the chip
// or a line cannot be opened or requested (a line held by a running deskd is busy).
std::optional<std::string> safe_stop(const config::GpioSettings& gpio);

}  // namespace deskd::hw
