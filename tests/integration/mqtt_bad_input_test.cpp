// Bad input over MQTT (DESIGN.md §8, safety invariant 8): every malformed command changes nothing
// and is answered with an "error" event naming the problem; retained commands are ignored.
#include <gtest/gtest.h>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::seconds;

struct BadCommand {
  std::string suffix;  // "set" or "set/<key>"
  std::string payload;
  std::string needle;  // what the error must say
};

// The fields a rejected command must not change.
object observable(const object& s) {
  object o;
  for (const char* k : {"height_mm", "target_mm", "motion", "fault", "schedule_enabled", "mode",
                        "presets", "sit_height_mm", "stand_height_mm", "calibrated"}) {
    if (const auto* v = s.if_contains(k)) o[k] = *v;
  }
  return o;
}

class MqttBadInput : public MqttDeskTest {};

TEST_F(MqttBadInput, EveryMalformedCommandIsAnErrorEventAndChangesNothing) {
  ASSERT_TRUE(start_all());
  const auto get_mark = mark();
  const auto before = fresh_state();
  ASSERT_TRUE(before);
  // B/get also re-publishes the schedule; let that arrive before counting.
  ASSERT_TRUE(wait_json(
      "schedule", [](const object&) { return true; }, get_mark));
  const auto start = mark();

  const std::vector<BadCommand> table{
      {"set", R"({"height_mm":)", "invalid JSON"},
      {"set", "not json at all", "invalid JSON"},
      {"set", "[1,2]", "object"},
      {"set", "{}", "expected one command key"},
      {"set", R"({"hieght_mm":900})", "unknown key 'hieght_mm'"},
      {"set", R"({"height_mm":"900"})", "height_mm"},
      {"set", R"({"height_mm":900.5})", "height_mm"},
      {"set", R"({"schedule_enabled":"yes"})", "schedule_enabled"},
      {"set", R"({"action":7})", "action"},
      {"set", R"({"height_mm":1500})", "height_mm: 1500 is outside 620..1270"},
      {"set", R"({"height_mm":100})", "height_mm: 100 is outside 620..1270"},
      {"set", R"({"position":101})", "position: must be 0..100"},
      {"set", R"({"position":-1})", "position: must be 0..100"},
      {"set", R"({"preset":"nope"})", "unknown preset 'nope'"},
      {"set", R"({"action":"jump"})", "unknown action 'jump'"},
      {"set", R"({"posture":"lying"})", "posture"},
      {"set", R"({"height_mm":900,"action":"stop"})", "expected one command key"},
      {"set/height_mm", "abc", "height_mm: expected an integer"},
      {"set/height_mm", "2000", "height_mm: 2000 is outside"},
      {"set/position", "101", "position: must be 0..100"},
      {"set/schedule_enabled", "maybe", "schedule_enabled: expected ON or OFF"},
      {"set/preset", "nope", "unknown preset 'nope'"},
      {"set/action", "jump", "unknown action 'jump'"},
      {"set/colour", "red", "unknown key 'colour'"},
  };
  for (const auto& c : table) {
    SCOPED_TRACE(c.suffix + " " + c.payload);
    const auto since = mark();
    send(c.suffix, c.payload);
    auto e = wait_error(c.needle, since);
    ASSERT_TRUE(e) << "no error event naming \"" << c.needle
                   << "\"; events: " << observer_->last(topic("event")).value_or("none");
    // The error names the command it refers to.
    EXPECT_NE(json_string(*e, "command").find(c.payload), std::string::npos)
        << boost::json::serialize(*e);
  }

  // Nothing moved, nothing changed, nothing was re-published on B/schedule.
  EXPECT_EQ(
      count_json(
          "event", [](const object& e) { return json_string(e, "type") == "move_started"; }, start),
      0u);
  EXPECT_EQ(count_json(
                "schedule", [](const object&) { return true; }, start),
            0u);
  const auto after = fresh_state();
  ASSERT_TRUE(after);
  EXPECT_EQ(observable(*after), observable(*before));
  // Each rejection is also logged.
  EXPECT_NE(deskd_->log().find("rejected command {\"hieght_mm\":900}"), std::string::npos);
}

