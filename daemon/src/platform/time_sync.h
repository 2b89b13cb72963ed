#pragma once

#include <optional>
#include <string>

#include "core/time.h"

namespace deskd::platform {

// Whether the wall clock can be trusted for automatic moves (safety invariant 6). Unknown counts
// as no: a sync state that cannot be read is "not synchronised".
//
// Sources, read without privileges and inside the shipped unit's sandbox:
// - the kernel's NTP state (adjtimex(), read-only). Under the unit's ProtectClock=yes (and
//   SystemCallFilter=@system-service, which lacks @clock) the call fails with EPERM: unknown.
// - systemd-timesyncd's marker /run/systemd/timesync/synchronized: a plain file in /run (a tmpfs
//   emptied at boot) that timesyncd touches at every synchronisation; no system call filter
//   blocks reading it. This is the source that works under the unit.
// When the kernel answers it decides; when it cannot be read the marker decides. A date before
// 2024 (a Pi without RTC before NTP) is never trusted.
struct ClockTrust {
  bool trusted = false;
  std::string reason;  // why not, for the state's phase_reason
};

struct ClockSyncReadings {
  std::optional<bool> kernel_synced;  // nullopt: adjtimex() failed (e.g. under the sandbox)
  bool timesyncd_marker = false;      // the marker file exists
};

inline constexpr const char* kTimesyncMarker = "/run/systemd/timesync/synchronized";

ClockSyncReadings read_clock_sync(const std::string& marker_path = kTimesyncMarker);
ClockTrust decide_clock_trust(core::WallTime now, const ClockSyncReadings& readings);
// read_clock_sync() + decide_clock_trust().
ClockTrust check_clock_trust(core::WallTime now);

}  // namespace deskd::platform
