#pragma once

#include <optional>
#include <string_view>

namespace deskd::mqtt {

// The payload of schedule.busy_topic (a call, a meeting): true for busy, false for free, nullopt
// for anything else (the daemon ignores it and says so). Accepted, ASCII-case-insensitively and
// with surrounding whitespace ignored: ON/OFF, true/false, busy/free, and a JSON object
// {"busy": true|false} (what a Home Assistant automation or a calendar bridge publishes).
std::optional<bool> parse_busy(std::string_view payload);

}  // namespace deskd::mqtt
