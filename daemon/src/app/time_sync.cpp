#include "app/time_sync.h"

#include <sys/timex.h>
#include <unistd.h>

#include <ctime>

namespace deskd::app {

ClockTrust check_clock_trust(core::WallTime now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  if (utc.tm_year + 1900 < 2024) return {false, "clock not set (before 2024)"};
  timex tx{};
  const int state = adjtimex(&tx);
  const bool kernel_synced = state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
  const bool timesyncd = access("/run/systemd/timesync/synchronized", F_OK) == 0;
  if (kernel_synced || timesyncd) return {true, ""};
  return {false, "clock not synchronised"};
}

}  // namespace deskd::app
