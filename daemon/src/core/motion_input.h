#pragma once

#include <string>
#include <variant>

#include "core/input_snapshot.h"
#include "core/move_source.h"

namespace deskd::core {

// The events the motion state machine handles.
struct MotionCommand {
  enum class Kind { kGoTo, kStop, kClearFault, kCalibrate, kNudge };
  Kind kind = Kind::kStop;
  int target_mm = 0;                       // kGoTo only
  MoveSource source = MoveSource::kOther;  // who asked, echoed in the notices
};
struct InputsChanged {  // the backend's inputs changed (encoder, limit switches, handset, bus)
  InputSnapshot inputs;
};
struct DeadlineReached {};  // next_deadline() has passed
struct OutputFailed {       // the backend could not set the outputs
  std::string detail;
};
using MotionInput = std::variant<MotionCommand, InputsChanged, DeadlineReached, OutputFailed>;

}  // namespace deskd::core
