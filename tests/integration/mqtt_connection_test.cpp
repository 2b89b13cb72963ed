// The MQTT connection's life (issue 4): broker restarts, the last will, authentication and
// offline-first start-up, with the real deskd and a real mosquitto.
#include <gtest/gtest.h>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::milliseconds;
using std::chrono::seconds;

Broker::Options with_user(const std::string& user, const std::string& password) {
  Broker::Options o;
  o.username = user;
  o.password = password;
  return o;
}

class MqttConnection : public MqttDeskTest {
 protected:
  // A new client's view of the retained message on B/<suffix> (nullopt when none).
  std::optional<ReceivedMessage> retained(const std::string& suffix, const std::string& user = "",
                                          const std::string& password = "",
                                          milliseconds timeout = milliseconds(1500)) {
    MqttTestClient c(broker_->port(), "", user, password);
    if (!c.connect()) return std::nullopt;
    c.subscribe(topic(suffix));
    return c.wait_for(
        topic(suffix), [](const std::string&) { return true; }, timeout);
  }
};

TEST_F(MqttConnection, BrokerKilledAndRestartedReconnectsRepublishesAndKeepsTheDeskState) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(move_to(900)) << deskd_->log();
  broker_->kill9();
  ASSERT_TRUE(deskd_->process().wait_for_log("MQTT: connection lost", seconds(5))) << deskd_->log();
  observer_.reset();
  // The outage lasts until deskd has tried again and been refused.
  const auto lost_at = deskd_->log().find("MQTT: connection lost");
  ASSERT_TRUE(deskd_->process().wait_for_log("MQTT: cannot connect", seconds(5), lost_at))
      << deskd_->log();
  broker_->start();  // same port, empty (persistence off): nothing retained survives
  ASSERT_TRUE(connect_observer());
  auto online = observer_->wait_for(
      topic("availability"), [](const std::string& p) { return p == "online"; }, seconds(10));
  ASSERT_TRUE(online) << deskd_->log();
  auto s = wait_state([](const object&) { return true; });
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_NEAR(static_cast<double>(json_int(*s, "height_mm").value_or(0)), 900, 12);
  EXPECT_EQ(json_bool(*s, "calibrated"), true);
  EXPECT_EQ(json_string(*s, "fault"), "none");
  // The republished discovery and schedule are back too, and commands work again.
  EXPECT_TRUE(observer_->wait_for(
      "homeassistant/device/deskd_itest/config", [](const std::string& p) { return !p.empty(); },
      seconds(3)));
  EXPECT_TRUE(wait_json("schedule", [](const object&) { return true; }));
  ASSERT_TRUE(move_to(1000)) << deskd_->log();
  EXPECT_TRUE(deskd_->process().running());
}

TEST_F(MqttConnection, LastWillPublishesOfflineWhenDeskdIsKilled) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(observer_->wait_for(topic("availability"),
                                  [](const std::string& p) { return p == "online"; }));
  const auto since = mark();
  deskd_->kill9();
  auto off = observer_->wait_for(
      topic("availability"), [](const std::string& p) { return p == "offline"; }, seconds(5),
      since);
  ASSERT_TRUE(off) << "no last will";
  auto kept = retained("availability");
  ASSERT_TRUE(kept);
  EXPECT_TRUE(kept->retained);
  EXPECT_EQ(kept->payload, "offline");
}

TEST_F(MqttConnection, UsernameAndPasswordAuthenticate) {
  start_broker(with_user("desk", "s3cret"));
  auto o = desk_options();
  o.mqtt_toml = "username = \"desk\"\npassword = \"s3cret\"\n";
  ASSERT_TRUE(start_deskd(o)) << deskd_->log();
  // Anonymous clients are refused by this broker; the right credentials are not.
  MqttTestClient anonymous(broker_->port());
  EXPECT_FALSE(anonymous.connect());
  auto online = retained("availability", "desk", "s3cret");
  ASSERT_TRUE(online) << deskd_->log();
  EXPECT_EQ(online->payload, "online");
  auto s = retained("state", "desk", "s3cret");
  ASSERT_TRUE(s);
  EXPECT_EQ(json_int(json_object(s->payload), "height_mm"), 620);
}

TEST_F(MqttConnection, PasswordFileIsUsed) {
  start_broker(with_user("desk", "from-file"));
  const std::string dir = make_temp_dir("deskd-it-secret");
  { std::ofstream(dir + "/mqtt.pass") << "from-file\n"; }
  auto o = desk_options();
  o.mqtt_toml = "username = \"desk\"\npassword_file = \"" + dir + "/mqtt.pass\"\n";
  ASSERT_TRUE(start_deskd(o)) << deskd_->log();
  auto online = retained("availability", "desk", "from-file");
  ASSERT_TRUE(online) << deskd_->log();
  EXPECT_EQ(online->payload, "online");
}

TEST_F(MqttConnection, WrongPasswordKeepsDeskdRunningOfflineWithoutOnline) {
  start_broker(with_user("desk", "s3cret"));
  auto o = desk_options();
  o.mqtt_toml = "username = \"desk\"\npassword = \"wrong\"\n";
  ASSERT_TRUE(start_deskd(o, /*wait_connected=*/false)) << deskd_->log();
  ASSERT_TRUE(deskd_->process().wait_for_log("MQTT: cannot connect", seconds(5))) << deskd_->log();
  ASSERT_TRUE(wait_for_retry()) << deskd_->log();
  EXPECT_TRUE(deskd_->process().running());
  EXPECT_EQ(deskd_->log().find("MQTT connected"), std::string::npos) << deskd_->log();
  EXPECT_FALSE(retained("availability", "desk", "s3cret", milliseconds(500)))
      << "availability published with a wrong password";
  // It still shuts down cleanly.
  EXPECT_EQ(deskd_->terminate(), 0) << deskd_->log();
}

TEST_F(MqttConnection, OfflineFirstRunsWithoutABrokerAndConnectsWhenItStarts) {
  start_broker();
  broker_->stop();  // the port is known, nobody listens on it
  auto o = desk_options();
  ASSERT_TRUE(start_deskd(o, /*wait_connected=*/false)) << deskd_->log();
  ASSERT_TRUE(deskd_->process().wait_for_log("MQTT: cannot connect", seconds(5))) << deskd_->log();
  ASSERT_TRUE(wait_for_retry()) << deskd_->log();
  EXPECT_TRUE(deskd_->process().running());
  EXPECT_EQ(deskd_->log().find("MQTT connected"), std::string::npos);

  broker_->start();
  ASSERT_TRUE(deskd_->process().wait_for_log("MQTT connected to", seconds(10))) << deskd_->log();
  ASSERT_TRUE(connect_observer());
  auto online = observer_->wait_for(topic("availability"),
                                    [](const std::string& p) { return p == "online"; });
  ASSERT_TRUE(online);
  EXPECT_TRUE(online->retained);
  auto s = wait_state([](const object&) { return true; });
  ASSERT_TRUE(s);
  EXPECT_EQ(json_int(*s, "height_mm"), 620);
  // And it takes commands from now on.
  ASSERT_TRUE(move_to(800)) << deskd_->log();
}

}  // namespace
}  // namespace deskd::testing
