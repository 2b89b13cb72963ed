#include "http/dashboard_config.h"

#include <boost/json.hpp>

#include "config/broker_endpoint.h"

namespace deskd::http {

std::string dashboard_config_json(const config::Config& config, std::string_view version) {
  boost::json::object o{
      {"broker_ws_url", config.web.broker_ws_url},
      {"base_topic", config.mqtt.base_topic},
      {"desk_id", config.desk.id},
      {"desk_name", config.desk.name},
      {"version", version},
  };
  if (auto bridge = mqtt_bridge_target(config)) o["mqtt_ws_path"] = bridge->path;
  return boost::json::serialize(o);
}

std::optional<MqttBridgeTarget> mqtt_bridge_target(const config::Config& config) {
  if (!config.web.mqtt_bridge) return std::nullopt;
  const auto e = config::parse_broker_endpoint(config.mqtt.uri);
  if (!e || e->transport != config::BrokerEndpoint::Transport::kTcp) return std::nullopt;
  MqttBridgeTarget t;
  t.host = e->host;
  t.port = static_cast<unsigned short>(e->port);
  return t;
}

}  // namespace deskd::http
