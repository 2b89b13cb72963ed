// Busy over MQTT ([schedule] busy_topic, issue 24 §1): a call or a meeting holds the warning and
// the automatic move; unknown (no message yet) counts as busy; the change comes once free.
#include <gtest/gtest.h>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kBusyTopic = "home/office/in_a_call";

class MqttBusy : public MqttDeskTest {};

TEST_F(MqttBusy, NoWarningOrMoveWhileBusyOrUnknownAndTheChangeComesWhenFree) {
  auto o = desk_options();
  // At x60 the 5-minute sitting period falls due 5 s after the start.
  o.extra_args = {"--time-scale", "60"};
  o.schedule_toml = all_day_schedule_toml(
      "busy_topic = \"home/office/in_a_call\"\nsit_minutes = 5\nwarn_seconds = 10\n"
      "busy_max_defer_minutes = 60\n");
  ASSERT_TRUE(start_all(o));
  auto since = mark();
  send("set", R"({"action":"calibrate"})");
  ASSERT_TRUE(wait_event("calibrated", since, seconds(20))) << deskd_->log();

  // Nothing published on the topic yet: unknown, so busy. The change is deferred, not warned.
  auto deferred = wait_event("deferred", since, seconds(20));
  ASSERT_TRUE(deferred) << deskd_->log();
  EXPECT_EQ(json_string(*deferred, "detail"), "busy");
  EXPECT_EQ(json_string(*deferred, "posture"), "standing");
  auto blocked = wait_state(field_is("phase", "blocked"), since);
  ASSERT_TRUE(blocked) << deskd_->log();
  EXPECT_EQ(json_string(*blocked, "phase_reason").rfind("busy: the change to standing", 0), 0u)
      << json_string(*blocked, "phase_reason");

  observer_->publish(kBusyTopic, "in a meeting");  // not a busy word: ignored, and said so
  ASSERT_TRUE(
      deskd_->process().wait_for_log("busy: unknown payload 'in a meeting' ignored", seconds(5)))
      << deskd_->log();
  observer_->publish(kBusyTopic, "ON");
  ASSERT_TRUE(deskd_->process().wait_for_log("busy: in a call or a meeting", seconds(5)))
      << deskd_->log();

  since = mark();
  observer_->publish(kBusyTopic, R"({"busy":false})");
  auto warning = wait_event("warning", since, seconds(10));
  ASSERT_TRUE(warning) << deskd_->log();
  auto started = wait_event("move_started", since, seconds(30));
  ASSERT_TRUE(started) << deskd_->log();
  EXPECT_EQ(json_string(*started, "source"), "schedule");

  const std::string log = deskd_->log();
  const auto free_at = log.find("busy: free again");
  ASSERT_NE(free_at, std::string::npos) << log;
  EXPECT_EQ(log.rfind("schedule: warning", free_at), std::string::npos) << "warned while busy:\n"
                                                                        << log;
  EXPECT_EQ(log.rfind("(schedule)", free_at), std::string::npos) << "moved while busy:\n" << log;
}

}  // namespace
}  // namespace deskd::testing
