#include "http/http_date.h"

#include <array>
#include <cstdio>

namespace deskd::http {
namespace {

constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string format_http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 40> buf{};
  std::snprintf(buf.data(), buf.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf.data();
}

std::optional<std::time_t> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 characters.
  if (text.size() != 29 || text.substr(3, 2) != ", " || !text.ends_with(" GMT")) {
    return std::nullopt;
  }
  const std::string s(text);
  std::array<char, 4> month{};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  int consumed = 0;
  if (std::sscanf(s.c_str() + 5, "%2d %3c %4d %2d:%2d:%2d GMT%n", &day, month.data(), &year, &hour,
                  &minute, &second, &consumed) != 6 ||
      consumed != 24) {
    return std::nullopt;
  }
  int mon = -1;
  for (int i = 0; i < 12; ++i) {
    if (std::string_view(month.data(), 3) == kMonths[static_cast<std::size_t>(i)]) mon = i;
  }
  if (mon < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || year < 1970) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return timegm(&tm);
}

}  // namespace deskd::http
