#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace deskd::http {

// The body of /config.json, which tells the dashboard page where its broker is:
//   {"broker_ws_url":"ws://localhost:9001","base_topic":"deskd","desk_id":"office",
//    "desk_name":"Office desk","version":"0.1.0"}
// (web/src/config.ts decodes it; the page swaps a loopback broker host for its own host.)
std::string dashboard_config_json(const config::Config& config, std::string_view version);

}  // namespace deskd::http
