#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deskd::mqtt {

// The payload of schedule.presence_topic, matched ASCII-case-insensitively against the
// configured words: true when it is one of `on` (someone is at the desk), false when it is one
// of `off`, nullopt for anything else (the daemon ignores it). A word in both lists counts as on.
// A topic payload without the spaces, tabs and line ends around it (what the schedule's topics
// carry is matched after this).
std::string_view trimmed_payload(std::string_view payload);

std::optional<bool> parse_presence(std::string_view payload, const std::vector<std::string>& on,
                                   const std::vector<std::string>& off);

}  // namespace deskd::mqtt
