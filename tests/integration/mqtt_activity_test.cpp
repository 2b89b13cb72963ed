// Natural breaks over MQTT ([schedule] activity_topic, issue 24 §2): a change that falls due
// waits for the person's pause, then is warned at once and counted as a move at a pause; a
// locked session is nobody at the desk.
#include <gtest/gtest.h>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::seconds;

constexpr const char* kActivityTopic = "home/office/pc_activity";

class MqttActivity : public MqttDeskTest {
 protected:
  DeskdOptions activity_desk() {
    auto o = desk_options();
    // At x60 the 5-minute sitting period falls due 5 s after the start (the warning 10 s before).
    o.extra_args = {"--time-scale", "60"};
    o.schedule_toml = all_day_schedule_toml(
        "activity_topic = \"home/office/pc_activity\"\nsit_minutes = 5\nwarn_seconds = 10\n"
        "break_wait_minutes = 10\nbreak_idle_seconds = 60\n");
    return o;
  }
};

TEST_F(MqttActivity, TheChangeWaitsForAPauseThenComesAtOnceAndIsCounted) {
  ASSERT_TRUE(start_all(activity_desk()));
  auto since = mark();
  send("set", R"({"action":"calibrate"})");
  ASSERT_TRUE(wait_event("calibrated", since, seconds(20))) << deskd_->log();
  observer_->publish(kActivityTopic, "typing away");  // not an activity word: ignored, said so
  ASSERT_TRUE(
      deskd_->process().wait_for_log("activity: unknown payload 'typing away' ignored", seconds(5)))
      << deskd_->log();
  observer_->publish(kActivityTopic, "active");
  ASSERT_TRUE(deskd_->process().wait_for_log("activity: the computer is in use", seconds(5)))
      << deskd_->log();

  // Due while typing: the change waits for a pause (at most 10 deskd minutes, 10 s here).
  auto deferred = wait_event("deferred", since, seconds(20));
  ASSERT_TRUE(deferred) << deskd_->log();
  EXPECT_EQ(json_string(*deferred, "detail"), "pause");
  EXPECT_EQ(json_string(*deferred, "posture"), "standing");
  ASSERT_TRUE(wait_state(field_is("phase_reason", "waiting for a pause"), since)) << deskd_->log();

  since = mark();
  observer_->publish(kActivityTopic, R"({"idle_seconds":75,"locked":false})");
  auto warning = wait_event("warning", since, seconds(5));
  ASSERT_TRUE(warning) << deskd_->log();
  EXPECT_EQ(json_string(*warning, "detail"), "pause");
  auto started = wait_event("move_started", since, seconds(30));
  ASSERT_TRUE(started) << deskd_->log();
  EXPECT_EQ(json_string(*started, "source"), "schedule");
  ASSERT_TRUE(wait_event("move_finished", since, seconds(30))) << deskd_->log();

  const std::string log = deskd_->log();
  const auto idle_at = log.find("activity: the computer is idle");
  ASSERT_NE(idle_at, std::string::npos) << log;
  EXPECT_EQ(log.rfind("schedule: warning", idle_at), std::string::npos)
      << "warned before the pause:\n"
      << log;
  auto r = request("stats/get", object{{"days", 1}});
  ASSERT_TRUE(r) << deskd_->log();
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  const auto days = r->at("data").at("days").as_array();
  ASSERT_FALSE(days.empty());
  EXPECT_EQ(days.back().at("auto_moves_at_pause").as_int64(), 1);
  EXPECT_EQ(days.back().at("auto_moves").as_int64(), 1);
}

TEST_F(MqttActivity, ALockedSessionIsNobodyAtTheDesk) {
  ASSERT_TRUE(start_all(activity_desk()));
  auto since = mark();
  send("set", R"({"action":"calibrate"})");
  ASSERT_TRUE(wait_event("calibrated", since, seconds(20))) << deskd_->log();
  observer_->publish(kActivityTopic, "locked");
  auto blocked = wait_state(field_is("phase_reason", "nobody at the desk"), since);
  ASSERT_TRUE(blocked) << deskd_->log();
  EXPECT_EQ(json_string(*blocked, "phase"), "blocked");
  observer_->publish(kActivityTopic, "unlocked");
  ASSERT_TRUE(wait_state(field_is("phase", "counting"), since)) << deskd_->log();
}

