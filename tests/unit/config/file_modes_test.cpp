// Who else may read deskd's secrets or write its state (issue 19, finding 7): a password others
// can read is reported, a state directory others can write is refused, and [mqtt] uri carries
// no credentials.
#include "config/file_modes.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "config/config_loader.h"
#include "config/state_store.h"
#include "temp_dir.h"

namespace deskd::config {
namespace {

std::string load_error(const std::string& text) {
  auto result = parse_config(text, "t.toml");
  if (auto* e = std::get_if<ConfigError>(&result)) return e->to_string();
  return "(loaded without error)";
}

TEST(MqttUriCredentials, when_the_uri_holds_a_password_expect_an_error_that_does_not_repeat_it) {
  for (const std::string uri : {"tcp://alice:pw@broker:1883", "ssl://alice:pw@broker",
                                "tcp://alice@broker:1883", "ws://alice:pw@broker:9001/mqtt"}) {
    SCOPED_TRACE(uri);
    const std::string e = load_error("[gpio]\nbackend = \"sim\"\n[mqtt]\nuri = \"" + uri + "\"\n");
    EXPECT_EQ(e.rfind("t.toml:4:7: mqtt.uri: must not carry a user name or password", 0), 0u) << e;
    EXPECT_NE(e.find("use the [mqtt] username and password (or password_file) keys"),
              std::string::npos)
        << e;
    EXPECT_EQ(e.find("pw"), std::string::npos) << e;
  }
}

TEST(MqttUriCredentials, AnAtSignInAWebSocketPathIsNotUserInfo) {
  auto r = parse_config("[gpio]\nbackend = \"sim\"\n[mqtt]\nuri = \"ws://broker:9001/mqtt@x\"\n",
                        "t.toml");
  EXPECT_TRUE(std::holds_alternative<Config>(r));
}

class SecretFileWarnings : public ::testing::Test {
 protected:
  Config config_with(const std::string& password, const std::string& password_file = "") {
    Config c;
    c.path = dir_.file("deskd.toml");
    std::ofstream(c.path) << "# a config\n";
    c.mqtt.password = password;
    c.mqtt.password_file = password_file;
    return c;
  }
  TempDir dir_;
};

TEST_F(SecretFileWarnings, when_an_inline_password_is_readable_by_others_expect_a_warning) {
  const Config c = config_with("pw");
  ASSERT_EQ(chmod(c.path.c_str(), 0644), 0);
  const auto w = secret_file_warnings(c);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].rfind(c.path +
                           " holds the MQTT password and is readable by every user (mode "
                           "0644): chmod 600 " +
                           c.path,
                       0),
            0u)
      << w[0];
  EXPECT_NE(w[0].find("password_file"), std::string::npos);
  ASSERT_EQ(chmod(c.path.c_str(), 0640), 0);
  ASSERT_EQ(secret_file_warnings(c).size(), 1u);
  EXPECT_NE(secret_file_warnings(c)[0].find("readable by its group"), std::string::npos);
}

TEST_F(SecretFileWarnings, APrivateFileOrNoPasswordIsNoWarning) {
  Config c = config_with("pw");
  ASSERT_EQ(chmod(c.path.c_str(), 0600), 0);
  EXPECT_TRUE(secret_file_warnings(c).empty());
  c = config_with("");
  ASSERT_EQ(chmod(c.path.c_str(), 0644), 0);
  EXPECT_TRUE(secret_file_warnings(c).empty());
}

TEST_F(SecretFileWarnings, when_a_password_file_is_readable_by_others_expect_a_warning_naming_it) {
  const std::string file = dir_.file("mqtt.pass");
  std::ofstream(file) << "pw\n";
  const Config c = config_with("pw", file);
  ASSERT_EQ(chmod(c.path.c_str(), 0644), 0);  // the config itself holds no secret
  ASSERT_EQ(chmod(file.c_str(), 0604), 0);
  const auto w = secret_file_warnings(c);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].rfind(file + " holds the MQTT password and is readable by every user", 0), 0u)
      << w[0];
  ASSERT_EQ(chmod(file.c_str(), 0600), 0);
  EXPECT_TRUE(secret_file_warnings(c).empty());
}

TEST(StateDirMode, when_others_can_write_the_state_directory_expect_a_refusal) {
  TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 0777), 0);
  const auto e = StateStore(dir.path()).ensure_dir();
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("is writable by every user (mode 0777)"), std::string::npos) << *e;
  ASSERT_EQ(chmod(dir.path().c_str(), 0775), 0);
  ASSERT_TRUE(state_dir_mode_problem(dir.path()));
  EXPECT_NE(state_dir_mode_problem(dir.path())->find("writable by its group"), std::string::npos);
  ASSERT_EQ(chmod(dir.path().c_str(), 01777), 0);  // sticky like /tmp: still shared
  EXPECT_TRUE(state_dir_mode_problem(dir.path()));
}

TEST(StateDirMode, ModesLikeSystemdsStateDirectoryPass) {
  TempDir dir;
  for (mode_t mode : {0755, 0750, 0700}) {
    ASSERT_EQ(chmod(dir.path().c_str(), mode), 0);
    EXPECT_EQ(StateStore(dir.path()).ensure_dir(), std::nullopt) << std::oct << mode;
  }
}

TEST(StateDirMode, ADirectoryDeskdCreatesIsNotWritableByOthersWhateverTheUmask) {
  TempDir dir;
  const mode_t old = umask(0);
  const auto e = StateStore(dir.file("state")).ensure_dir();
  umask(old);
  EXPECT_EQ(e, std::nullopt);
  struct stat st {};
  ASSERT_EQ(stat(dir.file("state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0022, 0u) << std::oct << st.st_mode;
}

}  // namespace
}  // namespace deskd::config
