#include "http/dashboard_config.h"

#include <boost/json.hpp>

namespace deskd::http {

std::string dashboard_config_json(const config::Config& config, std::string_view version) {
  return boost::json::serialize(boost::json::object{
      {"broker_ws_url", config.web.broker_ws_url},
      {"base_topic", config.mqtt.base_topic},
      {"desk_id", config.desk.id},
      {"desk_name", config.desk.name},
      {"version", version},
  });
}

}  // namespace deskd::http