// A working morning at x120 (issue 24, simulation): a change at a pause, then a meeting that
// holds the next change until it is skipped, then a change after a wait with no pause. No
// warning falls inside the meeting, and the statistics add up to the events.
TEST_F(MqttActivity, AMorningWithAMeetingAndPausesAddsUp) {
  auto o = desk_options();
  o.extra_args = {"--time-scale", "120"};
  o.schedule_toml = all_day_schedule_toml(
      "activity_topic = \"home/office/pc_activity\"\nbusy_topic = \"home/office/in_a_call\"\n"
      "sit_minutes = 5\nstand_minutes = 5\nwarn_seconds = 10\nbreak_wait_minutes = 5\n"
      "break_idle_seconds = 60\nbusy_max_defer_minutes = 10\n");
  ASSERT_TRUE(start_all(o));
  auto since = mark();
  observer_->publish("home/office/in_a_call", "OFF", true);
  observer_->publish(kActivityTopic, "active", true);
  send("set", R"({"action":"calibrate"})");
  ASSERT_TRUE(wait_event("calibrated", since, seconds(20))) << deskd_->log();

  // 1. Due while typing: waits; a pause: warned at once, moved.
  auto waiting = wait_event("deferred", since, seconds(20));
  ASSERT_TRUE(waiting) << deskd_->log();
  ASSERT_EQ(json_string(*waiting, "detail"), "pause");
  since = mark();
  observer_->publish(kActivityTopic, R"({"idle_seconds":90,"locked":false})", true);
  auto at_pause = wait_event("warning", since, seconds(5));
  ASSERT_TRUE(at_pause) << deskd_->log();
  EXPECT_EQ(json_string(*at_pause, "detail"), "pause");
  ASSERT_TRUE(wait_event("move_finished", since, seconds(30))) << deskd_->log();

  // 2. A meeting: the next change is deferred, then skipped after busy_max_defer_minutes.
  observer_->publish(kActivityTopic, "active", true);
  since = mark();
  observer_->publish("home/office/in_a_call", "ON", true);
  const std::size_t meeting_from = deskd_->log().size();
  auto held = wait_event("deferred", since, seconds(20));
  ASSERT_TRUE(held) << deskd_->log();
  EXPECT_EQ(json_string(*held, "detail"), "busy");
  auto skipped = wait_event("declined", since, seconds(20));
  ASSERT_TRUE(skipped) << deskd_->log();
  EXPECT_EQ(json_string(*skipped, "detail"), "busy");
  const std::string meeting = deskd_->log().substr(meeting_from);
  EXPECT_EQ(meeting.find("schedule: warning"), std::string::npos) << "warned in the meeting:\n"
                                                                  << meeting;

  // 3. Free again, typing throughout: the change waits 5 deskd minutes for a pause, then comes.
  since = mark();
  observer_->publish("home/office/in_a_call", "OFF", true);
  auto waits = wait_event("deferred", since, seconds(20));
  ASSERT_TRUE(waits) << deskd_->log();
  EXPECT_EQ(json_string(*waits, "detail"), "pause");
  auto after_wait = wait_event("warning", since, seconds(20));
  ASSERT_TRUE(after_wait) << deskd_->log();
  EXPECT_EQ(json_string(*after_wait, "detail"), "");
  ASSERT_TRUE(wait_event("move_finished", since, seconds(30))) << deskd_->log();

  auto r = request("stats/get", object{{"days", 1}});
  ASSERT_TRUE(r) << deskd_->log();
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  const auto day = r->at("data").at("days").as_array().back().as_object();
  EXPECT_EQ(day.at("auto_moves").as_int64(), 2) << boost::json::serialize(day);
  EXPECT_EQ(day.at("auto_moves_at_pause").as_int64(), 1) << boost::json::serialize(day);
  EXPECT_EQ(day.at("deferred_busy").as_int64(), 1) << boost::json::serialize(day);
  EXPECT_EQ(day.at("declined").as_int64(), 1) << boost::json::serialize(day);
}

}  // namespace
}  // namespace deskd::testing
