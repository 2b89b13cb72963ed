#pragma once

#include <optional>
#include <string_view>

#include "core/desk_events.h"

namespace deskd::mqtt {

// The payload of schedule.activity_topic (the person's computer), nullopt for anything else (the
// daemon ignores it and says so). Accepted, ASCII-case-insensitively and with surrounding
// whitespace ignored:
// - active / on / true, idle / off / false, locked (unlocked reads as active): what a Home
//   Assistant automation on a companion app's "active" or session sensor publishes;
// - a JSON object {"idle_seconds": N, "locked": bool} (either key may be missing; N in
//   0..604800; 0 is active): what config/activity/deskd-activity.sh publishes.
std::optional<core::ActivityChanged> parse_activity(std::string_view payload);

}  // namespace deskd::mqtt
