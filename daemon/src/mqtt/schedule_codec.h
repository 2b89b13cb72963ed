#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <variant>

#include "core/schedule_settings.h"

namespace deskd::mqtt {

// The B/schedule document (retained) and schedule/set patches. Presence settings are not part
// of the document: they come from the config file only.

// The whole document: enabled, mode, sit_minutes, stand_minutes, warn_seconds, snooze_minutes,
// nudge, max_auto_moves_per_day, require_time_sync, windows {mon..sun: ["HH:MM-HH:MM"]},
// skip_dates ["YYYY-MM-DD"], progression {...,start_date (string or null)}, breaks {...}.
boost::json::object schedule_to_json(const core::ScheduleSettings& s);
std::string encode_schedule(const core::ScheduleSettings& s);

// Applies a partial document to `current`: fields present replace the current value; in
// `windows`, `progression` and `breaks` only the sub-keys given are replaced. A "transaction"
// key is ignored. Unknown fields, wrong types, malformed windows/dates and values that fail
// core::validate() are errors ("sit_minutes: expected an integer", "windows.mon[1]: malformed
// window '9-12'", "frobnicate: unknown field"); on error nothing of the patch applies.
std::variant<core::ScheduleSettings, std::string> apply_schedule_patch(
    const core::ScheduleSettings& current, const boost::json::object& patch);

}  // namespace deskd::mqtt
