#include "core/local_time.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>

namespace deskd::core {
namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t to_seconds(WallTime t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

WallTime from_seconds(std::int64_t s) { return WallTime{} + std::chrono::seconds(s); }

std::tm local_tm(std::int64_t s) {
  const auto tt = static_cast<std::time_t>(s);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return tm;
}

// The local reading at instant `s`, expressed as seconds since 1970-01-01 00:00 of the reading.
std::int64_t reading(std::int64_t s) {
  const std::tm tm = local_tm(s);
  return day_number(CivilDate{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}) * kDay +
         tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

std::int64_t offset_at(std::int64_t s) { return reading(s) - s; }

}  // namespace

std::int64_t day_number(CivilDate d) {
  using namespace std::chrono;
  const sys_days days{year{d.year} / month{static_cast<unsigned>(d.month)} /
                      day{static_cast<unsigned>(d.day)}};
  return days.time_since_epoch().count();
}

CivilDate date_from_day_number(std::int64_t n) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{n}}};
  return CivilDate{static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                   static_cast<int>(unsigned(ymd.day()))};
}

CivilDate add_days(CivilDate d, int days) { return date_from_day_number(day_number(d) + days); }

int days_between(CivilDate from, CivilDate to) {
  return static_cast<int>(day_number(to) - day_number(from));
}

int weekday(CivilDate d) {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const std::int64_t w = (day_number(d) + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

int utc_offset_seconds(WallTime t) { return static_cast<int>(offset_at(to_seconds(t))); }

CivilDate local_date(WallTime t) {
  const std::tm tm = local_tm(to_seconds(t));
  return CivilDate{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int local_weekday(WallTime t) { return weekday(local_date(t)); }

int local_seconds_of_day(WallTime t) {
  const std::tm tm = local_tm(to_seconds(t));
  return tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

WallTime local_to_wall(CivilDate d, int minute_of_day) {
  const std::int64_t wanted = day_number(d) * kDay + std::int64_t{minute_of_day} * 60;
  // The offsets in force within a day of the wanted reading; zones change offset at most once
  // in such a span.
  std::array<std::int64_t, 3> offsets{offset_at(wanted - kDay), offset_at(wanted),
                                      offset_at(wanted + kDay)};
  std::optional<std::int64_t> best;
  for (const std::int64_t o : offsets) {
    const std::int64_t t = wanted - o;
    if (reading(t) == wanted && (!best || t < *best)) best = t;
  }
  if (best) return from_seconds(*best);
  // The reading is skipped: find the first instant whose reading passes it. Between these bounds
  // the reading only increases (across the jump).
  std::int64_t lo = wanted - *std::max_element(offsets.begin(), offsets.end());
  std::int64_t hi = wanted - *std::min_element(offsets.begin(), offsets.end());
  if (lo > hi) std::swap(lo, hi);
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (reading(mid) >= wanted) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return from_seconds(lo);
}

WallTime next_local_midnight(WallTime t) { return local_to_wall(add_days(local_date(t), 1), 0); }

std::string format_iso8601_local(WallTime t) {
  const std::int64_t s = to_seconds(t);
  const std::tm tm = local_tm(s);
  const std::int64_t off = offset_at(s);
  const std::int64_t abs_min = (off < 0 ? -off : off) / 60;
  std::array<char, 96> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                off < 0 ? '-' : '+', static_cast<int>(abs_min / 60),
                static_cast<int>(abs_min % 60));
  return buf.data();
}

}  // namespace deskd::core
