// The smaller findings of issue 19 (finding 7), each against the real deskd: no password in the
// [mqtt] uri, --forget leaves a running desk alone, secrets and state readable or writable by
// others are reported, and a stolen client id is named in the log.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class OwnerSafeguards : public MqttDeskTest {
 protected:
  int deskd_command(std::vector<std::string> args, std::string& out) {
    args.insert(args.begin(), DESKD_BINARY);
    return run_command(args, out, seconds(20));
  }

  // The retained availability a fresh subscriber finds ("" when none).
  std::string retained_availability() {
    MqttTestClient late(broker_->port());
    if (!late.connect()) return "(no broker)";
    late.subscribe(topic("availability"));
    auto m = late.wait_for(
        topic("availability"), [](const std::string&) { return true; }, milliseconds(700));
    return m ? m->payload : "";
  }
};

TEST_F(OwnerSafeguards, when_the_mqtt_uri_holds_a_password_expect_exit_78_without_printing_it) {
  const std::string dir = make_temp_dir("deskd-uri");
  const std::string path = dir + "/deskd.toml";
  std::ofstream(path) << "[desk]\nid = \"cli\"\n[gpio]\nbackend = \"sim\"\n[web]\nenabled = false\n"
                      << "[mqtt]\nuri = \"tcp://alice:s3cr3t@127.0.0.1:1883\"\n"
                      << "[state]\ndir = \"" << dir << "/state\"\n";
  for (const auto& args : {std::vector<std::string>{"--check-config", "--config", path},
                           std::vector<std::string>{"--config", path}}) {
    std::string out;
    EXPECT_EQ(deskd_command(args, out), 78) << out;
    EXPECT_NE(out.find(path + ":8:7: mqtt.uri: must not carry a user name or password"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("[mqtt] username and password"), std::string::npos) << out;
    EXPECT_EQ(out.find("s3cr3t"), std::string::npos) << "the password was printed: " << out;
  }
}

TEST_F(OwnerSafeguards, when_the_desk_is_online_expect_forget_to_refuse_unless_forced) {
  ASSERT_TRUE(start_all());
  ASSERT_EQ(retained_availability(), "online");
  std::string out;
  EXPECT_EQ(deskd_command({"--forget", "--config", deskd_->config_path()}, out), 1) << out;
  EXPECT_NE(out.find("desk 'itest' is online"), std::string::npos) << out;
  EXPECT_NE(out.find("--force"), std::string::npos) << out;
  EXPECT_EQ(retained_availability(), "online") << "forget cleared a running desk's availability";

  EXPECT_EQ(deskd_command({"--forget", "--force", "--config", deskd_->config_path()}, out), 0)
      << out;
  EXPECT_EQ(retained_availability(), "");
}

TEST_F(OwnerSafeguards, when_the_desk_is_offline_expect_forget_to_clear_it_without_force) {
  ASSERT_TRUE(start_all());
  ASSERT_EQ(deskd_->terminate(), 0);
  ASSERT_EQ(retained_availability(), "offline");
  std::string out;
  EXPECT_EQ(deskd_command({"--forget", "--config", deskd_->config_path()}, out), 0) << out;
  EXPECT_EQ(retained_availability(), "");
}

TEST_F(OwnerSafeguards, when_the_state_directory_is_writable_by_others_expect_a_refusal) {
  const std::string state = make_temp_dir("deskd-state");
  ASSERT_EQ(chmod(state.c_str(), 0777), 0);
  auto o = desk_options();
  o.state_dir = state;
  DeskdProcess d(o);
  EXPECT_FALSE(d.start(seconds(5)));
  EXPECT_EQ(Process::exit_code(d.process().wait(seconds(5))), 1) << d.log();
  EXPECT_NE(d.log().find("state directory " + state + " is writable by every user (mode 0777)"),
            std::string::npos)
      << d.log();
  EXPECT_NE(d.log().find("chmod go-w"), std::string::npos) << d.log();
}

TEST_F(OwnerSafeguards, AStateDirectoryLikeSystemdCreatesItIsAccepted) {
  const std::string state = make_temp_dir("deskd-state");
  ASSERT_EQ(chmod(state.c_str(), 0755), 0);  // StateDirectory= default
  auto o = desk_options();
  o.state_dir = state;
  DeskdProcess d(o);
  ASSERT_TRUE(d.start()) << d.log();
  EXPECT_EQ(d.terminate(), 0);
}

TEST_F(OwnerSafeguards, when_a_config_with_a_password_is_readable_by_others_expect_a_warning) {
  start_broker();
  auto o = desk_options();
  o.mqtt_port = broker_->port();
  o.mqtt_toml = "username = \"desk\"\npassword = \"s3cr3t\"\n";
  DeskdProcess d(o);
  ASSERT_EQ(chmod(d.config_path().c_str(), 0644), 0);
  ASSERT_TRUE(d.start()) << d.log();
  EXPECT_NE(d.log().find(d.config_path() +
                         " holds the MQTT password and is readable by every user (mode 0644)"),
            std::string::npos)
      << d.log();
  EXPECT_EQ(d.log().find("s3cr3t"), std::string::npos) << d.log();
  EXPECT_EQ(d.terminate(), 0);

  DeskdProcess again(o);  // a fresh directory and config, then made private
  ASSERT_EQ(chmod(again.config_path().c_str(), 0600), 0);
  ASSERT_TRUE(again.start()) << again.log();
  EXPECT_EQ(again.log().find("holds the MQTT password"), std::string::npos) << again.log();
}

// Finding 7: five clients using deskd's client id made it lose its connection three times, with
// nothing in the log saying why. mosquitto 2.0.11 closes the old connection without an MQTT 5
// DISCONNECT (no reason code 0x8E reaches deskd), so deskd counts sessions that end within
// seconds of connecting.
TEST_F(OwnerSafeguards,
       when_another_client_keeps_taking_deskds_client_id_expect_the_log_to_say_so) {
  ASSERT_TRUE(start_all());
  const std::string warning =
      "the broker closed deskd's session; another client may be using client id 'deskd-itest'";
  auto connects = [this] {
    const std::string log = deskd_->log();
    std::size_t n = 0;
    for (auto at = log.find("MQTT: connected to"); at != std::string::npos;
         at = log.find("MQTT: connected to", at + 1)) {
      ++n;
    }
    return n;
  };
  // Like a second deskd with the same id: it connects again each time deskd takes the id back.
  for (int round = 0; round < 4 && deskd_->log().find(warning) == std::string::npos; ++round) {
    const std::size_t before = connects();
    const std::size_t log_before = deskd_->log().size();
    MqttTestClient thief(broker_->port(), "deskd-itest");
    ASSERT_TRUE(thief.connect()) << thief.last_error();
    deskd_->process().wait_for_log("MQTT: connected to", seconds(5), log_before);
    ASSERT_GT(connects(), before) << "deskd did not reconnect:\n" << deskd_->log();
  }
  EXPECT_NE(deskd_->log().find(warning), std::string::npos) << deskd_->log();
  EXPECT_EQ(deskd_->log().find("warning MQTT: the broker closed", deskd_->log().find(warning) + 1),
            std::string::npos)
      << "the warning is rate-limited";
  // deskd has its session back.
  EXPECT_TRUE(fresh_state()) << deskd_->log();
}

}  // namespace
}  // namespace deskd::testing
