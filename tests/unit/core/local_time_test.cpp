#include "core/local_time.h"

#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

WallTime utc(int y, int mo, int d, int h, int mi) {
  return WallTime{std::chrono::sys_days{std::chrono::year{y} / mo / d}} + std::chrono::hours(h) +
         std::chrono::minutes(mi);
}

struct ReadingCase {
  const char* name;
  const char* zone;
  WallTime instant;
  CivilDate date;
  int weekday;
  int seconds_of_day;
  const char* iso;
};

class LocalTimeReading : public ::testing::TestWithParam<ReadingCase> {};

TEST_P(LocalTimeReading, DateWeekdayTimeAndIsoFollowTheZone) {
  const ReadingCase& c = GetParam();
  TzGuard tz(c.zone);
  EXPECT_EQ(local_date(c.instant), c.date);
  EXPECT_EQ(local_weekday(c.instant), c.weekday);
  EXPECT_EQ(local_seconds_of_day(c.instant), c.seconds_of_day);
  EXPECT_EQ(format_iso8601_local(c.instant), c.iso);
}

INSTANTIATE_TEST_SUITE_P(Table, LocalTimeReading,
                         ::testing::Values(ReadingCase{"BerlinWinter",
                                                       "Europe/Berlin",
                                                       utc(2026, 11, 22, 9, 30),
                                                       {2026, 11, 22},
                                                       6,
                                                       10 * 3600 + 1800,
                                                       "2026-11-22T10:30:00+01:00"},
                                           ReadingCase{"BerlinSummer",
                                                       "Europe/Berlin",
                                                       utc(2026, 7, 1, 22, 15),
                                                       {2026, 7, 2},
                                                       3,
                                                       15 * 60,
                                                       "2026-07-02T00:15:00+02:00"},
                                           ReadingCase{"NewYorkPreviousDay",
                                                       "America/New_York",
                                                       utc(2026, 11, 23, 3, 0),
                                                       {2026, 11, 22},
                                                       6,
                                                       22 * 3600,
                                                       "2026-11-22T22:00:00-05:00"},
                                           ReadingCase{"KolkataHalfHour",
                                                       "Asia/Kolkata",
                                                       utc(2026, 1, 1, 0, 0),
                                                       {2026, 1, 1},
                                                       3,
                                                       5 * 3600 + 1800,
                                                       "2026-01-01T05:30:00+05:30"},
                                           ReadingCase{"Utc",
                                                       "UTC",
                                                       utc(2024, 2, 29, 23, 59),
                                                       {2024, 2, 29},
                                                       3,
                                                       86340,
                                                       "2024-02-29T23:59:00+00:00"}),
                         [](const auto& info) { return std::string(info.param.name); });

struct ResolveCase {
  const char* name;
  const char* zone;
  CivilDate date;
  int minute;
  WallTime expected;
};

class LocalTimeResolve : public ::testing::TestWithParam<ResolveCase> {};

TEST_P(LocalTimeResolve, LocalReadingResolvesToFirstOccurrenceOrEndOfGap) {
  const ResolveCase& c = GetParam();
  TzGuard tz(c.zone);
  EXPECT_EQ(local_to_wall(c.date, c.minute), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LocalTimeResolve,
    ::testing::Values(
        ResolveCase{"Plain", "Europe/Berlin", {2026, 11, 23}, 9 * 60, utc(2026, 11, 23, 8, 0)},
        ResolveCase{"BerlinGap", "Europe/Berlin", {2026, 3, 29}, 150, utc(2026, 3, 29, 1, 0)},
        ResolveCase{"BerlinGapStart", "Europe/Berlin", {2026, 3, 29}, 120, utc(2026, 3, 29, 1, 0)},
        ResolveCase{"BerlinAfterGap", "Europe/Berlin", {2026, 3, 29}, 180, utc(2026, 3, 29, 1, 0)},
        ResolveCase{"BerlinTwice", "Europe/Berlin", {2026, 10, 25}, 150, utc(2026, 10, 25, 0, 30)},
        ResolveCase{
            "BerlinEndOfDay", "Europe/Berlin", {2026, 10, 24}, 1440, utc(2026, 10, 24, 22, 0)},
        ResolveCase{"NewYorkGap", "America/New_York", {2026, 3, 8}, 150, utc(2026, 3, 8, 7, 0)},
        ResolveCase{
            "NewYorkTwice", "America/New_York", {2026, 11, 1}, 90, utc(2026, 11, 1, 5, 30)}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(LocalTime, DaysAroundDstLastTwentyThreeAndTwentyFiveHours) {
  TzGuard tz("Europe/Berlin");
  const WallTime spring = local_to_wall({2026, 3, 29}, 0);
  EXPECT_EQ(next_local_midnight(spring + 1h) - spring, 23h);
  const WallTime fall = local_to_wall({2026, 10, 25}, 0);
  EXPECT_EQ(next_local_midnight(fall + 1h) - fall, 25h);
  EXPECT_EQ(utc_offset_seconds(spring), 3600);
  EXPECT_EQ(utc_offset_seconds(spring + 23h), 7200);
}

TEST(LocalTime, CalendarArithmeticHandlesLeapYearsAndWeekdays) {
  EXPECT_EQ(add_days({2024, 2, 28}, 1), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(add_days({2025, 2, 28}, 1), (CivilDate{2025, 3, 1}));
  EXPECT_EQ(add_days({2026, 1, 1}, -1), (CivilDate{2025, 12, 31}));
  EXPECT_EQ(days_between({2026, 1, 1}, {2027, 1, 1}), 365);
  EXPECT_EQ(day_number({1970, 1, 1}), 0);
  EXPECT_EQ(date_from_day_number(day_number({2026, 11, 22})), (CivilDate{2026, 11, 22}));
  EXPECT_EQ(weekday({2026, 11, 23}), 0);
  EXPECT_EQ(weekday({1969, 12, 29}), 0);
}

}  // namespace
}  // namespace deskd::core::testing