TEST_F(MqttBadInput, MotionCommandsWhileAFaultIsLatchedAreRefused) {
  ASSERT_TRUE(start_all());
  auto since = mark();
  send("set", R"({"height_mm":1200})");
  ASSERT_TRUE(wait_state(field_is("motion", "up"), since));
  send("sim/set", R"({"fault":"stall"})");
  ASSERT_TRUE(wait_state(field_is("fault", "stall"), since, seconds(5))) << deskd_->log();
  send("sim/set", R"({"clear":true})");  // the desk could move now; deskd must still refuse
  const auto start = mark();
  for (const std::string cmd :
       {R"({"height_mm":900})", R"({"position":10})", R"({"posture":"standing"})",
        R"({"preset":"sit"})", R"({"action":"calibrate"})", R"({"action":"nudge"})"}) {
    SCOPED_TRACE(cmd);
    since = mark();
    send("set", cmd);
    auto e = wait_error("fault latched", since);
    ASSERT_TRUE(e) << deskd_->log();
    EXPECT_EQ(json_string(*e, "command"), cmd);
  }
  auto s = fresh_state();  // after every command was handled
  ASSERT_TRUE(s);
  EXPECT_EQ(
      count_json(
          "event", [](const object& e) { return json_string(e, "type") == "move_started"; }, start),
      0u);
  EXPECT_EQ(json_string(*s, "fault"), "stall");
  EXPECT_EQ(json_string(*s, "motion"), "stopped");
}

TEST_F(MqttBadInput, RetainedCommandPublishedWhileRunningIsIgnored) {
  ASSERT_TRUE(start_all());
  const auto since = mark();
  send("set", R"({"height_mm":1000})", /*retain=*/true);
  ASSERT_TRUE(
      deskd_->process().wait_for_log("ignored retained message on " + topic("set"), seconds(3)))
      << deskd_->log();
  auto s = fresh_state();  // after the retained command was handled
  ASSERT_TRUE(s);
  EXPECT_EQ(
      count_json(
          "event", [](const object& e) { return json_string(e, "type") == "move_started"; }, since),
      0u);
  EXPECT_EQ(json_int(*s, "height_mm"), 620);
  EXPECT_EQ(json_string(*s, "motion"), "stopped");
  send("set", "", /*retain=*/true);  // clear it from the broker
}

TEST_F(MqttBadInput, RetainedCommandFromBeforeStartIsIgnored) {
  start_broker();
  options_ = desk_options();
  ASSERT_TRUE(connect_observer());
  send("set", R"({"height_mm":1000})", /*retain=*/true);
  send("set/height_mm", "1100", /*retain=*/true);
  const auto since = mark();
  ASSERT_TRUE(start_deskd(options_));
  ASSERT_TRUE(deskd_->process().wait_for_log(
      "ignored retained message on " + topic("set/height_mm"), seconds(3)))
      << deskd_->log();
  EXPECT_NE(deskd_->log().find("ignored retained message on " + topic("set") + " "),
            std::string::npos)
      << deskd_->log();
  auto s = fresh_state();  // after both retained commands were handled
  ASSERT_TRUE(s);
  EXPECT_EQ(
      count_json(
          "event", [](const object& e) { return json_string(e, "type") == "move_started"; }, since),
      0u);
  EXPECT_EQ(json_int(*s, "height_mm"), 620);
}

TEST_F(MqttBadInput, MalformedSimulationCommandIsAnError) {
  ASSERT_TRUE(start_all());
  const auto since = mark();
  send("sim/set", R"({"fault":"meteor"})");
  EXPECT_TRUE(wait_error("unknown fault 'meteor'", since));
}

}  // namespace
}  // namespace deskd::testing
