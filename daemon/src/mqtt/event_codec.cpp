#include "mqtt/event_codec.h"

#include <boost/json/serialize.hpp>

namespace deskd::mqtt {

std::string encode_event(std::string_view type, const boost::json::object& fields) {
  boost::json::object o;
  o.reserve(fields.size() + 1);
  o["type"] = type;
  for (const auto& [k, v] : fields) {
    if (k != "type") o[k] = v;
  }
  return boost::json::serialize(o);
}

std::string encode_error_event(std::string_view message, std::string_view command) {
  boost::json::object fields;
  fields["error"] = message;
  if (!command.empty()) fields["command"] = command;
  return encode_event("error", fields);
}

}  // namespace deskd::mqtt
