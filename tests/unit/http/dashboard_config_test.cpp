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
  EXPECT_EQ(dashboard_config_json(config, "1.2.3"),
            R"({"broker_ws_url":"ws://pi.local:9001","base_topic":"office/desks",)"
            R"("desk_id":"desk-7","desk_name":"Desk 7","version":"1.2.3"})");
}

TEST(DashboardConfig, EscapesQuotesBackslashesAndControlCharacters) {
  config::Config config;
  config.desk.name = "A \"big\" desk\\\n\x01";
  const auto json = dashboard_config_json(config, "v");
  EXPECT_NE(json.find(R"("desk_name":"A \"big\" desk\\\n\u0001")"), std::string::npos) << json;
}

}  // namespace
}  // namespace deskd::http
