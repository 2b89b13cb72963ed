#pragma once

#include <cstdint>
#include <string>

#include "core/schedule_settings.h"
#include "core/time.h"

namespace deskd::core {

// Local civil time in the process's time zone (the TZ environment variable, through
// localtime_r). The zone must not change while values computed from it are cached (a Scheduler
// caches its working intervals); tests that switch zones call tzset() and build new objects.
//
// A "reading" is what a wall clock in the zone shows at an instant. Around DST changes a reading
// may occur twice (fall back) or never (spring forward); local_to_wall() resolves both.

// The UTC offset in seconds at `t` (e.g. +3600 for CET).
int utc_offset_seconds(WallTime t);
CivilDate local_date(WallTime t);
// 0 = Monday ... 6 = Sunday.
int local_weekday(WallTime t);
int weekday(CivilDate d);
// Seconds since local midnight of the reading at `t` (0..86399).
int local_seconds_of_day(WallTime t);

// The earliest instant whose local reading is at least `minute_of_day` (0..1440) on `d`: the
// first occurrence of an ambiguous reading, and the end of the gap for a skipped one (02:30 on a
// spring-forward day resolves to the instant the clocks jump). 1440 means 00:00 of the next day.
WallTime local_to_wall(CivilDate d, int minute_of_day);
// The first instant of the local day after the one `t` falls on.
WallTime next_local_midnight(WallTime t);

// Calendar arithmetic (proleptic Gregorian, no time zone).
std::int64_t day_number(CivilDate d);  // days since 1970-01-01
CivilDate date_from_day_number(std::int64_t n);
CivilDate add_days(CivilDate d, int days);
int days_between(CivilDate from, CivilDate to);  // to - from

// "2026-11-22T10:30:00+01:00": the local reading with its UTC offset, seconds truncated.
std::string format_iso8601_local(WallTime t);

}  // namespace deskd::core
