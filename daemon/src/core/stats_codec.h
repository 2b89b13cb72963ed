#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/day_stats.h"

namespace deskd::core {

// The statistics file in the state directory: a header line, then one line per day, oldest
// first, fields separated by one space:
//   deskd-stats 2
//   2026-11-22 <sit_s> <stand_s> <transitions> <auto_moves> <declined> <snoozed> <longest_sit_s>
//              <deferred_busy>
// Version 1 files (without deferred_busy) are read as deferred_busy = 0.
std::string serialize_stats(const std::vector<DayStats>& days);

// Parses serialize_stats() output. A wrong header, a malformed line, a negative or implausible
// number (more than 25 h in a day), or dates out of order give nullopt and, if `error` is
// given, "line N: what is wrong".
std::optional<std::vector<DayStats>> parse_stats(std::string_view text, std::string* error);

}  // namespace deskd::core
