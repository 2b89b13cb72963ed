// TLS and authentication against a real mosquitto: a test CA made with openssl at test time, a
// TLS listener beside the plain one (the observer stays on the plain one), and deskd connecting
// with [mqtt] ca_file / cert_file / key_file / username / password (DESIGN.md §7).
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "support/mqtt_desk_fixture.h"
#include "support/test_ca.h"

namespace deskd::testing {
namespace {

using std::chrono::seconds;

class MqttTls : public MqttDeskTest {
 protected:
  // mosquitto with a TLS listener serving `server`; `require_certificate`: clients must present
  // a certificate from the test CA.
  void start_tls_broker(const TestCa::Issued& server, bool require_certificate,
                        Broker::Options o = {}) {
    tls_port_ = free_port();
    o.extra_config += "listener " + std::to_string(tls_port_) + " 127.0.0.1\ncafile " +
                      ca_.ca_file() + "\ncertfile " + server.cert_file + "\nkeyfile " +
                      server.key_file + "\n" +
                      (require_certificate ? "require_certificate true\n" : "");
    start_broker(std::move(o));
  }

  DeskdOptions tls_desk(const std::string& host, const std::string& extra_mqtt = "") {
    DeskdOptions o = desk_options();
    o.mqtt_uri = "ssl://" + host + ":" + std::to_string(tls_port_);
    o.mqtt_toml = "ca_file = \"" + ca_.ca_file() + "\"\n" + extra_mqtt;
    return o;
  }

  // deskd runs, tries, and is refused, and so is its retry: never a connection.
  ::testing::AssertionResult refused(DeskdOptions o) {
    if (auto r = start_deskd(std::move(o), false); !r) return r;
    if (!deskd_->process().wait_for_log("MQTT: cannot connect to", seconds(15))) {
      return ::testing::AssertionFailure() << "no connection failure logged:\n" << deskd_->log();
    }
    if (!wait_for_retry()) {
      return ::testing::AssertionFailure() << "no refused retry logged:\n" << deskd_->log();
    }
    if (deskd_->log().find("MQTT connected to") != std::string::npos) {
      return ::testing::AssertionFailure() << "deskd connected:\n" << deskd_->log();
    }
    if (!deskd_->process().running()) {
      return ::testing::AssertionFailure() << "deskd exited:\n" << deskd_->log();
    }
    return ::testing::AssertionSuccess();
  }

  // deskd connected over TLS: its log says so and the plain-listener observer sees it online.
  ::testing::AssertionResult online(DeskdOptions o) {
    if (auto r = start_deskd(std::move(o)); !r) return r;
    if (auto r = connect_observer(user_, password_); !r) return r;
    if (!observer_->wait_for(
            topic("availability"), [](const std::string& p) { return p == "online"; },
            seconds(10))) {
      return ::testing::AssertionFailure() << "not online:\n" << deskd_->log();
    }
    return ::testing::AssertionSuccess();
  }

  TestCa ca_;
  int tls_port_ = 0;
  std::string user_;
  std::string password_;
};

TEST_F(MqttTls, ConnectsWithTheCaFileAndServesCommands) {
  start_tls_broker(ca_.server("server", "DNS:localhost,IP:127.0.0.1"), false);
  ASSERT_TRUE(online(tls_desk("localhost")));
  EXPECT_TRUE(move_to(900)) << deskd_->log();
  EXPECT_EQ(deskd_->terminate(), 0);
}

TEST_F(MqttTls, RefusesABrokerWhoseCertificateIsFromAnotherCa) {
  TestCa other("some other CA");
  start_tls_broker(other.server("server", "DNS:localhost,IP:127.0.0.1"), false);
  ASSERT_TRUE(refused(tls_desk("localhost")));
}

TEST_F(MqttTls, RefusesABrokerWhoseCertificateNamesAnotherHost) {
  start_tls_broker(ca_.server("server", "DNS:broker.example.org"), false);
  ASSERT_TRUE(refused(tls_desk("localhost")));
}

TEST_F(MqttTls, RefusesAnIpAddressTheCertificateDoesNotName) {
  start_tls_broker(ca_.server("server", "DNS:localhost"), false);
  ASSERT_TRUE(refused(tls_desk("127.0.0.1")));
}

TEST_F(MqttTls, NeedsItsClientCertificateWhenTheBrokerRequiresOne) {
  start_tls_broker(ca_.server("server", "DNS:localhost,IP:127.0.0.1"), true);
  ASSERT_TRUE(refused(tls_desk("localhost")));
  deskd_.reset();
  const auto client = ca_.client("client", "deskd-itest");
  ASSERT_TRUE(online(tls_desk("localhost", "cert_file = \"" + client.cert_file +
                                               "\"\nkey_file = \"" + client.key_file + "\"\n")));
  EXPECT_TRUE(move_to(850)) << deskd_->log();
}

TEST_F(MqttTls, ReportsAWrongPasswordClearlyAndNeverLogsIt) {
  const std::string secret = "Zq7-correct-horse";
  const std::string wrong = "Xw3-wrong-battery";
  user_ = "desk";
  password_ = secret;
  Broker::Options o;
  o.username = user_;
  o.password = secret;
  start_tls_broker(ca_.server("server", "DNS:localhost,IP:127.0.0.1"), false, o);

  ASSERT_TRUE(
      refused(tls_desk("localhost", "username = \"desk\"\npassword = \"" + wrong + "\"\n")));
  // A loaded machine may see an earlier attempt fail otherwise (the TLS listener still starting):
  // the refusal is the line that names the broker's answer.
  ASSERT_TRUE(deskd_->process().wait_for_log("refused by the broker", seconds(15)))
      << deskd_->log();
  const std::string log = deskd_->log();
  const auto line = log.rfind('\n', log.find("refused by the broker")) + 1;
  const std::string why = log.substr(line, log.find('\n', line) - line);
  EXPECT_NE(why.find("MQTT: cannot connect to"), std::string::npos) << why;
  // Regression: this was "MQTT error [135]: Unknown error code 135".
  EXPECT_NE(why.find("refused by the broker: Not authorized"), std::string::npos) << why;
  EXPECT_NE(why.find("check [mqtt] username and password"), std::string::npos) << why;
  EXPECT_EQ(log.find(wrong), std::string::npos) << "the password is in the log:\n" << log;
  deskd_.reset();

  // The right password, from a password_file: connected, and the password appears nowhere.
  const std::string file = make_temp_dir("deskd-pw") + "/password";
  std::ofstream(file) << secret << "\n";
  ASSERT_TRUE(
      online(tls_desk("localhost", "username = \"desk\"\npassword_file = \"" + file + "\"\n")));
  EXPECT_TRUE(move_to(880)) << deskd_->log();
  EXPECT_EQ(deskd_->terminate(), 0);
  EXPECT_EQ(deskd_->log().find(secret), std::string::npos) << deskd_->log();
  // Nor does --check-config print it.
  std::string out;
  run_command({DESKD_BINARY, "--check-config", "--config", deskd_->config_path()}, out);
  EXPECT_EQ(out.find(secret), std::string::npos) << out;
}

}  // namespace
}  // namespace deskd::testing
