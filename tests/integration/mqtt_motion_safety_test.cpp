// Motion safety on the real binary with the simulated desk (DESIGN.md §4 invariants 3 and 5).
#include <gtest/gtest.h>

#include <chrono>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::seconds;

class MqttMotionSafety : public MqttDeskTest {};

TEST_F(MqttMotionSafety, AStallWhileMovingDownBacksOffUpwardByBackoffThenLatchesStall) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(move_to(1000)) << deskd_->log();
  auto since = mark();
  send("set", R"({"height_mm":700})");
  ASSERT_TRUE(wait_state(  // mid-move: well below the start
      [](const object& s) {
        return json_string(s, "motion") == "down" && json_int(s, "height_mm").value_or(0) < 960;
      },
      since))
      << deskd_->log();
  send("sim/set", R"({"fault":"stall"})");  // resting on something below
  auto fault = wait_event("fault", since, seconds(5));
  ASSERT_TRUE(fault) << deskd_->log();
  EXPECT_EQ(json_string(*fault, "fault"), "stall");
  // The first state naming the fault: published at once, the position still known.
  auto latched = wait_state(field_is("fault", "stall"), since);
  ASSERT_TRUE(latched);
  const auto stopped_at = json_int(*latched, "height_mm");
  ASSERT_TRUE(stopped_at) << deskd_->log();
  EXPECT_LT(*stopped_at, 990);
  auto backed = wait_json(
      "event",
      [](const object& e) {
        return json_string(e, "type") == "stopped" && json_string(e, "source") == "backoff";
      },
      since, seconds(5));
  ASSERT_TRUE(backed) << deskd_->log();
  const auto rest = json_int(*backed, "height_mm");
  ASSERT_TRUE(rest);
  EXPECT_NEAR(static_cast<double>(*rest - *stopped_at), 15.0, 6.0) << deskd_->log();
  // Latched at the end: stopped, position unknown.
  auto s = wait_state(
      [](const object& s) {
        return json_string(s, "fault") == "stall" && json_string(s, "motion") == "stopped" &&
               json_bool(s, "calibrated") == false;
      },
      since);
  EXPECT_TRUE(s) << deskd_->log();
}

TEST_F(MqttMotionSafety, CalibratingWithADeadEncoderFailsWithSensorFault) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(move_to(1000)) << deskd_->log();
  auto since = mark();
  send("sim/set", R"({"fault":"dropout"})");
  send("set", R"({"action":"calibrate"})");
  auto fault = wait_event("fault", since, seconds(10));
  ASSERT_TRUE(fault) << deskd_->log();
  EXPECT_EQ(json_string(*fault, "fault"), "sensor");
  auto s = wait_state(
      [](const object& s) {
        return json_string(s, "fault") == "sensor" && json_string(s, "motion") == "stopped";
      },
      since);
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_EQ(json_bool(*s, "calibrated"), false);
  EXPECT_EQ(deskd_->log().find("calibrated at"), std::string::npos) << deskd_->log();
}

}  // namespace
}  // namespace deskd::testing
