// The comfort check-in (issue 24 §3): asked after a standing period, or once a day at the first
// posture change, or never; answered with 1..5 at any time, counted per day.
#include <gtest/gtest.h>

#include "schedule_fixture.h"

namespace deskd::core::testing {
namespace {

class ScheduleComfortTest : public ScheduleTest {
 protected:
  ScheduleComfortTest() {
    settings.sit_minutes = 30;
    settings.stand_minutes = 20;
    settings.comfort_checkin = ComfortCheckinMode::kAfterStand;
  }
  std::size_t asked() const { return events_of("comfort_question").size(); }
  TzGuard tz{"UTC0"};
};

TEST_F(ScheduleComfortTest, AfterStandAsksWhenAStandingPeriodEnds) {
  start(at(2026, 11, 23, 9, 0));       // Monday, sitting
  run_until(at(2026, 11, 23, 9, 40));  // stood up at 9:30
  EXPECT_EQ(asked(), 0u);              // sitting -> standing does not ask
  run_until(at(2026, 11, 23, 9, 55));  // back to sitting at 9:50
  ASSERT_EQ(asked(), 1u);
  EXPECT_EQ(events_of("comfort_question").front().at, at(2026, 11, 23, 9, 50));
  EXPECT_TRUE(status().comfort_question);
  run_until(at(2026, 11, 23, 10, 19));
  EXPECT_TRUE(status().comfort_question);
  run_until(at(2026, 11, 23, 10, 21));  // open 30 minutes
  EXPECT_FALSE(status().comfort_question);
  run_until(at(2026, 11, 23, 11, 45));  // two more standing periods ended
  EXPECT_EQ(asked(), 3u);
}

TEST_F(ScheduleComfortTest, AShortStandIsNotAStandingPeriod) {
  start(at(2026, 11, 23, 9, 0));
  set_posture(Posture::kStanding);
  pass(std::chrono::minutes(4));
  set_posture(Posture::kSitting);
  EXPECT_EQ(asked(), 0u);
  set_posture(Posture::kStanding);
  pass(std::chrono::minutes(5));
  set_posture(Posture::kSitting);  // a manual change counts too
  EXPECT_EQ(asked(), 1u);
}

TEST_F(ScheduleComfortTest, DailyAsksAtTheFirstChangeOfEachDayOnly) {
  settings.comfort_checkin = ComfortCheckinMode::kDaily;
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 9, 31));  // the first change, to standing
  ASSERT_EQ(asked(), 1u);
  EXPECT_EQ(events_of("comfort_question").front().at, at(2026, 11, 23, 9, 30));
  run_until(at(2026, 11, 23, 17, 30));
  EXPECT_EQ(asked(), 1u);
  run_until(at(2026, 11, 24, 9, 31));  // Tuesday: again
  EXPECT_EQ(asked(), 2u);
  EXPECT_EQ(events_of("comfort_question").back().at, at(2026, 11, 24, 9, 30));
}

TEST_F(ScheduleComfortTest, DailyDoesNotAskADayThatHasItsAnswer) {
  settings.comfort_checkin = ComfortCheckinMode::kDaily;
  start(at(2026, 11, 23, 8, 0));
  EXPECT_EQ(scheduler->answer_comfort(4, in), std::nullopt);
  run_until(at(2026, 11, 23, 12, 0));
  EXPECT_EQ(asked(), 0u);
}

TEST_F(ScheduleComfortTest, DailyAfterARestartDoesNotAskADayTheStatisticsHaveAnAnswerFor) {
  settings.comfort_checkin = ComfortCheckinMode::kDaily;
  start(at(2026, 11, 23, 8, 0));
  scheduler->set_comfort({{{2026, 11, 22}, 3.0}, {{2026, 11, 23}, 4.0}});  // restored statistics
  run_until(at(2026, 11, 23, 12, 0));
  EXPECT_EQ(asked(), 0u);
  run_until(at(2026, 11, 24, 9, 31));  // the next day has no answer yet
  EXPECT_EQ(asked(), 1u);
}

