// Presence over MQTT ([schedule] presence_topic): nobody at the desk blocks the schedule,
// someone coming back resumes it.
#include <gtest/gtest.h>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kPresenceTopic = "home/office/occupancy";

class MqttPresence : public MqttDeskTest {
 protected:
  void presence(const std::string& payload) { observer_->publish(kPresenceTopic, payload); }
};

TEST_F(MqttPresence, NobodyAtTheDeskBlocksTheScheduleAndSomeoneResumesIt) {
  auto o = desk_options();
  o.schedule_toml = all_day_schedule_toml("presence_topic = \"home/office/occupancy\"\n");
  ASSERT_TRUE(start_all(o));
  ASSERT_TRUE(wait_state(field_is("phase", "counting"))) << deskd_->log();

  // Home Assistant's payload pairs: on/off, home/not_home, true/false (any case).
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"off", "on"}, {"not_home", "home"}, {"FALSE", "True"}};
  for (const auto& [away, back] : pairs) {
    SCOPED_TRACE(away + "/" + back);
    auto since = mark();
    presence(away);
    auto blocked = wait_state(field_is("phase", "blocked"), since);
    ASSERT_TRUE(blocked) << deskd_->log();
    EXPECT_NE(json_string(*blocked, "phase_reason").find("nobody"), std::string::npos)
        << json_string(*blocked, "phase_reason");
    EXPECT_TRUE(json_is_null(*blocked, "next_change"));
    since = mark();
    presence(back);
    auto counting = wait_state(field_is("phase", "counting"), since);
    ASSERT_TRUE(counting) << deskd_->log();
    EXPECT_FALSE(json_string(*counting, "next_change").empty());
  }
}

TEST_F(MqttPresence, ConfiguredPayloadsReplaceTheDefaultsAndUnknownOnesAreIgnored) {
  auto o = desk_options();
  o.schedule_toml = all_day_schedule_toml(
      "presence_topic = \"home/office/occupancy\"\npresence_on = [\"occupied\"]\n"
      "presence_off = [\"vacant\"]\n");
  ASSERT_TRUE(start_all(o));
  ASSERT_TRUE(wait_state(field_is("phase", "counting"))) << deskd_->log();
  presence("off");  // not one of the configured payloads
  ASSERT_TRUE(deskd_->process().wait_for_log("presence: unknown payload 'off' ignored", seconds(3)))
      << deskd_->log();
  auto s = fresh_state();
  ASSERT_TRUE(s);
  EXPECT_EQ(json_string(*s, "phase"), "counting");
  auto since = mark();
  presence("vacant");
  ASSERT_TRUE(wait_state(field_is("phase", "blocked"), since)) << deskd_->log();
  since = mark();
  presence("occupied");
  ASSERT_TRUE(wait_state(field_is("phase", "counting"), since)) << deskd_->log();
}

}  // namespace
}  // namespace deskd::testing
