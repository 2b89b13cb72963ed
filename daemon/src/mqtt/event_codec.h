#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace deskd::mqtt {

// A B/event payload: {"type":"<type>", ...fields}. Types and their fields are listed in the
// agreed shapes (warning, prompt, reminder, move_started, move_finished, manual_move, fault,
// error, declined, snoozed, break, clock_jump). A "type" inside `fields` is overridden.
std::string encode_event(std::string_view type, const boost::json::object& fields = {});

// {"type":"error","error":"<message>"} plus "command" when `command` is not empty (the
// offending topic or payload, so the sender can tell which command was refused).
std::string encode_error_event(std::string_view message, std::string_view command = {});

}  // namespace deskd::mqtt
