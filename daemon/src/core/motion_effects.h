#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/motion_types.h"
#include "core/move_source.h"

namespace deskd::core {

// Something that happened, for B/event and the log.
struct MotionNotice {
  enum class Kind { kMoveStarted, kMoveFinished, kFault, kManualMove, kCalibrated, kStopped };
  Kind kind;
  MoveSource source = MoveSource::kOther;
  std::optional<int> target_mm;
  std::optional<double> from_mm;
  std::optional<double> height_mm;
  Fault fault = Fault::kNone;
  std::string detail;
  // kMoveFinished: the height minus the target when that is outside tolerance_mm (not on target).
  std::optional<double> off_target_mm;
  // kMoveFinished: how far the height may be off (lost encoder steps since the last re-zero).
  std::optional<double> uncertainty_mm;
  // kMoveStarted / kMoveFinished of a nudge (out and back): no posture change of the user's.
  bool nudge = false;
};

// How a stop ends the move frames of a controller that runs on after the last one it got (Loctek
// has no stop command). kNow: no further frame (every stop asked for, every fault, every limit).
// kAfterOneFrame: one more move frame now, then none, so the motor stops run_on from now: a stop
// at a target timed between two of the backend's repeats. Outputs that stop at once ignore it.
enum class StopStyle { kNow, kAfterOneFrame };

// Set the motor outputs to `drive` now.
struct SetDrive {
  Drive drive = Drive::kNone;
  StopStyle stop = StopStyle::kNow;
};

using MotionEffect = std::variant<SetDrive, MotionNotice>;

// What one event asks of the caller, in order: a stop followed by a start inside one event is two
// SetDrive steps (the caller applies each, so the outputs pass through "none").
struct MotionEffects {
  std::vector<MotionEffect> steps;
  std::optional<std::string> error;  // the command was refused; nothing changed

  void drive(Drive d, StopStyle stop = StopStyle::kNow) { steps.emplace_back(SetDrive{d, stop}); }
  void notice(MotionNotice n) { steps.emplace_back(std::move(n)); }
  // The drive the outputs have after all steps; nullopt if no step sets it.
  std::optional<Drive> last_drive() const;
  std::vector<MotionNotice> notices() const;
};

inline std::optional<Drive> MotionEffects::last_drive() const {
  std::optional<Drive> d;
  for (const auto& s : steps) {
    if (const auto* set = std::get_if<SetDrive>(&s)) d = set->drive;
  }
  return d;
}

inline std::vector<MotionNotice> MotionEffects::notices() const {
  std::vector<MotionNotice> out;
  for (const auto& s : steps) {
    if (const auto* n = std::get_if<MotionNotice>(&s)) out.push_back(*n);
  }
  return out;
}

}  // namespace deskd::core
