#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/day_stats.h"

namespace deskd::mqtt {

// {"days":[{"date":"2026-11-22","sit_s":1800,"stand_s":1200,"transitions":3,"auto_moves":2,
//   "declined":0,"snoozed":1,"longest_sit_s":1800}, ...]} in the order given (oldest first).
boost::json::object stats_to_json(const std::vector<core::DayStats>& days);
// The B/stats payload (and stats/get response data).
std::string encode_stats(const std::vector<core::DayStats>& days);

}  // namespace deskd::mqtt
