// max_skips_per_day (issue 24 §4): beyond the daily limit, Skip snoozes instead; the count is kept
// across a restart and starts again the next day.
#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

class ScheduleSkipLimit : public ScheduleTest {
 protected:
  ScheduleSkipLimit() {
    settings.max_skips_per_day = 2;
    settings.snooze_minutes = 10;
  }
  // Runs to the next warning and answers it with Skip.
  void skip_next_warning() {
    const auto before = events_of("warning").size();
    // Wake-up by wake-up, so the test answers while the warning runs.
    for (int i = 0; i < 200 && events_of("warning").size() == before; ++i) {
      const auto w = scheduler->next_wakeup();
      ASSERT_TRUE(w.has_value());
      pass(*w - in.wall);
      step();
    }
    ASSERT_GT(events_of("warning").size(), before) << "no warning came";
    ASSERT_FALSE(scheduler->skip(in));
    step();
  }
  TzGuard tz{"UTC0"};
};

TEST_F(ScheduleSkipLimit, BeyondTheLimitSkipSnoozesAndSaysWhy) {
  start(at(2026, 11, 23, 9, 0));
  EXPECT_EQ(status().skips_left, 2);
  skip_next_warning();
  skip_next_warning();
  EXPECT_EQ(events_of("declined").size(), 2u);
  EXPECT_EQ(status().skips_left, 0);
  skip_next_warning();  // the third: a snooze
  EXPECT_EQ(events_of("declined").size(), 2u);
  const auto snoozed = events_of("snoozed");
  ASSERT_EQ(snoozed.size(), 1u);
  EXPECT_EQ(snoozed[0].event.detail, "daily skip limit reached (2)");
  EXPECT_EQ(*snoozed[0].event.until, snoozed[0].at + 10min + 30s);  // the warned move + 10 min
  // Pause for today still works.
  EXPECT_FALSE(scheduler->pause_today(in));
}

TEST_F(ScheduleSkipLimit, TheCountSurvivesARestartAndResetsTheNextDay) {
  start(at(2026, 11, 23, 9, 0));
  skip_next_warning();
  const SchedulerMemory memory = scheduler->memory();
  EXPECT_EQ(memory.skips_today, 1);
  scheduler = std::make_unique<Scheduler>(settings, memory);
  step();
  EXPECT_EQ(status().skips_left, 1);
  pass(24h);
  step();
  EXPECT_EQ(status().skips_left, 2);
}

TEST_F(ScheduleSkipLimit, WithoutALimitSkipAlwaysSkips) {
  settings.max_skips_per_day = 0;
  start(at(2026, 11, 23, 9, 0));
  EXPECT_EQ(status().skips_left, std::nullopt);
  for (int i = 0; i < 4; ++i) skip_next_warning();
  EXPECT_EQ(events_of("declined").size(), 4u);
  EXPECT_TRUE(events_of("snoozed").empty());
}

}  // namespace
}  // namespace deskd::core::testing
