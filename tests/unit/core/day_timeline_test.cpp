#include "core/day_timeline.h"

#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core {
namespace {

using testing::at;
using testing::TzGuard;
using P = Posture;
using Period = DayTimeline::Period;

TEST(DayTimeline, RecordsEachChangeOfPostureOnce) {
  TzGuard tz("Europe/Berlin");
  DayTimeline t;
  EXPECT_FALSE(t.date());
  t.observe(P::kSitting, at(2026, 3, 2, 8, 0));
  t.observe(P::kSitting, at(2026, 3, 2, 8, 1));  // the same posture: nothing new
  t.observe(P::kBetween, at(2026, 3, 2, 8, 30));
  t.observe(P::kStanding, at(2026, 3, 2, 8, 30, 20));
  const std::vector<Period> want = {{at(2026, 3, 2, 8, 0), P::kSitting},
                                    {at(2026, 3, 2, 8, 30), P::kBetween},
                                    {at(2026, 3, 2, 8, 30, 20), P::kStanding}};
  EXPECT_EQ(t.periods(), want);
  EXPECT_EQ(t.date(), (CivilDate{2026, 3, 2}));
  EXPECT_EQ(t.revision(), 3u) << "one revision per change";
}

TEST(DayTimeline, ANewDayStartsAtMidnightInThePostureTheOldOneEndedIn) {
  TzGuard tz("Europe/Berlin");
  DayTimeline t;
  t.observe(P::kStanding, at(2026, 3, 2, 23, 50));
  t.observe(P::kStanding, at(2026, 3, 3, 0, 1));
  ASSERT_EQ(t.periods().size(), 1u);
  EXPECT_EQ(t.periods()[0], (Period{at(2026, 3, 3, 0, 0), P::kStanding}));
  EXPECT_EQ(t.date(), (CivilDate{2026, 3, 3}));
  // A day deskd did not run through starts at its first observation.
  DayTimeline fresh;
  fresh.observe(P::kSitting, at(2026, 3, 3, 9, 15));
  EXPECT_EQ(fresh.periods()[0].start, at(2026, 3, 3, 9, 15));
}

TEST(DayTimeline, MidnightOfADstDayIsItsLocalMidnight) {
  TzGuard tz("Europe/Berlin");  // 2026-03-29: 02:00 CET -> 03:00 CEST
  DayTimeline t;
  t.observe(P::kSitting, at(2026, 3, 28, 22, 0));
  t.observe(P::kStanding, at(2026, 3, 29, 9, 0));
  ASSERT_EQ(t.periods().size(), 2u);
  EXPECT_EQ(t.periods()[0], (Period{at(2026, 3, 29, 0, 0), P::kSitting}));
  EXPECT_EQ(at(2026, 3, 29, 9, 0) - t.periods()[0].start, std::chrono::hours(8))
      << "the day lost an hour at 02:00";
}

TEST(DayTimeline, AClockSetBackOrUntrustedChangesNothing) {
  TzGuard tz("Europe/Berlin");
  DayTimeline t;
  t.observe(P::kSitting, at(2026, 3, 2, 10, 0));
  t.observe(P::kStanding, at(2026, 3, 2, 9, 0));   // earlier than the last period
  t.observe(P::kStanding, at(2026, 3, 1, 12, 0));  // the day before
  t.observe(P::kStanding, at(2026, 3, 2, 11, 0), /*clock_trusted=*/false);
  ASSERT_EQ(t.periods().size(), 1u);
  EXPECT_EQ(t.periods()[0].posture, P::kSitting);
  EXPECT_EQ(t.revision(), 1u);
}

TEST(DayTimeline, AVeryBusyDayKeepsItsLatestPeriods) {
  TzGuard tz("UTC");
  DayTimeline t;
  const WallTime start = at(2026, 3, 2, 6, 0);
  const std::size_t n = DayTimeline::kMaxPeriods + 10;
  for (std::size_t i = 0; i < n; ++i) {
    t.observe(i % 2 == 0 ? P::kSitting : P::kStanding, start + std::chrono::seconds(10 * i));
  }
  ASSERT_EQ(t.periods().size(), DayTimeline::kMaxPeriods);
  EXPECT_EQ(t.periods().back().start, start + std::chrono::seconds(10 * (n - 1)));
  EXPECT_EQ(t.periods().front().start, start + std::chrono::seconds(10 * 10));
}

}  // namespace
}  // namespace deskd::core
