#pragma once

#include <chrono>

namespace deskd::core {

// Monotonic time for motion control. Only differences matter. Under --time-scale the daemon
// hands the core a scaled steady time; the core never reads a clock itself.
using SteadyTime = std::chrono::steady_clock::time_point;

// Wall-clock time (UTC) for the schedule and statistics.
using WallTime = std::chrono::system_clock::time_point;

using Millis = std::chrono::milliseconds;

}  // namespace deskd::core