TEST_F(ScheduleComfortTest, DailyAtMidnightIsTheNewDaysQuestion) {
  settings.comfort_checkin = ComfortCheckinMode::kDaily;
  settings.sit_minutes = 240;
  settings.stand_minutes = 240;
  for (auto& day : settings.windows) day = windows({"00:00-24:00"});
  start(at(2026, 11, 23, 23, 40));
  set_posture(Posture::kStanding);  // 23:40 Monday's first change
  EXPECT_EQ(asked(), 1u);
  pass(std::chrono::minutes(21));  // 00:01 Tuesday, the question is still open
  step();
  EXPECT_TRUE(status().comfort_question);
  set_posture(Posture::kSitting);  // Tuesday's first change asks again
  EXPECT_EQ(asked(), 2u);
  PostureStats s;
  stats = &s;
  EXPECT_EQ(scheduler->answer_comfort(3, in), std::nullopt);
  step();
  EXPECT_EQ(s.day({2026, 11, 24}).comfort_answers, 1);  // counted on the answer's date
  EXPECT_EQ(s.day({2026, 11, 23}).comfort_answers, 0);
}

TEST_F(ScheduleComfortTest, OffNeverAsksButAnswersAreStillTaken) {
  settings.comfort_checkin = ComfortCheckinMode::kOff;
  PostureStats s;
  stats = &s;
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 12, 0));
  EXPECT_EQ(asked(), 0u);
  EXPECT_EQ(scheduler->answer_comfort(5, in), std::nullopt);
  EXPECT_EQ(scheduler->answer_comfort(2, in), std::nullopt);
  step();
  EXPECT_EQ(events_of("comfort").size(), 2u);
  EXPECT_EQ(events_of("comfort").back().event.comfort, 2);
  const DayStats today = s.today(in.wall);
  EXPECT_EQ(today.comfort_answers, 2);
  EXPECT_EQ(today.comfort_sum, 7);
}

TEST_F(ScheduleComfortTest, AnAnswerClosesTheQuestion) {
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 9, 51));
  ASSERT_TRUE(status().comfort_question);
  EXPECT_EQ(scheduler->answer_comfort(4, in), std::nullopt);
  step();
  EXPECT_FALSE(status().comfort_question);
}

TEST_F(ScheduleComfortTest, AnAnswerOutsideOneToFiveChangesNothing) {
  PostureStats s;
  stats = &s;
  start(at(2026, 11, 23, 9, 0));
  run_until(at(2026, 11, 23, 9, 51));
  for (int bad : {0, 6, -1, 100}) {
    EXPECT_EQ(scheduler->answer_comfort(bad, in),
              "comfort: expected an integer from 1 to 5, got " + std::to_string(bad));
  }
  step();
  EXPECT_TRUE(status().comfort_question);
  EXPECT_TRUE(events_of("comfort").empty());
  EXPECT_EQ(s.today(in.wall).comfort_answers, 0);
}

TEST_F(ScheduleComfortTest, NobodyAtTheDeskIsNotAsked) {
  start(at(2026, 11, 23, 9, 0), Posture::kStanding);
  pass(std::chrono::minutes(10));
  in.present = false;
  set_posture(Posture::kSitting);
  EXPECT_EQ(asked(), 0u);
}

TEST_F(ScheduleComfortTest, AnUntrustedClockRefusesAnAnswer) {
  start(at(2026, 11, 23, 9, 0));
  in.clock_trusted = false;
  EXPECT_TRUE(scheduler->answer_comfort(3, in).has_value());
}

}  // namespace
}  // namespace deskd::core::testing

namespace deskd::core::testing {
namespace {

// The Scheduler keeps the walked minutes of each date until the answers change.
TEST_F(ScheduleComfortTest, NewAnswersChangeTheStandingMinutesTheSchedulerUses) {
  settings.progression = Progression{true, 5, 5, 7, 20, CivilDate{2026, 11, 16}};
  start(at(2026, 11, 23, 9, 0));  // the first step date
  EXPECT_EQ(scheduler->stand_minutes_on({2026, 11, 23}), 10);
  EXPECT_EQ(status().stand_minutes, 10);
  scheduler->set_comfort({{{2026, 11, 21}, 2.0}, {{2026, 11, 22}, 1.0}});  // two bad days
  EXPECT_EQ(scheduler->stand_minutes_on({2026, 11, 23}), 5);
  EXPECT_EQ(status().stand_minutes, 5);
}

}  // namespace
}  // namespace deskd::core::testing
