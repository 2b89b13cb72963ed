#include "mqtt/iso_time.h"

#include <time.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace deskd::mqtt {

std::string format_local_iso8601(core::WallTime t) {
  const std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  localtime_r(&secs, &tm);
  const long offset_min = tm.tm_gmtoff / 60;
  const char sign = offset_min < 0 ? '-' : '+';
  const long abs_min = std::labs(offset_min);
  std::array<char, 40> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                sign, abs_min / 60, abs_min % 60);
  return buf.data();
}

}  // namespace deskd::mqtt
