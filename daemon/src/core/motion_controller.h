#pragma once

#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/coast_learner.h"
#include "core/input_snapshot.h"
#include "core/motion_settings.h"
#include "core/motion_types.h"
#include "core/time.h"

namespace deskd::core {

// ---- Inputs to the state machine -------------------------------------------------------------

struct MotionCommand {
  enum class Kind { kGoTo, kStop, kClearFault, kCalibrate, kNudge };
  Kind kind = Kind::kStop;
  int target_mm = 0;   // kGoTo only
  std::string source;  // who asked ("mqtt", "schedule", "button", ...), echoed in notices
};
struct InputsChanged {  // the backend's inputs changed (encoder, limit switches, handset)
  InputSnapshot inputs;
};
struct DeadlineReached {};  // next_deadline() has passed
struct OutputFailed {       // the backend could not set the outputs
  std::string detail;
};
using MotionInput = std::variant<MotionCommand, InputsChanged, DeadlineReached, OutputFailed>;

// ---- Effects ---------------------------------------------------------------------------------

struct MotionNotice {
  enum class Kind { kMoveStarted, kMoveFinished, kFault, kManualMove, kCalibrated, kStopped };
  Kind kind;
  std::string source;
  std::optional<int> target_mm;
  std::optional<double> from_mm;
  std::optional<double> height_mm;
  Fault fault = Fault::kNone;
  std::string detail;
};

struct MotionEffects {
  std::optional<Drive> drive;         // apply to the outputs now
  std::vector<MotionNotice> notices;  // for B/event and the log
  std::optional<std::string> error;   // the command was refused; nothing changed
};

// Where the position came from on start-up.
struct RestoredPosition {
  std::optional<double> height_mm;  // trusted last height (clean shutdown), else nullopt
  CoastLearner::Model coast;
  std::optional<double> up_speed_mm_s;  // learned cruise speeds
  std::optional<double> down_speed_mm_s;
};

// The motion state machine. One transition function, handle(input, now), returns the effects
// the caller must apply; the controller never reads a clock and never touches hardware.
// Safety invariants of DESIGN.md §4 items 1–5 live here (item 7 is the callers' all_off()).
class MotionController {
 public:
  MotionController(MotionSettings settings, const InputSnapshot& initial_inputs,
                   RestoredPosition restored, SteadyTime now);

  MotionEffects handle(const MotionInput& input, SteadyTime now);

  // The caller wrote the outputs of the last effects at `at` (after handle() returned): the
  // reverse dead time counts from the real stop, never from before it (invariant 1).
  void outputs_written(SteadyTime at);

  // When handle(DeadlineReached{}) must be called next; nullopt = nothing pending (idle).
  std::optional<SteadyTime> next_deadline() const;

  MotionState state() const { return state_; }
  Drive drive() const { return drive_; }
  Fault fault() const { return fault_; }
  const std::string& fault_detail() const { return fault_detail_; }
  bool calibrated() const { return height_.has_value(); }
  // Best estimate of the height now (integrates run time for `timed`); nullopt when unknown.
  std::optional<double> height_mm(SteadyTime now) const;
  std::optional<int> target_mm() const;
  bool manual_motion() const { return manual_active_; }
  const MotionSettings& settings() const { return settings_; }
  // What is worth persisting: height (if known), learned coast and speeds.
  RestoredPosition persistent(SteadyTime now) const;

 private:
  enum class MoveKind { kTarget, kCalibrate, kNudgeOut, kNudgeBack, kBackoff };
  struct Move {
    MoveKind kind = MoveKind::kTarget;
    Drive dir = Drive::kNone;
    double target_mm = 0;  // kCalibrate: the bottom
    std::string source;
    SteadyTime started{};
    SteadyTime deadline{};  // timeout (invariant 2)
    double start_height = 0;
    std::optional<SteadyTime> run_until;  // no sensor: the end stop is assumed reached then
    std::optional<double> nudge_return_mm;
    std::uint32_t encoder_errors_at_start = 0;
  };
  struct Sample {
    SteadyTime t;
    double h;
  };

  MotionEffects on_command(const MotionCommand& c, SteadyTime now);
  MotionEffects on_inputs(const InputSnapshot& in, SteadyTime now);
  MotionEffects on_deadline(SteadyTime now);

  // Starts (or schedules, via the reverse pause) a move; validates nothing.
  void begin_move(Move m, SteadyTime now, MotionEffects& fx);
  void start_driving(SteadyTime now, MotionEffects& fx);
  // Outputs off; records the stop for the reverse dead time and coast learning.
  void stop_outputs(SteadyTime now, MotionEffects& fx);
  void finish_move(SteadyTime now, MotionEffects& fx);
  void latch_fault(Fault f, std::string detail, SteadyTime now, MotionEffects& fx,
                   bool backoff = false);
  void check_progress(SteadyTime now, MotionEffects& fx);
  void lose_position();
  void set_height(double h);
  double estimate_now(SteadyTime now) const;
  double measured_speed() const;
  double expected_speed(Drive d) const;
  double travel_time_s(double distance_mm, Drive d) const;
  void settle_state();
  std::optional<std::string> check_target(int target_mm) const;

  MotionSettings settings_;
  CoastLearner coast_;
  double up_speed_;
  double down_speed_;

  MotionState state_ = MotionState::kUnknown;
  Drive drive_ = Drive::kNone;
  Fault fault_ = Fault::kNone;
  std::string fault_detail_;

  // Position: height_ = offset_ + count * mm_per_count for the encoder; for `timed` height_ is
  // the value at drive_since_ and integrated from there.
  std::optional<double> height_;
  double offset_mm_ = 0;
  InputSnapshot inputs_;
  std::deque<Sample> samples_;

  std::optional<Move> move_;    // the active or pending move
  SteadyTime drive_since_{};    // when the current drive started
  SteadyTime last_progress_{};  // last time the encoder showed progress while driving
  double last_progress_h_ = 0;
  SteadyTime last_stop_{};                    // when outputs last went inactive
  Drive last_dir_ = Drive::kNone;             // direction before the last stop
  std::optional<SteadyTime> resume_at_;       // reverse pause ends
  std::optional<SteadyTime> predicted_stop_;  // encoder: stop point between two edges
  // At start-up (or after a reload) the direction last driven is unknown (a previous process
  // may have driven either): the dead time applies to any first move.
  bool any_direction_dead_time_ = true;

  // Coast measurement after a stop.
  std::optional<SteadyTime> settle_at_;
  double stop_height_ = 0;
  double stop_speed_ = 0;
  Drive stop_dir_ = Drive::kNone;
  std::optional<MotionNotice> finish_notice_;

  // Manual use (handset or encoder motion while not driving).
  bool manual_active_ = false;
  std::optional<double> manual_from_;
  SteadyTime manual_last_change_{};
  std::optional<SteadyTime> handset_since_;
  Drive handset_dir_ = Drive::kNone;
};

}  // namespace deskd::core
