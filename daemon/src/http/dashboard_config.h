#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "http/mqtt_ws_bridge.h"

namespace deskd::http {

// The body of /config.json, which tells the dashboard page where its broker is:
//   {"broker_ws_url":"ws://localhost:9001","base_topic":"deskd","desk_id":"office",
//    "desk_name":"Office desk","version":"0.1.0"}
// (web/src/config.ts decodes it; the page swaps a loopback broker host for its own host.)
// With the MQTT bridge on, it also carries "mqtt_ws_path":"/mqtt": the page then connects to
// ws(s)://<its own host>/mqtt and ignores broker_ws_url.
std::string dashboard_config_json(const config::Config& config, std::string_view version);

// Where the page's MQTT is relayed: the [mqtt] uri's host and port, when `[web] mqtt_bridge` is
// on and the uri is plain tcp:// (TLS and WebSocket broker URIs are not bridged; the page then
// uses broker_ws_url).
std::optional<MqttBridgeTarget> mqtt_bridge_target(const config::Config& config);

// The broker sources for the dashboard's Content-Security-Policy connect-src (dashboard_csp()):
// empty with the bridge (the page connects to its own origin), else the broker_ws_url's
// scheme, host and port ("ws://*:9001" for a loopback host, which the page swaps for its own).
std::string dashboard_broker_sources(const config::Config& config);

}  // namespace deskd::http
