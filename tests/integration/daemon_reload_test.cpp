// SIGHUP: the new config is swapped in only if it is valid and the desk is idle (issue 2).
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <string>

#include "support/broker.h"
#include "support/deskd_process.h"
#include "support/json_fields.h"
#include "support/mqtt_test_client.h"

namespace deskd::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kSchedule = "enabled = false\nsit_minutes = 30\n";

class DaemonReload : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(client_.connect()) << client_.last_error();
    client_.subscribe("deskd/itest/#");
    client_.subscribe("homeassistant/device/deskd_itest/config");
    DeskdOptions o;
    o.mqtt_port = broker_.port();
    o.schedule_toml = kSchedule;
    deskd_ = std::make_unique<DeskdProcess>(o);
    ASSERT_TRUE(deskd_->start()) << deskd_->log();
    ASSERT_TRUE(client_.wait_for_containing("deskd/itest/availability", "online"));
    ASSERT_TRUE(client_.wait_for_containing("deskd/itest/schedule", "\"sit_minutes\":30"));
  }

  // Rewrites the config file with `from` replaced by `to`.
  void edit_config(const std::string& from, const std::string& to) {
    std::string text = read_text_file(deskd_->config_path());
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(deskd_->config_path()) << text;
  }

  // Sends SIGHUP and waits for the log line that says how the reload ended.
  bool reload_and_wait_for(const std::string& log_line) {
    const auto before = deskd_->log().size();
    deskd_->process().signal(SIGHUP);
    return deskd_->process().wait_for_log(log_line, seconds(10), before);
  }

  // Asks for a fresh state and returns it (B/get republishes the state and the schedule).
  std::optional<boost::json::object> current_state() {
    const auto since = client_.count();
    client_.publish("deskd/itest/get", "");
    auto m = client_.wait_for(
        "deskd/itest/schedule", [](const std::string&) { return true; }, seconds(10), since);
    if (!m) return std::nullopt;
    return json_object(client_.last("deskd/itest/state").value_or(""));
  }

  Broker broker_;
  MqttTestClient client_{broker_.port()};
  std::unique_ptr<DeskdProcess> deskd_;
};

TEST_F(DaemonReload, AValidChangedConfigIsSwappedInAndRepublished) {
  edit_config("id = \"itest\"\n", "id = \"itest\"\nname = \"Renamed desk\"\n");
  edit_config("sit_minutes = 30", "sit_minutes = 45");
  const auto since = client_.count();
  ASSERT_TRUE(reload_and_wait_for("configuration reloaded from " + deskd_->config_path()))
      << deskd_->log();
  auto schedule =
      client_.wait_for_containing("deskd/itest/schedule", "\"sit_minutes\":45", seconds(10), since);
  ASSERT_TRUE(schedule.has_value()) << "B/schedule not republished with the new sit_minutes";
  // Home Assistant learns the new name without a restart.
  EXPECT_TRUE(client_.wait_for_containing("homeassistant/device/deskd_itest/config", "Renamed desk",
                                          seconds(10), since))
      << deskd_->log();
  EXPECT_TRUE(deskd_->process().running());
  EXPECT_EQ(deskd_->terminate(), 0);
}

TEST_F(DaemonReload, ARunTimeScheduleOverrideSurvivesAReload) {
  // schedule/set over MQTT is kept in the state directory and wins over the file.
  auto since = client_.count();
  client_.publish("deskd/itest/request/schedule/set", R"({"sit_minutes":50,"transaction":"t1"})");
  ASSERT_TRUE(client_.wait_for_containing("deskd/itest/response/schedule/set", "\"ok\"",
                                          seconds(10), since));
  edit_config("sit_minutes = 30", "sit_minutes = 45");
  since = client_.count();
  ASSERT_TRUE(reload_and_wait_for("configuration reloaded")) << deskd_->log();
  auto schedule = client_.wait_for(
      "deskd/itest/schedule", [](const std::string&) { return true; }, seconds(10), since);
  ASSERT_TRUE(schedule.has_value());
  EXPECT_NE(schedule->payload.find("\"sit_minutes\":50"), std::string::npos) << schedule->payload;
  EXPECT_EQ(deskd_->terminate(), 0);
}

