#include "http/dashboard_config.h"

#include <array>
#include <cstdio>

namespace deskd::http {
namespace {

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::array<char, 8> escaped{};
          std::snprintf(escaped.data(), escaped.size(), "\\u%04x", static_cast<unsigned>(c));
          out += escaped.data();
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::string dashboard_config_json(const config::Config& config, std::string_view version) {
  std::string out = "{\"broker_ws_url\":";
  append_json_string(out, config.web.broker_ws_url);
  out += ",\"base_topic\":";
  append_json_string(out, config.mqtt.base_topic);
  out += ",\"desk_id\":";
  append_json_string(out, config.desk.id);
  out += ",\"desk_name\":";
  append_json_string(out, config.desk.name);
  out += ",\"version\":";
  append_json_string(out, version);
  out += "}";
  return out;
}

}  // namespace deskd::http
