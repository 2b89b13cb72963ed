#pragma once

#include <string>

#include "core/time.h"

namespace deskd::app {

// Whether the wall clock can be trusted for automatic moves (safety invariant 6): the kernel
// reports it synchronised (adjtimex) or systemd-timesyncd left its marker, and it is not an
// obviously wrong date (before 2024, as on a Pi without RTC before NTP sync).
struct ClockTrust {
  bool trusted = false;
  std::string reason;  // why not, for the state's phase_reason
};

ClockTrust check_clock_trust(core::WallTime now);

}  // namespace deskd::app