TEST_F(DaemonReload, AnInvalidConfigIsRefusedWithItsPositionAndTheOldOneKeepsRunning) {
  // Line 3 of the file becomes an unknown key.
  edit_config("id = \"itest\"\n", "id = \"itest\"\nname_typo = \"x\"\n");
  edit_config("sit_minutes = 30", "sit_minutes = 45");
  ASSERT_TRUE(reload_and_wait_for(
      "reload refused, keeping the running config: " + deskd_->config_path() + ":3:1: "))
      << deskd_->log();
  EXPECT_NE(deskd_->log().find("name_typo"), std::string::npos);
  EXPECT_EQ(deskd_->log().find("configuration reloaded"), std::string::npos);
  // Still serving, still with the old schedule.
  auto state = current_state();
  ASSERT_TRUE(state.has_value());
  EXPECT_NE(client_.last("deskd/itest/schedule")->find("\"sit_minutes\":30"), std::string::npos);
  // And it still moves the desk.
  const auto since = client_.count();
  client_.publish("deskd/itest/set", R"({"height_mm":640})");
  EXPECT_TRUE(client_.wait_for_containing("deskd/itest/event", "move_started", seconds(10), since));
  EXPECT_EQ(deskd_->terminate(), 0);
}

TEST_F(DaemonReload, AReloadWhileMovingIsRefusedAndSaysWhy) {
  edit_config("sit_minutes = 30", "sit_minutes = 45");
  const auto since = client_.count();
  client_.publish("deskd/itest/set", R"({"height_mm":800})");  // ~5 s of motion
  ASSERT_TRUE(
      client_.wait_for_containing("deskd/itest/state", "\"motion\":\"up\"", seconds(10), since));
  ASSERT_TRUE(reload_and_wait_for("reload refused: the desk is moving")) << deskd_->log();
  EXPECT_EQ(deskd_->log().find("configuration reloaded"), std::string::npos);
  // The move carries on to its target.
  EXPECT_TRUE(client_.wait_for_containing("deskd/itest/event", "move_finished", seconds(25), since))
      << deskd_->log();
  EXPECT_NE(client_.last("deskd/itest/schedule")->find("\"sit_minutes\":30"), std::string::npos);
  // Idle again: the same file now goes in.
  ASSERT_TRUE(reload_and_wait_for("configuration reloaded")) << deskd_->log();
  EXPECT_TRUE(client_.wait_for_containing("deskd/itest/schedule", "\"sit_minutes\":45", seconds(10),
                                          since));
  EXPECT_EQ(deskd_->terminate(), 0);
}

TEST_F(DaemonReload, AReloadWithALatchedFaultIsRefusedSoTheFaultIsNotCleared) {
  edit_config("sit_minutes = 30", "sit_minutes = 45");
  auto since = client_.count();
  client_.publish("deskd/itest/set", R"({"height_mm":1100})");
  ASSERT_TRUE(
      client_.wait_for_containing("deskd/itest/state", "\"motion\":\"up\"", seconds(10), since));
  client_.publish("deskd/itest/sim/set", R"({"fault":"stall"})");
  ASSERT_TRUE(
      client_.wait_for_containing("deskd/itest/state", "\"fault\":\"stall\"", seconds(10), since))
      << deskd_->log();
  ASSERT_TRUE(reload_and_wait_for("reload refused: a fault is latched")) << deskd_->log();
  auto state = current_state();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(json_string(*state, "fault"), "stall");
  EXPECT_EQ(json_bool(*state, "calibrated"), false);
  EXPECT_EQ(deskd_->terminate(), 0);
}

}  // namespace
}  // namespace deskd::testing
