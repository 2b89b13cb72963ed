// Regression (issue 13, found by the soak): with a presence topic, an outage of the broker left
// the last presence in force, so the schedule moved the desk while nobody could know whether
// anyone was there. Invariant 6: presence that cannot be known (broker unreachable) counts as
// absent; it is known again once the broker is back.
#include <gtest/gtest.h>

#include <thread>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using std::chrono::seconds;

class PresenceBrokerOutage : public MqttDeskTest {};

TEST_F(PresenceBrokerOutage, NoAutomaticMoveWhileTheBrokerIsUnreachable) {
  auto o = desk_options();
  // At x60 the 5-minute sitting period ends 5 s after the start: during the outage.
  o.extra_args = {"--time-scale", "60"};
  o.schedule_toml = all_day_schedule_toml(
      "presence_topic = \"home/office/occupancy\"\nsit_minutes = 5\nwarn_seconds = 10\n");
  ASSERT_TRUE(start_all(o));
  auto since = mark();
  send("set", R"({"action":"calibrate"})");
  ASSERT_TRUE(wait_event("calibrated", since, seconds(20))) << deskd_->log();
  observer_->publish("home/office/occupancy", "on");
  ASSERT_TRUE(wait_state(field_is("phase", "counting"), since)) << deskd_->log();
  const auto counting_at = Clock::now();  // the period started at the latest now

  observer_.reset();
  broker_->stop();
  ASSERT_TRUE(deskd_->process().wait_for_log("MQTT: connection lost", seconds(5)));
  // Kept fixed: the claim is that nothing happens, which no condition can show. The change falls
  // due 5 s (five deskd minutes) after the period started; wait 1 s past that.
  std::this_thread::sleep_for(counting_at + seconds(6) - Clock::now());
  const std::string log = deskd_->log();
  EXPECT_EQ(log.find("(schedule)"), std::string::npos) << "moved while presence was unknown:\n"
                                                       << log;
  EXPECT_EQ(log.find("schedule: warning"), std::string::npos) << log;
  EXPECT_NE(log.find("presence: unknown while the broker is unreachable"), std::string::npos)
      << log;

  // Back: presence is known again (the last payload), and the schedule runs on.
  broker_->start();
  ASSERT_TRUE(connect_observer());
  since = mark();
  ASSERT_TRUE(deskd_->process().wait_for_log("presence: known again", seconds(15)))
      << deskd_->log();
  EXPECT_TRUE(wait_event("warning", since, seconds(20))) << deskd_->log();
}

}  // namespace
}  // namespace deskd::testing
