#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace deskd::mqtt {

// Small helpers shared by the codecs. Errors are messages without the field name; callers
// prefix "<field>: ".

// An integer in [INT_MIN, INT_MAX]; integral doubles (1100.0) are accepted.
// Error: "expected an integer".
std::optional<int> json_int(const boost::json::value& v, std::string* error);
// Error: "expected true or false".
std::optional<bool> json_bool(const boost::json::value& v, std::string* error);
// Error: "expected a string".
std::optional<std::string> json_string(const boost::json::value& v, std::string* error);

// Parses `payload` as a JSON object. On failure returns nullopt and sets `error` to
// "invalid JSON" or "expected a JSON object".
std::optional<boost::json::object> parse_json_object(std::string_view payload, std::string* error);

}  // namespace deskd::mqtt
