#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/motion_types.h"

namespace deskd::mqtt {

// Commands arriving on B/set (JSON) and B/set/<key> (plain value), DESIGN.md §8.

struct GoToHeight {
  int mm = 0;
  friend bool operator==(const GoToHeight&, const GoToHeight&) = default;
};
struct GoToPosition {
  int position = 0;  // 0..100 (checked by the parser)
  friend bool operator==(const GoToPosition&, const GoToPosition&) = default;
};
struct GoToPosture {
  core::Posture posture = core::Posture::kSitting;  // kSitting or kStanding only
  friend bool operator==(const GoToPosture&, const GoToPosture&) = default;
};
struct GoToPreset {
  std::string name;
  friend bool operator==(const GoToPreset&, const GoToPreset&) = default;
};

enum class Action {
  kStop,
  kClearFault,
  kCalibrate,
  kConfirm,
  kSnooze,
  kSkip,
  kPauseToday,
  kResume,
  kNudge,
};
struct RunAction {
  Action action = Action::kStop;
  friend bool operator==(const RunAction&, const RunAction&) = default;
};
struct SetScheduleEnabled {
  bool enabled = true;
  friend bool operator==(const SetScheduleEnabled&, const SetScheduleEnabled&) = default;
};

using Command =
    std::variant<GoToHeight, GoToPosition, GoToPosture, GoToPreset, RunAction, SetScheduleEnabled>;

// A parsed command, or a message naming the problem ("invalid JSON", "unknown key 'hieght_mm'",
// "height_mm: expected an integer", "position: must be 0..100", "unknown action 'jump'").
using CommandResult = std::variant<Command, std::string>;

// B/set: a JSON object with exactly one command key.
CommandResult parse_set_json(std::string_view payload);
// B/set/<key>: `key` is the last topic level, `value` the plain payload (surrounding whitespace
// ignored). schedule_enabled accepts ON/OFF/true/false/1/0 (any case).
CommandResult parse_set_plain(std::string_view key, std::string_view value);

// Checks what needs the desk's current limits: a height within [min_mm, max_mm] and a preset
// that exists. Returns nullopt when the command may be carried out, else the message.
std::optional<std::string> check_command_limits(const Command& c, int min_mm, int max_mm,
                                                const std::map<std::string, int>& presets);

// True for commands that move the desk (refused while a fault is latched).
bool is_motion_command(const Command& c);

// The key used for the command on B/set ("height_mm", "action", ...).
std::string_view command_key(const Command& c);

std::string_view to_string(Action a);
std::optional<Action> action_from_string(std::string_view s);

}  // namespace deskd::mqtt
