#include "platform/time_sync.h"

#include <sys/timex.h>
#include <unistd.h>

namespace deskd::platform {

ClockSyncReadings read_clock_sync(const std::string& marker_path) {
  ClockSyncReadings r;
  timex tx{};
  const int state = adjtimex(&tx);
  if (state != -1) r.kernel_synced = state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
  r.timesyncd_marker = access(marker_path.c_str(), F_OK) == 0;
  return r;
}

ClockTrust decide_clock_trust(core::WallTime now, const ClockSyncReadings& readings) {
  if (now < core::kMinPlausibleWall) return {false, "clock not set (before 2024)"};
  if (readings.kernel_synced) {
    if (*readings.kernel_synced) return {true, ""};
    return {false, "clock not synchronised"};
  }
  if (readings.timesyncd_marker) return {true, ""};
  return {false,
          "clock sync state cannot be read (adjtimex refused, no systemd-timesyncd marker): "
          "not synchronised"};
}

ClockTrust check_clock_trust(core::WallTime now) {
  return decide_clock_trust(now, read_clock_sync());
}

}  // namespace deskd::platform
