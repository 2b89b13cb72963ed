#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/coast_learner.h"
#include "core/drive_episode.h"
#include "core/input_snapshot.h"
#include "core/manual_use.h"
#include "core/motion_effects.h"
#include "core/motion_input.h"
#include "core/motion_settings.h"
#include "core/motion_types.h"
#include "core/move_deadline.h"
#include "core/position_estimator.h"
#include "core/stall_watch.h"
#include "core/start_budget.h"
#include "core/time.h"
#include "core/travel_tracker.h"

namespace deskd::core {

// Where the position came from on start-up.
struct RestoredPosition {
  std::optional<double> height_mm;  // trusted last height (clean shutdown), else nullopt
  CoastLearner::Model coast;
  std::optional<double> up_speed_mm_s;  // learned cruise speeds
  std::optional<double> down_speed_mm_s;
  double height_uncertainty_mm = 0;  // how far height_mm may be off (lost encoder steps)
};

// The motion state machine. One transition function, handle(input, now), returns the effects
// the caller must apply, in order; the controller never reads a clock and never touches hardware.
// Safety invariants of DESIGN.md §4 items 1–5 and 9 live here (item 7 is the callers' all_off()).
//
// Command streams (invariant 9): every start waits out min_off after the last stop (a reversal
// the longer dead time); commands meanwhile replace the waiting move (the latest wins, nothing
// queues). A run is reversed by a command only after min_on (a same-direction command re-targets
// it without a stop); a stop command, a handset press, a fault, a limit or the target stop it at
// once. A command that needs a start beyond the start budget is refused. Stall time and the move
// deadline carry across stop/start (StallWatch, DriveEpisode). A latched fault refuses every
// move until clear_fault, except, after a stall or obstruction, a commanded target move away
// from the obstacle (the opposite direction): no start towards it follows. The fault stays
// latched through that move.
//
// Phases and what can happen in each (one `switch (phase_)` per event):
//   kIdle          outputs off, nothing pending. A command plans a move; motion the sensor sees
//                  is manual use; a limit switch re-zeroes.
//   kReversePause  outputs off, move_ waits out the dead time (invariant 1) or the minimum
//                  off-time (invariant 9). Only the pause's end starts it; stop, a handset press
//                  or a fault cancel it; a new command replaces it (it waits the same off-time).
//   kDriving       outputs on for move_ (pending_: a reversal waiting for min_on). Ends at its
//   target (stop-ahead by the coast), a limit
//                  switch, the end of an end-stop run, or a fault: stall, obstruction, timeout,
//                  soft limit, sensor. Stall and obstruction while moving down back off upward
//                  first (invariant 3).
//   kSettling      outputs off, the desk coasts. Its end reads the final height, learns the coast
//                  and then finishes, corrects once, returns from a nudge, or (after a back-off)
//                  latches the fault. A handset press or a new command ends it early and nothing
//                  is learned.
//   kFault         outputs off, fault_ latched until clear_fault. Only a move away from a stall or
//                  obstruction starts (and its end comes back here).
class MotionController {
 public:
  MotionController(MotionSettings settings, const InputSnapshot& initial_inputs,
                   RestoredPosition restored, SteadyTime now);

  MotionEffects handle(const MotionInput& input, SteadyTime now);

  // The caller wrote the outputs of the last effects (`written`, after handle() returned) at
  // `at`: the reverse dead time counts from the real stop, never from before it (invariant 1). A
  // start is written with the time the drive can move the desk (a bus controller listens only
  // after its wake-up): min_on, spin-up, stall, stale height and the deadlines count from then.
  // A stop is written with the time the last move frame went out (`last_frame`, a controller
  // that runs on after it: settings().run_on): the motor stops run_on after it, the dead time
  // counts from then and the coast is learned net of that run-on.
  void outputs_written(SteadyTime at, Drive written = Drive::kNone,
                       std::optional<SteadyTime> last_frame = std::nullopt);

  // When handle(DeadlineReached{}) must be called next; nullopt = nothing pending (idle).
  std::optional<SteadyTime> next_deadline() const;

