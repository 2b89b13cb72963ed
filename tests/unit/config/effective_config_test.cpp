#include "config/effective_config.h"

#include <gtest/gtest.h>

#include <string>

#include "config/atomic_file.h"
#include "config/config_loader.h"
#include "sample_configs.h"
#include "temp_dir.h"

namespace deskd::config {
namespace {

Config load_ok(const std::string& text, const std::string& path) {
  auto result = parse_config(text, path);
  if (auto* e = std::get_if<ConfigError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << e->to_string() << "\n" << text;
    return Config{};
  }
  return std::get<Config>(result);
}

void expect_same_motion(const core::MotionSettings& a, const core::MotionSettings& b) {
  EXPECT_EQ(a.min_height_mm, b.min_height_mm);
  EXPECT_EQ(a.max_height_mm, b.max_height_mm);
  EXPECT_EQ(a.bottom_height_mm, b.bottom_height_mm);
  EXPECT_EQ(a.top_height_mm, b.top_height_mm);
  EXPECT_EQ(a.sensor, b.sensor);
  EXPECT_EQ(a.mm_per_count, b.mm_per_count);
  EXPECT_EQ(a.has_limit_bottom, b.has_limit_bottom);
  EXPECT_EQ(a.has_limit_top, b.has_limit_top);
  EXPECT_EQ(a.up_speed_mm_s, b.up_speed_mm_s);
  EXPECT_EQ(a.down_speed_mm_s, b.down_speed_mm_s);
  EXPECT_EQ(a.reverse_delay, b.reverse_delay);
  EXPECT_EQ(a.max_run, b.max_run);
  EXPECT_EQ(a.deadline_margin, b.deadline_margin);
  EXPECT_EQ(a.stall_timeout, b.stall_timeout);
  EXPECT_EQ(a.obstruction_ratio, b.obstruction_ratio);
  EXPECT_EQ(a.backoff_mm, b.backoff_mm);
  EXPECT_EQ(a.tolerance_mm, b.tolerance_mm);
  EXPECT_EQ(a.nudge_mm, b.nudge_mm);
  EXPECT_EQ(a.bus_stale, b.bus_stale);
}

void expect_same_config(const Config& a, const Config& b) {
  EXPECT_EQ(a.desk, b.desk);
  EXPECT_EQ(a.gpio, b.gpio);
  EXPECT_EQ(a.sensor, b.sensor);
  expect_same_motion(a.motion, b.motion);
  EXPECT_EQ(a.schedule, b.schedule);
  EXPECT_EQ(a.bus, b.bus);
  EXPECT_EQ(a.ble, b.ble);
  EXPECT_EQ(a.sim, b.sim);
  EXPECT_EQ(a.mqtt, b.mqtt);
  EXPECT_EQ(a.web, b.web);
  EXPECT_EQ(a.state, b.state);
}

std::string without_first_line(const std::string& text) { return text.substr(text.find('\n')); }

TEST(EffectiveConfig, FullConfigRoundTripsToAnEqualConfig) {
  const Config first = load_ok(kFullConfig, "full.toml");
  const std::string text = effective_config_toml(first, /*reveal_secrets=*/true);
  const Config second = load_ok(text, "effective.toml");
  expect_same_config(first, second);
  EXPECT_EQ(without_first_line(effective_config_toml(second, true)), without_first_line(text));
}

TEST(EffectiveConfig, DefaultsRoundTripToAnEqualConfig) {
  const Config first = load_ok("[gpio]\nbackend = \"sim\"\n", "min.toml");
  const Config second = load_ok(effective_config_toml(first), "effective.toml");
  expect_same_config(first, second);
}

TEST(EffectiveConfig, BusConfigRoundTripsToAnEqualConfig) {
  const Config first = load_ok(
      "[sensor]\nkind = \"bus\"\n[bus]\nprotocol = \"loctek\"\ndevice = \"/dev/ttyAMA0\"\n"
      "baud = 19200\nmotion = \"bus\"\nstale_ms = 300\nheight_unit = \"inch_tenths\"\n"
      "wake_line = 23\n",
      "bus.toml");
  ASSERT_TRUE(first.bus.has_value());
  const Config second = load_ok(effective_config_toml(first), "effective.toml");
  expect_same_config(first, second);
}

TEST(EffectiveConfig, ShippedConfigsRoundTrip) {
  for (const char* name : {"deskd.toml", "demo.toml", "examples/jiecang-uart.toml",
                           "examples/loctek-uart.toml", "examples/linak-ble.toml"}) {
    auto loaded = load_config(std::string(DESKD_SOURCE_DIR) + "/config/" + name);
    ASSERT_TRUE(std::holds_alternative<Config>(loaded)) << name;
    const Config& first = std::get<Config>(loaded);
    expect_same_config(first, load_ok(effective_config_toml(first), "/elsewhere/effective.toml"));
  }
}

TEST(EffectiveConfig, ShowsDefaultsAndResolvedValues) {
  const Config c = load_ok("[gpio]\nbackend = \"sim\"\n[desk]\nid = \"a\"\n", "/etc/deskd.toml");
  const std::string text = effective_config_toml(c);
  EXPECT_NE(text.find("# Effective configuration loaded from /etc/deskd.toml\n"),
            std::string::npos);
  EXPECT_NE(text.find("name = \"Desk a\"\n"), std::string::npos);
  EXPECT_NE(text.find("client_id = \"deskd-a\"\n"), std::string::npos);
  EXPECT_NE(text.find("sit_minutes = 30\n"), std::string::npos);
  EXPECT_NE(text.find("reverse_delay_ms = 500\n"), std::string::npos);
  EXPECT_NE(text.find("obstruction_ratio = 0.4\n"), std::string::npos);
  EXPECT_NE(text.find("start_height_mm = 620\n"), std::string::npos);
  EXPECT_NE(text.find("[schedule.progression]\n"), std::string::npos);
  EXPECT_NE(text.find("dir = \"/var/lib/deskd\"\n"), std::string::npos);
}

TEST(EffectiveConfig, InlinePasswordIsHiddenUnlessRevealed) {
  const Config c = load_ok(kFullConfig, "full.toml");
  const std::string hidden = effective_config_toml(c);
  EXPECT_EQ(hidden.find("hunter2"), std::string::npos);
  EXPECT_NE(hidden.find("# password: set (hidden)\n"), std::string::npos);
  EXPECT_NE(effective_config_toml(c, true).find("password = \"hunter2\"\n"), std::string::npos);
}

TEST(EffectiveConfig, PasswordFileIsShownByPathNotContent) {
  TempDir dir;
  ASSERT_FALSE(write_file_atomically(dir.file("pw"), "topsecret\n").has_value());
  const Config c = load_ok(
      "[gpio]\nbackend = \"sim\"\n[mqtt]\npassword_file = \"" + dir.file("pw") + "\"\n", "x.toml");
  const std::string text = effective_config_toml(c, true);
  EXPECT_EQ(text.find("topsecret"), std::string::npos);
  EXPECT_NE(text.find("password_file = \"" + dir.file("pw") + "\"\n"), std::string::npos);
  EXPECT_EQ(load_ok(text, "y.toml").mqtt.password, "topsecret");
}

}  // namespace
}  // namespace deskd::config
