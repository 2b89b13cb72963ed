// Manual use wins over the schedule and unknown counts as no (DESIGN.md §4 invariant 6, §3 local
// button): a handset press during a warning cancels that change, presence that cannot be known
// (broker unreachable) blocks automatic moves, and the local button answers the schedule.
#include <gtest/gtest.h>

#include <thread>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::milliseconds;
using std::chrono::seconds;

// One deskd minute is one real second: a 5-minute period lasts 5 s, its 2-minute warning 2 s.
DeskdOptions schedule_options(DeskdOptions o, const std::string& extra) {
  o.schedule_toml = all_day_schedule_toml("sit_minutes = 5\nwarn_seconds = 120\n" + extra);
  o.extra_args = {"--time-scale", "60"};
  return o;
}

bool is_schedule_move(const object& e) {
  return json_string(e, "type") == "move_started" && json_string(e, "source") == "schedule";
}

class ScheduleSafety : public MqttDeskTest {
 protected:
  // During the warning, `answer` (the user's own action) cancels that change: declined/cancelled,
  // counting again, and no automatic move where the warned one was due.
  void expect_warning_cancelled_by(const std::string& topic, const std::string& answer) {
    const auto since = mark();
    ASSERT_TRUE(wait_event("warning", since, seconds(10))) << deskd_->log();
    const auto pressed = mark();
    send(topic, answer);
    auto declined = wait_json(
        "event",
        [](const object& e) {
          return json_string(e, "type") == "declined" && json_string(e, "detail") == "cancelled";
        },
        pressed, seconds(3));
    EXPECT_TRUE(declined) << deskd_->log();
    EXPECT_TRUE(wait_state(field_is("phase", "counting"), pressed, seconds(2))) << deskd_->log();
    // The warning would have ended within 2 s: no automatic move follows it (the fresh period
    // runs 5 s from the answer).
    EXPECT_FALSE(wait_json("event", is_schedule_move, pressed, seconds(4))) << deskd_->log();
  }
};

TEST_F(ScheduleSafety, HandsetPressDuringTheWarningCancelsThatChange) {
  ASSERT_TRUE(start_all(schedule_options(desk_options(), "")));
  expect_warning_cancelled_by("sim/set", R"({"handset":"up","ms":1200})");
}

// The dashboard's banner and Home Assistant answer a warning with Stop as the handset does.
TEST_F(ScheduleSafety, StopCommandDuringTheWarningCancelsThatChange) {
  ASSERT_TRUE(start_all(schedule_options(desk_options(), "")));
  expect_warning_cancelled_by("set", R"({"action":"stop"})");
}

TEST_F(ScheduleSafety, PresenceCountsAsAbsentWhileTheBrokerIsUnreachable) {
  auto o = schedule_options(desk_options(), "presence_topic = \"home/office/occupancy\"\n");
  o.extra_args = {"--time-scale", "120"};  // the 5-minute period lasts 2.5 s
  ASSERT_TRUE(start_all(o));
  observer_->publish("home/office/occupancy", "on");
  ASSERT_TRUE(wait_state(field_is("phase", "counting"))) << deskd_->log();
  const auto counting_at = Clock::now();  // the period started at the latest now
  observer_.reset();
  const auto log_at_loss = deskd_->log().size();
  broker_->stop();
  EXPECT_TRUE(deskd_->process().wait_for_log("presence: unknown while the broker is unreachable",
                                             seconds(3)))
      << deskd_->log();
  // Kept fixed: the claim is that nothing happens, which no condition can show. The warning
  // would come 1.5 s and the move 2.5 s after the period started; wait 1 s past the move.
  std::this_thread::sleep_for(counting_at + milliseconds(3500) - Clock::now());
  const auto after = deskd_->log().substr(log_at_loss);
  EXPECT_EQ(after.find("schedule: warning"), std::string::npos) << after;
  EXPECT_EQ(after.find("(schedule)"), std::string::npos) << "moved with nobody known:\n" << after;
}

TEST_F(ScheduleSafety, ButtonShortPressSnoozesTheWarning) {
  ASSERT_TRUE(start_all(schedule_options(desk_options(), "snooze_minutes = 5\n")));
  const auto since = mark();
  ASSERT_TRUE(wait_event("warning", since, seconds(10))) << deskd_->log();
  const auto pressed = mark();
  send("sim/set", R"({"button":300})");
  EXPECT_TRUE(wait_event("snoozed", pressed, seconds(3))) << deskd_->log();
  EXPECT_FALSE(wait_json("event", is_schedule_move, pressed, seconds(4))) << deskd_->log();
}

TEST_F(ScheduleSafety, ButtonShortPressConfirmsThePrompt) {
  ASSERT_TRUE(start_all(schedule_options(desk_options(), "mode = \"confirm\"\n")));
  const auto since = mark();
  ASSERT_TRUE(wait_event("prompt", since, seconds(12))) << deskd_->log();
  const auto pressed = mark();
  send("sim/set", R"({"button":300})");
  EXPECT_TRUE(wait_json("event", is_schedule_move, pressed, seconds(5))) << deskd_->log();
}

TEST_F(ScheduleSafety, ButtonLongPressPausesForTodayAndAnotherResumes) {
  ASSERT_TRUE(start_all(schedule_options(desk_options(), "")));
  ASSERT_TRUE(wait_state(field_is("phase", "counting"))) << deskd_->log();
  auto since = mark();
  send("sim/set", R"({"button":2500})");
  ASSERT_TRUE(wait_state(field_is("phase", "paused"), since, seconds(3))) << deskd_->log();
  since = mark();
  send("sim/set", R"({"button":2500})");
  ASSERT_TRUE(wait_state(field_is("phase", "counting"), since, seconds(3))) << deskd_->log();
}

// Issue 24 §4: with max_skips_per_day, Skip past the limit snoozes instead, and B/state says how
// many skips are left.
TEST_F(ScheduleSafety, BeyondTheDailySkipLimitSkipSnoozes) {
  ASSERT_TRUE(start_all(schedule_options(desk_options(), "max_skips_per_day = 1\n")));
  auto since = mark();
  ASSERT_TRUE(wait_event("warning", since, seconds(10))) << deskd_->log();
  auto answered = mark();
  send("set", R"({"action":"skip"})");
  auto declined = wait_event("declined", answered, seconds(3));
  ASSERT_TRUE(declined) << deskd_->log();
  EXPECT_EQ(json_string(*declined, "detail"), "skip");
  auto left = wait_state([](const object& s) { return json_int(s, "skips_left") == 0; }, answered);
  ASSERT_TRUE(left) << deskd_->log();

  since = mark();
  ASSERT_TRUE(wait_event("warning", since, seconds(15))) << deskd_->log();
  answered = mark();
  send("set", R"({"action":"skip"})");
  auto snoozed = wait_event("snoozed", answered, seconds(3));
  ASSERT_TRUE(snoozed) << deskd_->log();
  EXPECT_EQ(json_string(*snoozed, "detail"), "daily skip limit reached (1)");
  EXPECT_FALSE(wait_event("declined", answered, seconds(1))) << deskd_->log();
}

TEST_F(ScheduleSafety, MalformedButtonPressIsRejected) {
  ASSERT_TRUE(start_all());
  for (const char* bad : {R"({"button":0})", R"({"button":"long"})", R"({"button":70000})"}) {
    SCOPED_TRACE(bad);
    const auto since = mark();
    send("sim/set", bad);
    EXPECT_TRUE(wait_error("button", since)) << deskd_->log();
  }
}

}  // namespace
}  // namespace deskd::testing
