#pragma once

#include <chrono>

namespace deskd::core {

// Monotonic time for motion control. Only differences matter. Under --time-scale the daemon
// hands the core a scaled steady time; the core never reads a clock itself.
using SteadyTime = std::chrono::steady_clock::time_point;

// Wall-clock time (UTC) for the schedule and statistics.
using WallTime = std::chrono::system_clock::time_point;

using Millis = std::chrono::milliseconds;

// A wall clock before this is not synchronised whatever it claims (a Pi without an RTC boots at
// 1970; an image's fake-hwclock keeps the date it was built). The schedule and the clock-trust
// check use this one date.
inline constexpr WallTime kMinPlausibleWall{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};

}  // namespace deskd::core
