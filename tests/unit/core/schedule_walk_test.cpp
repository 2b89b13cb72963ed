// "Did you walk?" (issue 24 §4): with breaks.ask_walked, the end of a movement break asks; the
// answer is counted per day; no question is open without a break that just ended.
#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

class ScheduleWalkTest : public ScheduleTest {
 protected:
  ScheduleWalkTest() {
    settings.sit_minutes = 240;  // no posture change gets in the way
    settings.stand_minutes = 240;
    settings.breaks.enabled = true;
    settings.breaks.every_minutes = 60;
    settings.breaks.duration_minutes = 5;
    settings.breaks.ask_walked = true;
  }
  std::size_t count(const char* type) const { return events_of(type).size(); }
  TzGuard tz{"UTC0"};
};

TEST_F(ScheduleWalkTest, TheEndOfABreakAsksAndTheAnswerIsCounted) {
  PostureStats s;
  stats = &s;
  start(at(2026, 11, 23, 9, 0));
  EXPECT_EQ(scheduler->answer_walked(true, in),
            "nothing to answer: no movement break ended in the last 30 minutes");
  run_until(at(2026, 11, 23, 10, 4));  // the break from 10:00 to 10:05
  EXPECT_EQ(count("break"), 1u);
  EXPECT_EQ(count("walk_question"), 0u);
  EXPECT_FALSE(status().walk_question);
  run_until(at(2026, 11, 23, 10, 6));
  ASSERT_EQ(count("walk_question"), 1u);
  EXPECT_EQ(events_of("walk_question").front().at, at(2026, 11, 23, 10, 5));
  EXPECT_TRUE(status().walk_question);
  EXPECT_EQ(scheduler->answer_walked(true, in), std::nullopt);
  step();
  ASSERT_EQ(count("walked"), 1u);
  EXPECT_EQ(events_of("walked").front().event.detail, "yes");
  EXPECT_FALSE(status().walk_question);
  EXPECT_TRUE(scheduler->answer_walked(false, in).has_value());  // answered once only
  run_until(at(2026, 11, 23, 11, 6));                            // the next break's question
  EXPECT_EQ(scheduler->answer_walked(false, in), std::nullopt);
  step();
  const DayStats today = s.today(in.wall);
  EXPECT_EQ(today.walked_yes, 1);
  EXPECT_EQ(today.walked_no, 1);
}

TEST_F(ScheduleWalkTest, AnUnansweredQuestionClosesAfterHalfAnHour) {
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 10, 34));
  EXPECT_TRUE(status().walk_question);
  run_until(at(2026, 11, 23, 10, 36));
  EXPECT_FALSE(status().walk_question);
  EXPECT_TRUE(scheduler->answer_walked(true, in).has_value());
}

TEST_F(ScheduleWalkTest, WithoutAskWalkedNothingIsAsked) {
  settings.breaks.ask_walked = false;
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 10, 30));
  EXPECT_EQ(count("break"), 1u);
  EXPECT_EQ(count("walk_question"), 0u);
  EXPECT_TRUE(scheduler->answer_walked(true, in).has_value());
}

}  // namespace
}  // namespace deskd::core::testing
