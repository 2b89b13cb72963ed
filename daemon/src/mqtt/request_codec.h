#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/desk_settings.h"
#include "core/schedule_io.h"

namespace deskd::mqtt {

// B/request/<op> -> B/response/<op> envelopes (zigbee2mqtt style, DESIGN.md §8).

struct Request {
  boost::json::object body;  // the payload without "transaction"
  // "transaction" exactly as given (a string or a number), echoed back in the response.
  std::optional<boost::json::value> transaction;
};

// The requests deskd answers (the <op> of B/request/<op>).
enum class RequestOp {
  kScheduleGet,
  kScheduleSet,
  kSchedulePreview,
  kPresetsSet,
  kStatsGet,
  kEventsGet
};
// "schedule/get" -> kScheduleGet, ...; nullopt for an op deskd does not know.
std::optional<RequestOp> request_op_from_string(std::string_view op);
// Whether answering saves settings first (and so waits until the desk is idle).
bool request_saves(RequestOp op);

// An empty payload is an empty request. Errors: "invalid JSON", "expected a JSON object",
// "transaction: expected a string or a number".
std::variant<Request, std::string> parse_request(std::string_view payload);

// {"status":"ok","data":<data>,"transaction":<t>} ("transaction" omitted when absent).
std::string encode_response_ok(const boost::json::value& data,
                               const std::optional<boost::json::value>& transaction);
// {"status":"error","error":"<message>","transaction":<t>}.
std::string encode_response_error(std::string_view message,
                                  const std::optional<boost::json::value>& transaction);

// presets/set body {"presets":{"focus":1000,"sit":700,"stand":1120}}: every height must be an
// integer in [min_mm, max_mm] and every name a non-empty [a-zA-Z0-9_-] id. "sit"/"stand"
// are returned like the others; the caller maps them onto the sit/stand heights.
std::variant<std::map<std::string, int>, std::string> parse_presets_request(
    const boost::json::object& body, int min_mm, int max_mm);

// presets/set applied to `current`: the presets replaced, "sit" and "stand" taken as the posture
// heights, which must stay sit < stand. Errors as parse_presets_request's, or "presets: sit
// (1150 mm) must be below stand (1100 mm)".
std::variant<core::DeskSettings, std::string> apply_presets_request(
    const boost::json::object& body, const core::DeskSettings& current, int min_mm, int max_mm);
// The presets/set answer: {"presets":{...},"sit_height_mm":720,"stand_height_mm":1100}.
boost::json::object presets_to_json(const core::DeskSettings& s);
// The schedule/preview answer: {"changes":[{"at":"<local ISO 8601>","posture":"standing"},...]}.
boost::json::object preview_to_json(const std::vector<core::PlannedChange>& changes);

// A body with at most one field `key`, an integer in 1..max ({"days":N} for stats/get,
// {"limit":N} for events/get); `fallback` when absent. Errors: "days: must be 1..400",
// "x: unknown field".
std::variant<int, std::string> parse_count_request(const boost::json::object& body,
                                                   std::string_view key, int fallback, int max);

}  // namespace deskd::mqtt
