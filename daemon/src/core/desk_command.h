#pragma once

#include <string>
#include <variant>

#include "core/motion_types.h"

namespace deskd::core {

// What the owner asks of the desk (B/set and B/set/<key>, the dashboard, Home Assistant), decoded
// once by the MQTT codec (mqtt/command_codec.h names the keys).

struct GoToHeight {
  int mm = 0;
  friend bool operator==(const GoToHeight&, const GoToHeight&) = default;
};
struct GoToPosition {
  int position = 0;  // 0..100 over [min_height_mm, max_height_mm] (checked by the parser)
  friend bool operator==(const GoToPosition&, const GoToPosition&) = default;
};
struct GoToPosture {
  Posture posture = Posture::kSitting;  // kSitting or kStanding only
  friend bool operator==(const GoToPosture&, const GoToPosture&) = default;
};
struct GoToPreset {
  std::string name;  // "sit" and "stand" are the posture heights; others are saved presets
  friend bool operator==(const GoToPreset&, const GoToPreset&) = default;
};

enum class DeskAction {
  kStop,
  kClearFault,
  kCalibrate,
  kConfirm,
  kSnooze,
  kSkip,
  kPauseToday,
  kResume,
  kNudge,
  kWalked,     // the answer to "Did you walk?" after a movement break: yes
  kNotWalked,  // ... no
};
struct RunAction {
  DeskAction action = DeskAction::kStop;
  friend bool operator==(const RunAction&, const RunAction&) = default;
};
// Saved before it takes effect (the runner's settings path), then handed to Desk as a
// ScheduleSaved event.
struct SetScheduleEnabled {
  bool enabled = true;
  friend bool operator==(const SetScheduleEnabled&, const SetScheduleEnabled&) = default;
};

// A comfort answer, "How does your back feel?" (issue 24 §3): 1..5, checked again by the core.
struct RecordComfort {
  int value = 0;
  friend bool operator==(const RecordComfort&, const RecordComfort&) = default;
};

using DeskCommand = std::variant<GoToHeight, GoToPosition, GoToPosture, GoToPreset, RunAction,
                                 SetScheduleEnabled, RecordComfort>;

}  // namespace deskd::core
