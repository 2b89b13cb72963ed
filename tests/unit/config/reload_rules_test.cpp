#include "config/reload_rules.h"

#include <gtest/gtest.h>

namespace deskd::config {
namespace {

Config running() {
  Config c;
  c.path = "/etc/deskd/deskd.toml";
  c.desk.id = "office";
  c.desk.sit_height_mm = 720;
  c.schedule.presence_topic = "home/office/presence";
  c.mqtt.uri = "tcp://127.0.0.1:18830";
  return c;
}

TEST(ReloadRules, MotionDeskAndScheduleTakeEffectButTheTopicsStay) {
  Config next = running();
  next.motion.tolerance_mm = 7;
  next.desk.sit_height_mm = 700;
  next.desk.id = "renamed";
  next.schedule.presence_topic = "elsewhere/presence";
  next.schedule.sit_minutes = 40;
  next.mqtt.uri = "tcp://10.0.0.2:18830";
  const Config r = reloaded(running(), next);
  EXPECT_EQ(r.motion.tolerance_mm, 7);
  EXPECT_EQ(r.desk.sit_height_mm, 700);
  EXPECT_EQ(r.schedule.sit_minutes, 40);
  EXPECT_EQ(r.desk.id, "office") << "the MQTT topics are made at start-up";
  EXPECT_EQ(r.schedule.presence_topic, "home/office/presence");
  EXPECT_EQ(r.mqtt.uri, "tcp://127.0.0.1:18830") << "[mqtt] needs a restart";
  EXPECT_EQ(r.path, "/etc/deskd/deskd.toml");
}

TEST(ReloadRules, OnlyStartUpSettingsNeedARestart) {
  Config next = running();
  next.motion.tolerance_mm = 7;
  next.schedule.sit_minutes = 40;
  EXPECT_FALSE(needs_restart(running(), next));
  for (auto change : {+[](Config& c) { c.mqtt.uri = "tcp://10.0.0.2:18830"; },
                      +[](Config& c) { c.desk.id = "renamed"; },
                      +[](Config& c) { c.schedule.presence_topic = "x/presence"; },
                      +[](Config& c) { c.web.listen = "127.0.0.1:9090"; },
                      +[](Config& c) { c.state.dir = "/tmp/elsewhere"; },
                      +[](Config& c) { c.gpio.chip = "gpiochip4"; }}) {
    Config n = running();
    change(n);
    EXPECT_TRUE(needs_restart(running(), n));
  }
}

}  // namespace
}  // namespace deskd::config