  MotionState state() const;
  // The motor outputs as the controller set them.
  Drive drive() const { return phase_ == Phase::kDriving ? move_->dir : Drive::kNone; }
  // The motion B/state reports (MQTT contract): a move is `up`/`down` from its command until the
  // desk has settled after its coast and any correcting step (a dead time, a coast and a
  // correction included), so one move gives one `stopped`, and that one carries the settled
  // height. A stop command's coast is reported the same way; a fault stops the report at once.
  Drive motion() const;
  Fault fault() const { return fault_; }
  const std::string& fault_detail() const { return fault_detail_; }
  bool calibrated() const { return estimator_->height(last_now_).has_value(); }
  // How far the known height may be off (lost encoder steps since the last re-zero; 0: none).
  double height_uncertainty_mm() const { return estimator_->uncertainty_mm(); }
  // Best estimate of the height now (integrates run time for `timed`); nullopt when unknown.
  std::optional<double> height_mm(SteadyTime now) const { return estimator_->height(now); }
  // The move's target until motion() is kNone (kept through the coast and a correcting step);
  // nullopt for calibration, a stopped move and at rest.
  std::optional<int> target_mm() const;
  bool manual_motion() const { return manual_.active(); }
  const MotionSettings& settings() const { return settings_; }
  // What is worth persisting: height (if known), learned coast and speeds.
  RestoredPosition persistent(SteadyTime now) const;

 private:
  enum class Phase : std::uint8_t { kIdle, kReversePause, kDriving, kSettling, kFault };
  enum class MoveKind : std::uint8_t {
    kTarget,
    kCorrection,  // one short step after a target move that ended outside the tolerance
    // A gap shorter than a step can be timed over: first this step away from the target (its
    // nudge_return_mm), then a kCorrection back, long enough to be timed by the readings.
    kCorrectionAway,
    kCalibrate,
    kNudgeOut,
    kNudgeBack,
    kBackoff,  // after a stall or obstruction while moving down; the fault latches at its end
  };
  struct Move {
    Move(MoveKind k, Drive d, double target, MoveSource from)
        : kind(k), dir(d), target_mm(target), source(from) {}
    MoveKind kind = MoveKind::kTarget;
    Drive dir = Drive::kNone;
    double target_mm = 0;  // kCalibrate: the bottom
    MoveSource source = MoveSource::kOther;
    SteadyTime planned_at{};
    double planned_from_mm = 0;
    std::optional<double> nudge_return_mm;
  };
  struct Settling {
    SteadyTime until;
    std::optional<Move> done;  // the move that ended, if it ended by itself
    bool manual_seen = false;  // the desk was moved by hand meanwhile: learn nothing
  };
  struct LastStop {
    SteadyTime at{};
    Drive dir = Drive::kNone;
    double travel_mm = 0;
    double speed_mm_s = 0;
    SteadyTime::duration run_on{};  // the motor ran on this long after the stop (run_on)
    bool coarse = false;            // the display's step near here exceeds its travel per report
    bool written_late = false;      // the runner wrote it kLateStop after it was decided
  };

  // Events.
  void on_command(const MotionCommand& c, SteadyTime now, MotionEffects& fx);
  void on_inputs(const InputSnapshot& in, SteadyTime now, MotionEffects& fx);
  void on_deadline(SteadyTime now, MotionEffects& fx);
  void stop_command(MoveSource source, SteadyTime now, MotionEffects& fx);
  void clear_fault(SteadyTime now, MotionEffects& fx);
  std::optional<std::string> refusal(const MotionCommand& c) const;
  std::optional<std::string> fault_refusal(const MotionCommand& c) const;
  void stop_written(SteadyTime at);
  void drive_effective(SteadyTime at);
  Phase resting_phase() const { return fault_ == Fault::kNone ? Phase::kIdle : Phase::kFault; }
  void go_to(const MotionCommand& c, SteadyTime now, MotionEffects& fx);
  void calibrate(const MotionCommand& c, SteadyTime now, MotionEffects& fx);
  void nudge(const MotionCommand& c, SteadyTime now, MotionEffects& fx);
  void travel_seen(double travel, std::optional<double> before, SteadyTime now);
  void handset_pressed(Drive dir, std::optional<double> before, SteadyTime now, MotionEffects& fx);
  bool limit_reached(const InputSnapshot& prev, SteadyTime now, MotionEffects& fx);
  void driving_deadline(SteadyTime now, MotionEffects& fx);

