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
      {"units", config.web.units},
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

std::string dashboard_broker_sources(const config::Config& config) {
  if (mqtt_bridge_target(config) || config.web.broker_ws_url.empty()) return {};
  const auto e = config::parse_broker_endpoint(config.web.broker_ws_url);
  if (!e) return {};
  const bool secure = e->transport == config::BrokerEndpoint::Transport::kSecureWebSocket;
  const std::string scheme = secure ? "wss://" : "ws://";
  const std::string port = ":" + std::to_string(e->port);
  const bool loopback =
      e->host == "localhost" || e->host == "127.0.0.1" || e->host == "::1" || e->host == "0.0.0.0";
  // A loopback broker host means "the machine serving the page" (web/src/config.ts swaps it
  // for the page's own host), which only the browser knows.
  if (loopback) return scheme + "*" + port;
  const bool v6 = e->host.find(':') != std::string::npos;
  return scheme + (v6 ? "[" + e->host + "]" : e->host) + port;
}

}  // namespace deskd::http
