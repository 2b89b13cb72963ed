#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/desk_command.h"

namespace deskd::mqtt {

// Commands arriving on B/set (JSON) and B/set/<key> (plain value), DESIGN.md §8, decoded
// straight to core::DeskCommand (core/desk_command.h).
using core::GoToHeight;
using core::GoToPosition;
using core::GoToPosture;
using core::GoToPreset;
using core::RecordComfort;
using core::RunAction;
using core::SetScheduleEnabled;
using Action = core::DeskAction;
using Command = core::DeskCommand;

// A parsed command, or a message naming the problem ("invalid JSON", "unknown key 'hieght_mm'",
// "height_mm: expected an integer", "position: must be 0..100", "unknown action 'jump'").
using CommandResult = std::variant<Command, std::string>;

// B/set: a JSON object with exactly one command key.
CommandResult parse_set_json(std::string_view payload);
// B/set/<key>: `key` is the last topic level, `value` the plain payload (surrounding whitespace
// ignored). schedule_enabled accepts ON/OFF/true/false/1/0 (any case).
CommandResult parse_set_plain(std::string_view key, std::string_view value);

// The key used for the command on B/set ("height_mm", "action", ...).
std::string_view command_key(const Command& c);

std::string_view to_string(Action a);
std::optional<Action> action_from_string(std::string_view s);

}  // namespace deskd::mqtt
