#include "mqtt/json_util.h"

#include <boost/json/parse.hpp>
#include <climits>
#include <cmath>

namespace deskd::mqtt {

std::optional<int> json_int(const boost::json::value& v, std::string* error) {
  if (v.is_int64()) {
    const std::int64_t i = v.get_int64();
    if (i >= INT_MIN && i <= INT_MAX) return static_cast<int>(i);
    *error = "out of range";
    return std::nullopt;
  }
  if (v.is_uint64()) {
    *error = "out of range";
    return std::nullopt;
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (std::isfinite(d) && d == std::floor(d)) {
      if (d >= INT_MIN && d <= INT_MAX) return static_cast<int>(d);
      *error = "out of range";
      return std::nullopt;
    }
  }
  *error = "expected an integer";
  return std::nullopt;
}

std::optional<bool> json_bool(const boost::json::value& v, std::string* error) {
  if (v.is_bool()) return v.get_bool();
  *error = "expected true or false";
  return std::nullopt;
}

std::optional<std::string> json_string(const boost::json::value& v, std::string* error) {
  if (v.is_string()) return std::string(v.get_string());
  *error = "expected a string";
  return std::nullopt;
}

std::optional<boost::json::object> parse_json_object(std::string_view payload, std::string* error) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(payload, ec);
  if (ec) {
    *error = "invalid JSON";
    return std::nullopt;
  }
  if (!v.is_object()) {
    *error = "expected a JSON object";
    return std::nullopt;
  }
  return std::move(v.as_object());
}

}  // namespace deskd::mqtt
