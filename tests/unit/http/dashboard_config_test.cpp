#include "http/dashboard_config.h"

#include <gtest/gtest.h>

namespace deskd::http {
namespace {

TEST(DashboardConfig, CarriesBrokerUrlBaseTopicDeskIdAndVersion) {
  config::Config config;
  config.web.broker_ws_url = "ws://pi.local:9001";
  config.mqtt.base_topic = "office/desks";
  config.desk.id = "desk-7";
  config.desk.name = "Desk 7";
  config.web.mqtt_bridge = false;
  EXPECT_EQ(dashboard_config_json(config, "1.2.3"),
            R"({"broker_ws_url":"ws://pi.local:9001","base_topic":"office/desks",)"
            R"("desk_id":"desk-7","desk_name":"Desk 7","version":"1.2.3","units":"mm"})");
}

TEST(DashboardConfig, NamesTheBridgePathWhenDeskdRelaysMqtt) {
  config::Config config;
  config.mqtt.uri = "tcp://127.0.0.1:1884";
  const auto json = dashboard_config_json(config, "v");
  EXPECT_NE(json.find(R"("mqtt_ws_path":"/mqtt")"), std::string::npos) << json;
  const auto target = mqtt_bridge_target(config);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->host, "127.0.0.1");
  EXPECT_EQ(target->port, 1884);
  EXPECT_EQ(target->path, "/mqtt");
}

TEST(DashboardConfig, NoBridgeWhenSwitchedOffOrTheBrokerUriIsNotPlainTcp) {
  config::Config config;
  config.mqtt.uri = "tcp://127.0.0.1:1884";
  config.web.mqtt_bridge = false;
  EXPECT_FALSE(mqtt_bridge_target(config));
  EXPECT_EQ(dashboard_config_json(config, "v").find("mqtt_ws_path"), std::string::npos);
  config.web.mqtt_bridge = true;
  for (const char* uri : {"ssl://broker:8883", "ws://broker:9001", "wss://broker/mqtt"}) {
    config.mqtt.uri = uri;
    EXPECT_FALSE(mqtt_bridge_target(config)) << uri;
    EXPECT_EQ(dashboard_config_json(config, "v").find("mqtt_ws_path"), std::string::npos) << uri;
  }
}

TEST(DashboardConfig, EscapesQuotesBackslashesAndControlCharacters) {
  config::Config config;
  config.desk.name = "A \"big\" desk\\\n\x01";
  const auto json = dashboard_config_json(config, "v");
  EXPECT_NE(json.find(R"("desk_name":"A \"big\" desk\\\n\u0001")"), std::string::npos) << json;
}

}  // namespace
}  // namespace deskd::http
