#include "core/schedule_windows.h"

#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

std::array<std::vector<TimeWindow>, 7> every_day(std::initializer_list<const char*> w) {
  std::array<std::vector<TimeWindow>, 7> out;
  for (auto& d : out) d = windows(w);
  return out;
}

TEST(ScheduleWindows, SpringForwardGapWindowIsEmptyAndFallBackHourLastsTwo) {
  TzGuard tz("Europe/Berlin");
  const ScheduleWindows w(every_day({"02:00-03:00"}), {});
  EXPECT_TRUE(w.intervals({2026, 3, 29}).empty());
  ASSERT_EQ(w.intervals({2026, 10, 25}).size(), 1u);
  const WallInterval fall = w.intervals({2026, 10, 25})[0];
  EXPECT_EQ(fall.end - fall.begin, 2h);
  EXPECT_TRUE(w.contains(fall.begin + 90min));
}

TEST(ScheduleWindows, SkipDateHasNoIntervals) {
  TzGuard tz("Europe/Berlin");
  const ScheduleWindows w(every_day({"09:00-17:00"}), {CivilDate{2026, 12, 24}});
  EXPECT_TRUE(w.is_skip_date({2026, 12, 24}));
  EXPECT_TRUE(w.intervals({2026, 12, 24}).empty());
  EXPECT_EQ(w.intervals({2026, 12, 23}).size(), 1u);
  const auto next = w.stretch_at_or_after(at(2026, 12, 24, 8, 0));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->begin, at(2026, 12, 25, 9, 0));
}

TEST(ScheduleWindows, TouchingIntervalsMergeIntoOneStretchAcrossMidnight) {
  TzGuard tz("America/New_York");
  const ScheduleWindows w(every_day({"00:00-01:00", "01:00-02:00", "20:00-24:00"}), {});
  const auto s = w.stretch_at_or_after(at(2026, 11, 23, 21, 0));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->begin, at(2026, 11, 23, 20, 0));
  EXPECT_EQ(s->end, at(2026, 11, 24, 2, 0));
}

TEST(ScheduleWindows, NoWindowsMeansNoStretch) {
  TzGuard tz("UTC");
  const ScheduleWindows w({}, {});
  EXPECT_EQ(w.stretch_at_or_after(at(2026, 1, 1, 0, 0)), std::nullopt);
  EXPECT_FALSE(w.contains(at(2026, 1, 1, 12, 0)));
}

}  // namespace
}  // namespace deskd::core::testing