  // Moves.
  void request(Move m, SteadyTime now, MotionEffects& fx);
  bool adds_start(const Move& m) const;
  void begin_pending(SteadyTime now, MotionEffects& fx);
  void retarget(Move m, SteadyTime now, MotionEffects& fx);
  void start_or_pause(SteadyTime now, MotionEffects& fx);
  void start_driving(SteadyTime now, MotionEffects& fx);
  void plan_leg(SteadyTime now, bool new_run);
  void stop_motor(SteadyTime now, MotionEffects& fx, StopStyle style = StopStyle::kNow);
  bool abandon_move(SteadyTime now, MotionEffects& fx);
  void end_move(SteadyTime now, MotionEffects& fx, StopStyle style = StopStyle::kNow);
  void end_settling(SteadyTime now, MotionEffects& fx);
  void settled(SteadyTime now, MotionEffects& fx);
  void finish_backoff(SteadyTime now, MotionEffects& fx);
  std::optional<Move> correction(const Move& done, SteadyTime now) const;
  double shortest_timed_step_mm(const Move& step, double speed) const;
  void report_finished(const Move& done, SteadyTime now, MotionEffects& fx) const;
  void report_calibrated(double at, MoveSource source, const char* detail, MotionEffects& fx);
  void latch(Fault f, std::string detail, SteadyTime now, MotionEffects& fx);
  void enter_fault();
  void check_progress(SteadyTime now, MotionEffects& fx);
  bool check_stall(SteadyTime now, MotionEffects& fx);
  // A bus sensor whose stale window is longer than the stall timeout (a Bluetooth desk: stale_ms
  // 1000, stall_timeout_ms 800): silence must read as a sensor fault, not as a stall, so the
  // stall counts only driving time that readings cover (it is judged at readings).
  bool stall_needs_readings() const;
  SteadyTime stall_evidence_at(SteadyTime now) const;
  bool check_obstruction(SteadyTime now, MotionEffects& fx);
  void approach_target(SteadyTime now, MotionEffects& fx);
  void stop_between_frames(double ahead_mm, double speed, SteadyTime now, MotionEffects& fx);

  // Helpers.
  double expected_speed(Drive d) const { return d == Drive::kUp ? up_speed_ : down_speed_; }
  double stop_ahead_mm(const Move& m, double speed) const;
  double run_on_mm(double speed) const;
  double extrapolation_span(double speed) const;
  double extrapolated_mm(double speed, SteadyTime now) const;
  void anchor_reading(double prev_mm, double mm, SteadyTime prev_report, SteadyTime now);
  double driving_travel(double speed, SteadyTime now) const;
  double run_speed(SteadyTime now) const;
  std::optional<TravelTracker::Line> cruise_line(double prior_speed) const;
  SteadyTime::duration run_on_left(SteadyTime stop) const;
  bool near_limit(double target_mm) const;
  bool coasting(double travel, SteadyTime now) const;
  bool runs_to_end(const Move& m) const;
  void learn_from_stop(SteadyTime now);
  std::optional<SteadyTime> driving_deadline_at() const;

  MotionSettings settings_;
  CoastLearner coast_;
  double up_speed_;
  double down_speed_;
  std::unique_ptr<PositionEstimator> estimator_;

  Phase phase_ = Phase::kIdle;
  Fault fault_ = Fault::kNone;
  std::string fault_detail_;
  Drive fault_dir_ = Drive::kNone;  // a stall or obstruction: the direction towards the obstacle
  InputSnapshot inputs_;
  SteadyTime last_now_;

  std::optional<Move> move_;             // kDriving: the move; kReversePause: the pending one
  std::optional<Move> pending_;          // kDriving: a reversal waiting for min_on
  std::optional<SteadyTime> resume_at_;  // kReversePause: the dead time ends
  std::optional<Settling> settling_;     // kSettling
  SteadyTime drive_since_{};
  MoveDeadlines leg_{};
  std::optional<SteadyTime> stop_at_;  // the predicted stop point between readings
  TravelTracker tracker_;
  struct Anchor {
    SteadyTime at;
    double mm = 0;  // the estimated travel at `at` (bus: where the display's number changed)
  };
  std::optional<Anchor> anchor_;  // this run's last reading, bus only
  // The run's last change was a display step larger than the travel between two reports (whole
  // cm): a rest reading near here is that coarse.
  bool coarse_display_ = false;
  StallWatch stall_;
  DriveEpisode episode_;
  StartBudget budget_{settings_.start_budget};
  std::optional<double> last_travel_;
  LastStop last_stop_;
  // At start-up (or after a reload) the direction last driven is unknown (a previous process
  // may have driven either): the dead time applies to any first move.
  bool any_direction_dead_time_ = true;
  ManualUse manual_;
};

}  // namespace deskd::core
