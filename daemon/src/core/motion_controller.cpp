#include "core/motion_controller.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "core/height_limits.h"

namespace deskd::core {
namespace {

using Seconds = std::chrono::duration<double>;
using Notice = MotionNotice;

constexpr double kUnexpectedLimitMm = 20;  // a limit switch this far before the target: fault
constexpr double kSpeedLearnRate = 0.2;
constexpr auto kMinRunToLearnSpeed = std::chrono::milliseconds(1500);
// Calibration evidence (invariant 5): the sensor counted at least this much travel before the
// end-stop stall.
constexpr double kMinCalibrationTravelMm = 2.0;
// A stop that reached the outputs this long after it was decided (a runner starved of CPU; on an
// idle Pi it takes about a millisecond) teaches the coast nothing.
constexpr auto kLateStop = std::chrono::milliseconds(50);
// After a stop, travel in the stop's direction this long counts as coast, not manual use.
constexpr auto kCoastWindow = std::chrono::milliseconds(1000);
// Near a soft limit the stop-ahead errs long: the limit must never be passed (invariant 4).
constexpr double kNearLimitMm = 10;
// Until a direction's coast is learned, a target move stops ahead by this times the prior: it
// ends short rather than past, and one correcting step closes the gap.
constexpr double kCautiousPriorFactor = 1.5;
constexpr double kEpsilonMm = 0.01;
// A bus reading that changed by more than this times the travel between two reports changed by
// the display's own step (whole cm), not by the travel.
constexpr double kCoarseStepRatio = 1.5;

double sign(Drive d) { return d == Drive::kUp ? 1.0 : d == Drive::kDown ? -1.0 : 0.0; }
Drive opposite(Drive d) { return d == Drive::kUp ? Drive::kDown : Drive::kUp; }

std::string millis(std::chrono::nanoseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

Notice notice(Notice::Kind kind, MoveSource source, std::optional<double> from,
              std::optional<double> height, std::string detail) {
  Notice n{kind, source};
  n.from_mm = from;
  n.height_mm = height;
  n.detail = std::move(detail);
  return n;
}

}  // namespace

MotionController::MotionController(MotionSettings settings, const InputSnapshot& initial_inputs,
                                   RestoredPosition restored, SteadyTime now)
    : settings_(settings),
      coast_(settings.stop_ahead ? settings.initial_coast_s : 0.0, restored.coast),
      up_speed_(restored.up_speed_mm_s.value_or(settings.up_speed_mm_s)),
      down_speed_(restored.down_speed_mm_s.value_or(settings.down_speed_mm_s)),
      estimator_(make_position_estimator(settings_, initial_inputs, up_speed_, down_speed_)),
      inputs_(initial_inputs),
      last_now_(now),
      last_travel_(estimator_->travel_mm()),
      manual_(2 * settings.settle) {
  last_stop_.at = now;
  if (restored.height_mm) {
    estimator_->set_height(*restored.height_mm);
    estimator_->restore_uncertainty(restored.height_uncertainty_mm);
  }
  if (settings_.has_limit_bottom && inputs_.limit_bottom) {
    estimator_->set_height(settings_.bottom_height_mm);
  }
  if (settings_.has_limit_top && inputs_.limit_top) estimator_->set_height(settings_.top_height_mm);
}

// ---- The transition function ----------------------------------------------------------------

MotionEffects MotionController::handle(const MotionInput& input, SteadyTime now) {
  MotionEffects fx;
  last_now_ = now;
  if (const auto* c = std::get_if<MotionCommand>(&input)) {
    on_command(*c, now, fx);
  } else if (const auto* i = std::get_if<InputsChanged>(&input)) {
    on_inputs(i->inputs, now, fx);
  } else if (std::holds_alternative<DeadlineReached>(input)) {
    on_deadline(now, fx);
  } else if (const auto* f = std::get_if<OutputFailed>(&input)) {
    latch(Fault::kGpio, "outputs could not be set: " + f->detail, now, fx);
    fx.drive(Drive::kNone);  // try again to leave them inactive
  }
  return fx;
}

MotionState MotionController::state() const {
  const bool known = calibrated();
  switch (phase_) {
    case Phase::kReversePause:
      return MotionState::kReversePause;
    case Phase::kDriving:
      if (move_->kind == MoveKind::kCalibrate) return MotionState::kCalibrating;
      return move_->dir == Drive::kUp ? MotionState::kMovingUp : MotionState::kMovingDown;
    case Phase::kFault:
      return MotionState::kFault;
    case Phase::kSettling:
      if (fault_ != Fault::kNone) return MotionState::kFault;  // a back-off coming to rest
      break;
    case Phase::kIdle:
      break;
  }
  return known ? MotionState::kIdle : MotionState::kUnknown;
}

// ---- Commands -------------------------------------------------------------------------------

void MotionController::on_command(const MotionCommand& c, SteadyTime now, MotionEffects& fx) {
  using Kind = MotionCommand::Kind;
  if (c.kind == Kind::kStop) return stop_command(c.source, now, fx);
  if (c.kind == Kind::kClearFault) return clear_fault(now, fx);
  if (auto refused = refusal(c)) {
    fx.error = std::move(refused);
    return;
  }
  switch (c.kind) {
    case Kind::kGoTo:
      return go_to(c, now, fx);
    case Kind::kCalibrate:
      return calibrate(c, now, fx);
    case Kind::kNudge:
      return nudge(c, now, fx);
    case Kind::kStop:
    case Kind::kClearFault:
      break;
  }
}

void MotionController::stop_command(MoveSource source, SteadyTime now, MotionEffects& fx) {
  const std::optional<double> from = height_mm(now);
  switch (phase_) {
    case Phase::kDriving:
    case Phase::kReversePause:
      if (abandon_move(now, fx)) {
        phase_ = Phase::kSettling;
        settling_ = Settling{now + settings_.settle, std::nullopt, false};
      }
      fx.notice(notice(Notice::Kind::kStopped, source, from, std::nullopt, "stop command"));
      return;
    case Phase::kSettling:
      if (settling_->done && (settling_->done->kind == MoveKind::kNudgeOut ||
                              settling_->done->kind == MoveKind::kCorrectionAway)) {
        settling_->done.reset();  // no step back follows
      }
      return;
    case Phase::kIdle:
    case Phase::kFault:
      return;
  }
}

void MotionController::clear_fault(SteadyTime now, MotionEffects& fx) {
  if (fault_ == Fault::kNone) {
    fx.error = "no fault is latched";
  } else if (phase_ != Phase::kFault) {
    fx.error = "the desk is still backing off; clear the fault when it has stopped";
  } else if (auto p = estimator_->check(now, Drive::kNone)) {
    fx.error = "the desk still reports " + p->detail;
  } else {
    fault_ = Fault::kNone;
    fault_detail_.clear();
    fault_dir_ = Drive::kNone;
    phase_ = Phase::kIdle;
    stall_.reset();  // the obstacle is taken away: a fresh start
    episode_.reset();
  }
}

std::optional<std::string> MotionController::refusal(const MotionCommand& c) const {
  if (fault_ != Fault::kNone) {
    if (auto refused = fault_refusal(c)) return refused;
  }
  if (inputs_.handset_up || inputs_.handset_down) return "the handset is in use";
  return std::nullopt;
}

// Invariant 9: after a stall or obstruction, no start towards the obstacle until the fault is
// cleared; a target move away from it (the position known) is allowed, the fault stays latched.
std::optional<std::string> MotionController::fault_refusal(const MotionCommand& c) const {
  const std::string latched = "fault latched (" + std::string(to_string(fault_)) + ")";
  const bool resting = phase_ == Phase::kFault;
  if (fault_dir_ == Drive::kNone || c.kind != MotionCommand::Kind::kGoTo || !resting) {
    return latched + ": clear it first";
  }
  const std::optional<double> h = estimator_->height(last_now_);
  const Drive away = opposite(fault_dir_);
  if (h && (away == Drive::kUp ? c.target_mm > *h : c.target_mm < *h)) return std::nullopt;
  return latched + ": clear it first; only a move " + std::string(to_string(away)) +
         ", away from the obstacle, is allowed";
}

void MotionController::go_to(const MotionCommand& c, SteadyTime now, MotionEffects& fx) {
  if (auto e = outside_limits(c.target_mm, settings_.min_height_mm, settings_.max_height_mm)) {
    fx.error = "height_mm: " + *e;
    return;
  }
  Move m{MoveKind::kTarget, Drive::kNone, static_cast<double>(c.target_mm), c.source};
  const std::optional<double> h = height_mm(now);
  const bool resting =
      phase_ == Phase::kIdle || phase_ == Phase::kSettling || phase_ == Phase::kFault;
  double slack = settings_.tolerance_mm;
  if (estimator_->end_stops_only()) {  // two states: run to the end stop nearer the target
    const double mid = (settings_.bottom_height_mm + settings_.top_height_mm) / 2.0;
    m.dir = c.target_mm >= mid ? Drive::kUp : Drive::kDown;
    m.target_mm = m.dir == Drive::kUp ? settings_.top_height_mm : settings_.bottom_height_mm;
    slack = 1.0;
  } else if (!h) {
    fx.error = "position unknown: calibrate first";
    return;
  } else {
    m.dir = c.target_mm > *h ? Drive::kUp : Drive::kDown;
  }
  if (resting && h && std::abs(m.target_mm - *h) <= slack) {
    Notice n = notice(Notice::Kind::kMoveFinished, c.source, h, h, "already there");
    n.target_mm = c.target_mm;
    fx.notice(std::move(n));
    return;
  }
  request(std::move(m), now, fx);
}

void MotionController::calibrate(const MotionCommand& c, SteadyTime now, MotionEffects& fx) {
  if (estimator_->calibration() == Calibration::kReadHeight) {
    // An absolute sensor: calibration is a fresh reading, nothing moves.
    if (const auto h = height_mm(now)) {
      fx.notice(notice(Notice::Kind::kCalibrated, c.source, std::nullopt, h, "bus height"));
    } else {
      fx.error = "no height from the desk bus yet: cannot calibrate";
    }
    return;
  }
  if (settings_.has_limit_bottom && inputs_.limit_bottom) {
    report_calibrated(settings_.bottom_height_mm, c.source, "already at the bottom", fx);
    return;
  }
  request(Move{MoveKind::kCalibrate, Drive::kDown, static_cast<double>(settings_.bottom_height_mm),
               c.source},
          now, fx);
}

void MotionController::nudge(const MotionCommand& c, SteadyTime now, MotionEffects& fx) {
  const std::optional<double> h = height_mm(now);
  if (!h || estimator_->end_stops_only()) {
    fx.error = "position unknown: cannot nudge";
    return;
  }
  if (phase_ != Phase::kIdle && phase_ != Phase::kSettling) {
    fx.error = "the desk is moving";
    return;
  }
  const bool room_up = *h + settings_.nudge_mm <= settings_.max_height_mm;
  Move m{MoveKind::kNudgeOut, room_up ? Drive::kUp : Drive::kDown,
         *h + (room_up ? settings_.nudge_mm : -settings_.nudge_mm), c.source};
  m.nudge_return_mm = *h;
  request(std::move(m), now, fx);
}

// ---- Inputs ---------------------------------------------------------------------------------

void MotionController::on_inputs(const InputSnapshot& in, SteadyTime now, MotionEffects& fx) {
  const InputSnapshot prev = inputs_;
  const std::optional<double> before = height_mm(now);
  inputs_ = in;
  const Drive driving = drive();
  if (auto p = estimator_->read(in, now, driving)) {
    if (driving != Drive::kNone || fault_ == Fault::kNone) {
      latch(p->fault, std::move(p->detail), now, fx);
      return;
    }
  }
  const std::optional<double> travel = estimator_->travel_mm();
  if (travel && travel != last_travel_) {
    travel_seen(*travel, before, now);
    if (phase_ == Phase::kDriving && settings_.sensor == SensorKind::kBus && last_travel_) {
      anchor_reading(*last_travel_, *travel, prev.bus_height_at, now);
    }
  }
  last_travel_ = travel;
  const bool pressed =
      (in.handset_up && !prev.handset_up) || (in.handset_down && !prev.handset_down);
  if (pressed) {
    handset_pressed(in.handset_up ? Drive::kUp : Drive::kDown, before, now, fx);
  } else if (manual_.handset_held() && !in.handset_up && !in.handset_down) {
    estimator_->handset_released(manual_.handset_dir(), *manual_.handset_since(), now);
    manual_.handset_released(now);
  }
  if (limit_reached(prev, now, fx)) return;
  if (phase_ == Phase::kDriving) check_progress(now, fx);
}

void MotionController::travel_seen(double travel, std::optional<double> before, SteadyTime now) {
  switch (phase_) {
    case Phase::kDriving:
      tracker_.reading(travel, now);
      stall_.reading(travel, now);
      return;
    case Phase::kSettling:
      if (!settling_->manual_seen && coasting(travel, now)) {
        settling_->until = std::max(settling_->until, now + settings_.settle);  // still coasting
        return;
      }
      settling_->manual_seen = true;  // never learned as coast
      manual_.moved(before, now);
      return;
    case Phase::kIdle:
    case Phase::kReversePause:
    case Phase::kFault:
      if (!coasting(travel, now)) manual_.moved(before, now);
      return;
  }
}

void MotionController::handset_pressed(Drive dir, std::optional<double> before, SteadyTime now,
                                       MotionEffects& fx) {
  switch (phase_) {
    case Phase::kDriving:
    case Phase::kReversePause:
      abandon_move(now, fx);
      fx.notice(notice(Notice::Kind::kStopped, MoveSource::kHandset, before, std::nullopt,
                       "manual override"));
      break;
    case Phase::kSettling:
      end_settling(now, fx);  // the settle ends: what follows is manual travel, not coast
      break;
    case Phase::kIdle:
    case Phase::kFault:
      break;
  }
  manual_.handset_pressed(dir, before, now);
}

bool MotionController::limit_reached(const InputSnapshot& prev, SteadyTime now, MotionEffects& fx) {
  const Drive driving = drive();
  const bool bottom = settings_.has_limit_bottom && inputs_.limit_bottom &&
                      (!prev.limit_bottom || driving == Drive::kDown);
  const bool top =
      settings_.has_limit_top && inputs_.limit_top && (!prev.limit_top || driving == Drive::kUp);
  if (!bottom && !top) return false;
  const double end = bottom ? settings_.bottom_height_mm : settings_.top_height_mm;
  if (driving != (bottom ? Drive::kDown : Drive::kUp)) {
    if (driving == Drive::kNone) estimator_->set_height(end);  // manual move to an end: re-zero
    return false;
  }
  const Move& m = *move_;
  const bool expected = m.kind == MoveKind::kCalibrate ||
                        std::abs(m.target_mm - end) <= kUnexpectedLimitMm ||
                        estimator_->end_stops_only();
  stop_motor(now, fx);
  estimator_->set_height(end);
  if (!expected) {
    latch(Fault::kLimit,
          std::string(bottom ? "bottom" : "top") + " limit switch reached before the target " +
              std::to_string(static_cast<int>(m.target_mm)) + " mm",
          now, fx);
    return true;
  }
  if (m.kind == MoveKind::kCalibrate) report_calibrated(end, m.source, "limit switch", fx);
  end_move(now, fx);
  return true;
}

// ---- Deadlines ------------------------------------------------------------------------------

void MotionController::on_deadline(SteadyTime now, MotionEffects& fx) {
  switch (phase_) {
    case Phase::kReversePause:
      if (now >= *resume_at_) start_driving(now, fx);
      break;
    case Phase::kDriving:
      driving_deadline(now, fx);
      break;
    case Phase::kSettling:
      if (now >= settling_->until) settled(now, fx);
      break;
    case Phase::kIdle:
    case Phase::kFault:
      break;
  }
  if (phase_ == Phase::kDriving) return;
  const std::optional<SteadyTime> manual_end = manual_.ends_at();
  if (manual_end && now >= *manual_end) {
    if (auto n = manual_.end(height_mm(now))) fx.notice(std::move(*n));
  }
}

void MotionController::driving_deadline(SteadyTime now, MotionEffects& fx) {
  if (pending_ && now >= drive_since_ + settings_.min_on) return begin_pending(now, fx);
  const Move& m = *move_;
  if (leg_.run_until && now >= *leg_.run_until) {
    // An end-stop run: assume the end stop is reached.
    const double end = m.target_mm;
    stop_motor(now, fx);
    estimator_->set_height(end);
    if (m.kind == MoveKind::kCalibrate) report_calibrated(end, m.source, "end stop (timed)", fx);
    return end_move(now, fx);
  }
  if (now >= leg_.give_up) {
    if (m.kind == MoveKind::kBackoff) return end_move(now, fx);
    return latch(Fault::kTimeout,
                 "move did not finish within " + millis(leg_.give_up - episode_.drive_since()) +
                     " of driving",
                 now, fx);
  }
  if (auto p = estimator_->check(now, m.dir)) return latch(p->fault, std::move(p->detail), now, fx);
  check_progress(now, fx);
}

// Every deadline of the state machine, computed here and nowhere else.
std::optional<SteadyTime> MotionController::next_deadline() const {
  std::optional<SteadyTime> next;
  auto consider = [&next](std::optional<SteadyTime> t) {
    if (t && (!next || *t < *next)) next = t;
  };
  switch (phase_) {
    case Phase::kReversePause:
      consider(resume_at_);
      break;
    case Phase::kDriving:
      return driving_deadline_at();
    case Phase::kSettling:
      consider(settling_->until);
      break;
    case Phase::kIdle:
    case Phase::kFault:
      break;
  }
  consider(manual_.ends_at());
  return next;
}

std::optional<SteadyTime> MotionController::driving_deadline_at() const {
  SteadyTime next = leg_.give_up;
  auto consider = [&next](std::optional<SteadyTime> t) {
    if (t && *t < next) next = *t;
  };
  consider(leg_.run_until);
  if (!leg_.run_until && estimator_->travel_mm() && !stall_needs_readings())
    consider(stall_.stall_at(settings_.stall_timeout));
  if (pending_) consider(drive_since_ + settings_.min_on);
  consider(stop_at_);
  consider(estimator_->check_at(move_->dir));
  return next;
}

// ---- Moves ----------------------------------------------------------------------------------

void MotionController::request(Move m, SteadyTime now, MotionEffects& fx) {
  const bool commanded = m.kind == MoveKind::kTarget || m.kind == MoveKind::kCalibrate ||
                         m.kind == MoveKind::kNudgeOut;
  if (commanded && adds_start(m)) {
    if (auto refused = budget_.refusal(now)) {  // invariant 9; steps of a move are never refused
      fx.error = std::move(refused);
      return;
    }
  }
  const std::optional<Move> displaced =
      phase_ == Phase::kDriving || phase_ == Phase::kReversePause ? move_ : std::nullopt;
  if (displaced && displaced->source != m.source) {
    // The earlier move (e.g. an automatic one) is replaced: report it as stopped so its owner
    // knows it will not finish.
    fx.notice(notice(Notice::Kind::kStopped, m.source, height_mm(now), std::nullopt, "superseded"));
  }
  switch (phase_) {
    case Phase::kDriving:
      if (m.dir == move_->dir) {
        pending_.reset();  // the latest command wins
        return retarget(std::move(m), now, fx);
      }
      if (now < drive_since_ + settings_.min_on) {
        pending_ = std::move(m);  // invariant 9: reversed when min_on is over (driving_deadline)
        return;
      }
      stop_motor(now, fx);
      break;
    case Phase::kSettling:
      end_settling(now, fx);  // a new move before the last one settled: report it, learn nothing
      break;
    case Phase::kReversePause:
    case Phase::kIdle:
    case Phase::kFault:
      break;
  }
  move_ = std::move(m);
  start_or_pause(now, fx);
}

void MotionController::retarget(Move m, SteadyTime now, MotionEffects& fx) {
  if (m.kind == MoveKind::kCalibrate) estimator_->forget();
  move_ = std::move(m);
  plan_leg(now, false);
  Notice n = notice(Notice::Kind::kMoveStarted, move_->source, height_mm(now), std::nullopt,
                    "re-targeted");
  if (move_->kind != MoveKind::kCalibrate) n.target_mm = static_cast<int>(move_->target_mm);
  fx.notice(std::move(n));
  check_progress(now, fx);
}

// Whether `m` needs one more start than those made or waiting (invariant 9's budget).
bool MotionController::adds_start(const Move& m) const {
  switch (phase_) {
    case Phase::kReversePause:
      return false;  // it replaces the waiting move
    case Phase::kDriving:
      return m.dir != move_->dir && !pending_;
    case Phase::kIdle:
    case Phase::kSettling:
    case Phase::kFault:
      break;
  }
  return true;
}

// min_on is over: the run a reversal command is waiting for stops now, and the reversal waits out
// the dead time (invariant 1).
void MotionController::begin_pending(SteadyTime now, MotionEffects& fx) {
  stop_motor(now, fx);
  move_ = std::move(*pending_);
  pending_.reset();
  start_or_pause(now, fx);
}

void MotionController::start_or_pause(SteadyTime now, MotionEffects& fx) {
  const bool reversal =
      any_direction_dead_time_ || (last_stop_.dir != Drive::kNone && last_stop_.dir != move_->dir);
  // Invariant 1: the dead time before a reversal; invariant 9: the minimum off-time before any
  // start.
  const SteadyTime::duration off =
      reversal ? std::max<SteadyTime::duration>(settings_.reverse_delay, settings_.min_off)
               : SteadyTime::duration(settings_.min_off);
  if (now < last_stop_.at + off) {
    phase_ = Phase::kReversePause;
    resume_at_ = last_stop_.at + off;
    return;
  }
  start_driving(now, fx);
}

void MotionController::start_driving(SteadyTime now, MotionEffects& fx) {
  any_direction_dead_time_ = false;
  resume_at_.reset();
  if (auto n = manual_.end(height_mm(now))) fx.notice(std::move(*n));  // deskd takes over
  Move& m = *move_;
  if (m.kind == MoveKind::kCalibrate) estimator_->forget();
  const std::optional<double> from = height_mm(now);
  if (m.kind == MoveKind::kBackoff && from) {  // by backoff_mm from where the desk came to rest
    m.target_mm = std::min(*from + settings_.backoff_mm, double(settings_.max_height_mm));
  }
  phase_ = Phase::kDriving;
  drive_since_ = now;
  budget_.started(now);
  estimator_->drive_changed(m.dir, now);
  tracker_.start(m.dir, estimator_->travel_mm().value_or(0.0), now);
  anchor_.reset();
  coarse_display_ = false;
  stall_.start(m.dir, estimator_->travel_mm().value_or(0.0),
               settings_.obstruction_ratio * expected_speed(m.dir), now);
  plan_leg(now, true);
  fx.drive(m.dir);
  if (m.kind == MoveKind::kTarget || m.kind == MoveKind::kCalibrate ||
      m.kind == MoveKind::kNudgeOut) {
    Notice n = notice(Notice::Kind::kMoveStarted, m.source, from, std::nullopt,
                      m.kind == MoveKind::kCalibrate  ? "calibrate"
                      : m.kind == MoveKind::kNudgeOut ? "nudge"
                                                      : "");
    if (m.kind != MoveKind::kCalibrate) n.target_mm = static_cast<int>(m.target_mm);
    n.nudge = m.kind == MoveKind::kNudgeOut;
    fx.notice(std::move(n));
  }
  check_progress(now, fx);
}

// Plans the deadlines of the running leg: a new run continues the drive episode of a stop/start
// stream (invariant 9), a re-target re-plans the estimate within it.
void MotionController::plan_leg(SteadyTime now, bool new_run) {
  Move& m = *move_;
  const std::optional<double> h = height_mm(now);
  m.planned_at = now;
  m.planned_from_mm = h.value_or(0.0);
  const double full = settings_.top_height_mm - settings_.bottom_height_mm;
  const double distance = h && m.kind != MoveKind::kCalibrate ? std::abs(m.target_mm - *h) : full;
  if (new_run) {
    episode_.start(m.dir, m.target_mm, distance, now);
  } else {
    episode_.retarget(m.target_mm, distance, now);
  }
  leg_ = move_deadlines({runs_to_end(m), episode_.drive_since(), episode_.planned_at(),
                         episode_.distance_mm(), expected_speed(m.dir)},
                        settings_);
  stop_at_.reset();
}

void MotionController::stop_motor(SteadyTime now, MotionEffects& fx, StopStyle style) {
  if (phase_ != Phase::kDriving) return;
  estimator_->drive_changed(Drive::kNone, now);
  // Where the desk was at the stop: the last reading and the travel since it (a bus reports
  // every 100-200 ms), so the coast learned is the travel after the stop only.
  const double v = estimator_->travel_mm() ? run_speed(now) : expected_speed(move_->dir);
  const double travel = estimator_->travel_mm() ? driving_travel(v, now) : 0.0;
  const auto run_on = style == StopStyle::kAfterOneFrame
                          ? std::chrono::duration_cast<SteadyTime::duration>(settings_.run_on)
                          : run_on_left(now);
  last_stop_ = {now, move_->dir, travel, v, run_on, coarse_display_};
  learn_from_stop(now);
  stall_.interrupted(now);
  episode_.stop(now);
  stop_at_.reset();
  phase_ = Phase::kIdle;
  fx.drive(Drive::kNone, style);
}

// Stops the motor (if driving) and drops the move or the pending one. An abandoned back-off
// latches its fault now; false then, true if the desk is idle.
bool MotionController::abandon_move(SteadyTime now, MotionEffects& fx) {
  stop_motor(now, fx);
  move_.reset();
  pending_.reset();
  resume_at_.reset();
  phase_ = Phase::kIdle;
  if (fault_ == Fault::kNone) return true;
  enter_fault();
  return false;
}

// The move reached its end by itself (target, limit switch, end stop).
void MotionController::end_move(SteadyTime now, MotionEffects& fx, StopStyle style) {
  stop_motor(now, fx, style);
  stall_.completed(last_stop_.dir);
  episode_.reset();
  if (pending_) {  // a reversal was waiting for min_on: it follows after the dead time
    move_ = std::move(*pending_);
    pending_.reset();
    return start_or_pause(now, fx);
  }
  Move done = std::move(*move_);
  move_.reset();
  phase_ = Phase::kSettling;
  settling_ = Settling{now + settings_.settle, std::move(done), false};
}

// The settle ends before its time (a new move, the handset): report, learn nothing.
void MotionController::end_settling(SteadyTime now, MotionEffects& fx) {
  std::optional<Move> done = std::move(settling_->done);
  settling_.reset();
  phase_ = resting_phase();
  if (done && done->kind == MoveKind::kBackoff) return finish_backoff(now, fx);
  if (done) report_finished(*done, now, fx);
}

// The back-off came to rest: report where, then the fault latches (position unknown).
void MotionController::finish_backoff(SteadyTime now, MotionEffects& fx) {
  fx.notice(notice(Notice::Kind::kStopped, MoveSource::kBackoff, height_mm(now), std::nullopt,
                   "backed off " + std::to_string(settings_.backoff_mm) + " mm"));
  enter_fault();
}

void MotionController::settled(SteadyTime now, MotionEffects& fx) {
  Settling s = std::move(*settling_);
  settling_.reset();
  phase_ = resting_phase();
  const std::optional<double> travel = estimator_->travel_mm();
  if (travel && !s.manual_seen) {
    const double coast = (*travel - last_stop_.travel_mm) * sign(last_stop_.dir);
    // Only stops near cruise speed say something about the coast (a slow one, quantised to a
    // count, would give an absurd k).
    // The run-on (a controller without a stop command) is known; the coast is learned on top.
    const double braking =
        std::max(0.0, coast - last_stop_.speed_mm_s * Seconds(last_stop_.run_on).count());
    // A coarse rest reading (whole cm) is up to half a step off: it teaches nothing.
    if (last_stop_.speed_mm_s >= 0.6 * expected_speed(last_stop_.dir) && !last_stop_.coarse) {
      coast_.observe(last_stop_.dir, last_stop_.speed_mm_s, braking);
      const bool learnable = settings_.stop_ahead && !last_stop_.written_late;
      if (learnable) coast_.learn(last_stop_.dir, last_stop_.speed_mm_s, braking);
    }
  }
  if (!s.done) return;
  const Move& done = *s.done;
  if (done.kind == MoveKind::kBackoff) return finish_backoff(now, fx);
  if (done.kind == MoveKind::kNudgeOut && done.nudge_return_mm) {
    Move back{MoveKind::kNudgeBack, opposite(done.dir), *done.nudge_return_mm, done.source};
    return request(std::move(back), now, fx);
  }
  if (s.manual_seen) return report_finished(done, now, fx);  // the user took over
  if (done.kind == MoveKind::kCorrectionAway && done.nudge_return_mm) {
    Move back{MoveKind::kCorrection, opposite(done.dir), *done.nudge_return_mm, done.source};
    return request(std::move(back), now, fx);
  }
  if (auto step = correction(done, now)) return request(std::move(*step), now, fx);
  report_finished(done, now, fx);
}

// A correcting step for a target move that ended outside the tolerance, where the sensor
// measures travel. A gap shorter than a step can be timed over (its stop-ahead, a run-on
// included, and a cruise seen by two readings) is closed in two: a step away by that much, then
// one back. Towards a soft limit only when the gap exceeds the bounded coast (a step that stopped
// at once must still not coast past the limit); away only while it stays kNearLimitMm inside.
std::optional<MotionController::Move> MotionController::correction(const Move& done,
                                                                   SteadyTime now) const {
  const std::optional<double> h = height_mm(now);
  if (done.kind != MoveKind::kTarget || !h || !estimator_->travel_mm()) return std::nullopt;
  const double error = done.target_mm - *h;
  if (std::abs(error) <= settings_.tolerance_mm) return std::nullopt;
  Move step{MoveKind::kCorrection, error > 0 ? Drive::kUp : Drive::kDown, done.target_mm,
            done.source};
  const double v = std::max(expected_speed(step.dir), last_stop_.speed_mm_s);
  // A controller that runs on (Loctek) gets no step shorter than the run-on and no two-step: its
  // display above 100 cm is whole cm, and the rest reading alone shows gaps that are not there.
  const bool runs_on = settings_.run_on.count() > 0;
  if (runs_on && std::abs(error) < run_on_mm(v)) return std::nullopt;
  // The two-step is for slow bus readings (200 ms): an encoder times any step by its edges, and
  // a step away there drove the other output mid-move (HIL move_to_target_drives_the_right_output).
  const bool slow_readings = settings_.sensor == SensorKind::kBus && !runs_on;
  const double shortest = slow_readings ? shortest_timed_step_mm(step, v) : 0.0;
  if (std::abs(error) >= shortest) {
    if (near_limit(step.target_mm) && std::abs(error) <= stop_ahead_mm(step, v)) {
      return std::nullopt;
    }
    return step;
  }
  const double away = *h - sign(step.dir) * shortest;
  if (away < settings_.min_height_mm + kNearLimitMm ||
      away > settings_.max_height_mm - kNearLimitMm) {
    return std::nullopt;
  }
  Move out{MoveKind::kCorrectionAway, opposite(step.dir), away, done.source};
  out.nudge_return_mm = done.target_mm;
  return out;
}

// The shortest step whose stop is timed by its readings: it stops ahead (run-on and coast), and
// before that it has cruised past spin_up for two report intervals (the last run's).
double MotionController::shortest_timed_step_mm(const Move& step, double speed) const {
  const double cruise =
      Seconds(settings_.spin_up).count() + 2 * Seconds(tracker_.reading_interval()).count();
  return stop_ahead_mm(step, speed) + speed * cruise;
}

void MotionController::report_finished(const Move& done, SteadyTime now, MotionEffects& fx) const {
  if (done.kind == MoveKind::kNudgeOut || done.kind == MoveKind::kBackoff) return;
  const std::optional<double> h = height_mm(now);
  Notice n = notice(Notice::Kind::kMoveFinished, done.source, std::nullopt, h,
                    done.kind == MoveKind::kNudgeBack ? "nudge" : "");
  const double target = done.kind == MoveKind::kCorrectionAway
                            ? done.nudge_return_mm.value_or(done.target_mm)
                            : done.target_mm;  // the move's own target
  if (done.kind != MoveKind::kCalibrate) n.target_mm = static_cast<int>(target);
  n.nudge = done.kind == MoveKind::kNudgeBack;
  const bool aimed = done.kind != MoveKind::kCalibrate;
  if (aimed && h && std::abs(*h - target) > settings_.tolerance_mm) {
    n.off_target_mm = *h - target;  // never reported as on target
  }
  if (const double u = estimator_->uncertainty_mm(); h && u > 0) n.uncertainty_mm = u;
  fx.notice(std::move(n));
}

void MotionController::report_calibrated(double at, MoveSource source, const char* detail,
                                         MotionEffects& fx) {
  estimator_->set_height(at);
  fx.notice(notice(Notice::Kind::kCalibrated, source, std::nullopt, at, detail));
}

// Stops, reports and latches `f`. A stall or obstruction while moving down first backs off
// upward by backoff_mm (the desk may rest on a knee); the fault latches when that ends.
void MotionController::latch(Fault f, std::string detail, SteadyTime now, MotionEffects& fx) {
  const bool pinch = phase_ == Phase::kDriving && move_->dir == Drive::kDown &&
                     (f == Fault::kStall || f == Fault::kObstruction) &&
                     move_->kind != MoveKind::kBackoff && settings_.backoff_mm > 0;
  const std::optional<double> h = height_mm(now);
  const bool towards = (f == Fault::kStall || f == Fault::kObstruction) &&
                       phase_ == Phase::kDriving && fault_ == Fault::kNone;
  fault_dir_ = towards ? move_->dir : Drive::kNone;  // a second fault: no move at all
  stop_motor(now, fx);
  move_.reset();
  pending_.reset();
  resume_at_.reset();
  settling_.reset();
  fault_ = f;
  fault_detail_ = detail;
  Notice n = notice(Notice::Kind::kFault, MoveSource::kOther, std::nullopt, h, std::move(detail));
  n.fault = f;
  fx.notice(std::move(n));
  if (pinch && h) {
    move_ = Move{MoveKind::kBackoff, Drive::kUp,
                 std::min(*h + settings_.backoff_mm, double(settings_.max_height_mm)),
                 MoveSource::kBackoff};
    return start_or_pause(now, fx);
  }
  enter_fault();
}

void MotionController::enter_fault() {
  phase_ = Phase::kFault;
  if (fault_ != Fault::kLimit) estimator_->forget();  // invariant 5: position unknown
}

// ---- Progress while driving -----------------------------------------------------------------

void MotionController::check_progress(SteadyTime now, MotionEffects& fx) {
  if (phase_ != Phase::kDriving || leg_.run_until) return;  // an end-stop run ends by time
  if (estimator_->travel_mm()) {
    if (check_stall(now, fx) || check_obstruction(now, fx)) return;
  }
  if (move_->kind == MoveKind::kCalibrate) return;
  approach_target(now, fx);
}

// Invariant 3: no progress for stall_timeout -> stall (calibrating: the end stop, if the sensor
// counted the travel there; invariant 5).
bool MotionController::check_stall(SteadyTime now, MotionEffects& fx) {
  if (stall_.stuck_for(stall_evidence_at(now)) < settings_.stall_timeout) return false;
  const Move& m = *move_;
  if (m.kind == MoveKind::kBackoff) {
    end_move(now, fx);
  } else if (m.kind != MoveKind::kCalibrate) {
    latch(Fault::kStall,
          "no movement for " + millis(settings_.stall_timeout) + " while driving " +
              std::string(to_string(m.dir)),
          now, fx);
  } else if (tracker_.travelled_mm() >= kMinCalibrationTravelMm) {
    stop_motor(now, fx);
    report_calibrated(settings_.bottom_height_mm, m.source, "end stop", fx);
    end_move(now, fx);
  } else {
    char buf[112];
    std::snprintf(buf, sizeof buf,
                  "calibration: the sensor counted %.1f mm of travel before the end stop",
                  std::max(0.0, tracker_.travelled_mm()));
    latch(Fault::kSensor, buf, now, fx);
  }
  return true;
}

bool MotionController::stall_needs_readings() const {
  return settings_.sensor == SensorKind::kBus && settings_.stops_without_commands &&
         settings_.bus_stale > settings_.stall_timeout;
}

SteadyTime MotionController::stall_evidence_at(SteadyTime now) const {
  return stall_needs_readings() ? std::min(now, inputs_.bus_height_at) : now;
}

// Invariant 3: a sudden slowdown (the speed counts the time since the last reading) ->
// obstruction.
bool MotionController::check_obstruction(SteadyTime now, MotionEffects& fx) {
  const MoveKind k = move_->kind;
  if (k == MoveKind::kCalibrate || k == MoveKind::kBackoff) return false;
  // Judged when a reading shows progress: a dead stop (no progress at all) is a stall.
  if (now != tracker_.last_progress()) return false;
  if (now - drive_since_ < settings_.spin_up || !tracker_.settled_speed()) return false;
  // A bus display that rounds (whole cm) is judged at its changes: a reading alone may be half a
  // step off.
  const bool bus = settings_.sensor == SensorKind::kBus;
  const std::optional<double> crossings = tracker_.crossing_speed();
  if (bus && !crossings) return false;
  const double v = bus ? *crossings : tracker_.speed(now);
  const double expected = expected_speed(move_->dir);
  if (v <= 0 || v >= settings_.obstruction_ratio * expected) return false;
  char buf[96];
  std::snprintf(buf, sizeof buf, "speed fell to %.1f mm/s (expected %.1f)", v, expected);
  latch(Fault::kObstruction, buf, now, fx);
  return true;
}

// Invariant 4 and the target: stop ahead of it by the predicted coast. With a travel sensor the
// height is exact at each reading; between readings it is extrapolated at the measured speed (at
// most the sensor's resolution), and a deadline is set for the predicted stop point.
void MotionController::approach_target(SteadyTime now, MotionEffects& fx) {
  const Move& m = *move_;
  const std::optional<double> known = height_mm(now);
  if (!known) return;
  const bool travel = estimator_->travel_mm().has_value();
  const double v = travel ? run_speed(now) : expected_speed(m.dir);
  const double span = extrapolation_span(v);
  const double h = travel ? *known - *estimator_->travel_mm() + driving_travel(v, now)
                          : *known + sign(m.dir) * extrapolated_mm(v, now);
  if (m.kind != MoveKind::kBackoff && ((m.dir == Drive::kUp && h > settings_.max_height_mm) ||
                                       (m.dir == Drive::kDown && h < settings_.min_height_mm))) {
    return latch(Fault::kLimit,
                 "soft limit reached at " + std::to_string(static_cast<int>(h)) + " mm", now, fx);
  }
  const double coast = travel ? stop_ahead_mm(m, v) : 0.0;
  const double ahead = (m.target_mm - h) * sign(m.dir) - coast;  // mm before stopping
  if (travel && settings_.run_on.count() > 0 && settings_.drive_repeat.count() > 0 && v > 1.0) {
    return stop_between_frames(ahead, v, now, fx);
  }
  if (ahead <= kEpsilonMm) return end_move(now, fx);
  stop_at_.reset();
  if (v > 1.0 && (!travel || ahead < span)) {
    stop_at_ = now + std::chrono::ceil<SteadyTime::duration>(Seconds(ahead / v));
  }
}

// A controller that runs on after its last move frame (Loctek) stops run_on after the last frame
// it got. `ahead_mm` (run-on and coast included) says when the last frame should go out: at that
// time the stop asks for one more frame (StopStyle::kAfterOneFrame), so the stop is not tied to
// the backend's repeat grid (108 ms, ~4 mm at full speed). A stop found late (by a reading, or a
// deadline served half a repeat late) sends no further frame.
void MotionController::stop_between_frames(double ahead_mm, double speed, SteadyTime now,
                                           MotionEffects& fx) {
  const auto repeat = std::chrono::duration_cast<SteadyTime::duration>(settings_.drive_repeat);
  const std::optional<SteadyTime> planned = std::exchange(stop_at_, std::nullopt);
  if (planned && now >= *planned) {
    // Late by half a repeat or more (a busy loop): one more frame would only add run-on.
    const bool on_time = now - *planned < repeat / 2;
    return end_move(now, fx, on_time ? StopStyle::kAfterOneFrame : StopStyle::kNow);
  }
  if (ahead_mm > 2 * speed * Seconds(repeat).count()) return;  // the next reading comes first
  const SteadyTime last_frame =
      now + std::chrono::round<SteadyTime::duration>(Seconds(ahead_mm / speed));
  if (last_frame <= now) return end_move(now, fx);
  stop_at_ = last_frame;
}

// The coast to stop ahead by: the learned one, the cautious prior for a target move before any is
// learned. Near a soft limit, 1.5 x the largest coast known (learned, seen by this process, or
// the prior), so a desk that coasts further than learned still stops inside (invariant 4).
double MotionController::stop_ahead_mm(const Move& m, double speed) const {
  const double run_on = run_on_mm(speed);
  if (near_limit(m.target_mm)) {
    return run_on + coast_.bound(m.dir, speed, settings_.initial_coast_s);
  }
  const double coast = coast_.predict(m.dir, speed);
  if (settings_.stop_ahead && m.kind == MoveKind::kTarget && !coast_.learned(m.dir)) {
    return run_on +
           std::max(coast, kCautiousPriorFactor * settings_.initial_coast_s * std::max(0.0, speed));
  }
  return run_on + coast;
}

// How far the height may be extrapolated past a reading: one count, or the span between two
// readings (a bus reports every 100-200 ms: the desk moves 4-8 mm meanwhile).
double MotionController::extrapolation_span(double speed) const {
  return std::max(estimator_->resolution_mm(),
                  std::max(0.0, speed) * Seconds(tracker_.reading_interval()).count());
}

// The travel since the last reading at `speed`, at most extrapolation_span().
double MotionController::extrapolated_mm(double speed, SteadyTime now) const {
  const double since = Seconds(now - tracker_.last_reading()).count();
  return std::min(extrapolation_span(speed), std::max(0.0, speed) * std::max(0.0, since));
}

// A bus display rounds (Loctek: whole cm from 100 cm, 0.1 inch): a new number means the desk
// crossed the midpoint between it and the last one at some time since the previous report (at
// `prev_report`), on average half that interval ago. With a fine display this is the reading.
void MotionController::anchor_reading(double prev_mm, double mm, SteadyTime prev_report,
                                      SteadyTime now) {
  const Drive dir = move_->dir;
  if ((mm - prev_mm) * sign(dir) <= 0 || prev_report <= drive_since_ || prev_report >= now) {
    anchor_ = Anchor{now, mm};
    return;
  }
  const double v = run_speed(now);
  const double per_report = v * Seconds(now - prev_report).count();
  coarse_display_ = std::abs(mm - prev_mm) > kCoarseStepRatio * per_report;
  anchor_ = Anchor{now, (prev_mm + mm) / 2 + sign(dir) * per_report / 2};
  tracker_.crossing(prev_report + (now - prev_report) / 2, (prev_mm + mm) / 2);
}

// The run's line at cruise speed: its crossings after spin_up.
std::optional<TravelTracker::Line> MotionController::cruise_line(double prior_speed) const {
  return tracker_.cruise(prior_speed, drive_since_ + settings_.spin_up);
}

// The speed of this run: the slope of its cruise line once fitted, else the readings' speed.
double MotionController::run_speed(SteadyTime now) const {
  const double expected = expected_speed(move_->dir);
  if (auto line = cruise_line(expected); line && line->fitted) return line->speed_mm_s;
  // A bus reports every 100-200 ms in steps up to whole cm: before its line, the readings' speed
  // is off by tens of mm/s; the cruise speed learned from earlier runs is nearer.
  if (settings_.sensor == SensorKind::kBus) return expected;
  return tracker_.reading_speed(now, expected);
}

// The travel now while driving: from the last crossing (anchor_) or the last reading, extrapolated
// at `speed` (at most extrapolation_span()).
double MotionController::driving_travel(double speed, SteadyTime now) const {
  const double reading = estimator_->travel_mm().value_or(0.0);
  const auto line = cruise_line(speed);
  const auto interval = tracker_.reading_interval();
  if (line && now - tracker_.last_reading() <= 2 * interval) {  // still reporting: on its line
    return line->travel_at(now, sign(move_->dir));
  }
  if (!anchor_ || anchor_->at < tracker_.last_reading()) {
    return reading + sign(move_->dir) * extrapolated_mm(speed, now);
  }
  const double since = Seconds(now - anchor_->at).count();
  return anchor_->mm + sign(move_->dir) * std::min(extrapolation_span(speed),
                                                   std::max(0.0, speed) * std::max(0.0, since));
}

double MotionController::run_on_mm(double speed) const {
  return std::max(0.0, speed) * Seconds(settings_.run_on).count();
}

// How long the motor runs on after a stop written at `stop` (0 with a stop command): run_on after
// the last frame, which went out at drive_since_ + k x drive_repeat (outputs_written() corrects it
// with the real one).
SteadyTime::duration MotionController::run_on_left(SteadyTime stop) const {
  const auto run_on = std::chrono::duration_cast<SteadyTime::duration>(settings_.run_on);
  if (run_on.count() <= 0 || settings_.drive_repeat.count() <= 0 || stop < drive_since_) {
    return run_on;
  }
  const auto repeat = std::chrono::duration_cast<SteadyTime::duration>(settings_.drive_repeat);
  return std::max(SteadyTime::duration{}, run_on - (stop - drive_since_) % repeat);
}

bool MotionController::near_limit(double target_mm) const {
  return target_mm >= settings_.max_height_mm - kNearLimitMm ||
         target_mm <= settings_.min_height_mm + kNearLimitMm;
}

// ---- Helpers --------------------------------------------------------------------------------

void MotionController::outputs_written(SteadyTime at, Drive written,
                                       std::optional<SteadyTime> last_frame) {
  if (phase_ == Phase::kDriving) {
    if (written == move_->dir) drive_effective(at);
    return;
  }
  if (written != Drive::kNone) return;
  stop_written(at);
  if (last_frame && settings_.run_on.count() > 0) {  // the motor stops run_on after the frame
    last_stop_.run_on = std::max(SteadyTime::duration{},
                                 *last_frame + settings_.run_on - std::max(at, *last_frame));
    at += last_stop_.run_on;  // the dead time counts from the motor's real stop (invariant 1)
  }
  if (at <= last_stop_.at) return;
  if (resume_at_) *resume_at_ += at - last_stop_.at;
  last_stop_.at = at;
}

// The stop decided at last_stop_.at reached the outputs at `at`: until then the motor drove on
// (a runner starved of CPU writes late). That run is not coast, so the travel at the stop moves
// on by it; and a stop written this late teaches the coast nothing (its run is an estimate).
void MotionController::stop_written(SteadyTime at) {
  if (at <= last_stop_.at || last_stop_.dir == Drive::kNone) return;
  last_stop_.travel_mm +=
      last_stop_.speed_mm_s * Seconds(at - last_stop_.at).count() * sign(last_stop_.dir);
  last_stop_.written_late = at - last_stop_.at > kLateStop;
}

// The drive started at drive_since_ moves the desk only from `at` (nothing moved before): the
// run's supervision starts again from there, as if it had been started then.
void MotionController::drive_effective(SteadyTime at) {
  if (at <= drive_since_) return;
  const Move& m = *move_;
  const double travel = estimator_->travel_mm().value_or(0.0);
  drive_since_ = at;
  estimator_->drive_changed(m.dir, at);
  tracker_.start(m.dir, travel, at);
  anchor_.reset();
  coarse_display_ = false;
  stall_.start(m.dir, travel, settings_.obstruction_ratio * expected_speed(m.dir), at);
  episode_.started_late(at);
  leg_ = move_deadlines({runs_to_end(m), episode_.drive_since(), episode_.planned_at(),
                         episode_.distance_mm(), expected_speed(m.dir)},
                        settings_);
  stop_at_.reset();
}

// Travel in the last stop's direction soon after it is the coast. While settling, a reading that
// arrives late (a slow event loop: a save, a busy CPU, a fast --time-scale) still is, as long as
// the travel since the stop could be a coast at all.
bool MotionController::coasting(double travel, SteadyTime now) const {
  if (manual_.handset_held() || last_stop_.dir == Drive::kNone) return false;
  if ((travel - last_travel_.value_or(travel)) * sign(last_stop_.dir) <= 0) return false;
  if (now <= last_stop_.at + kCoastWindow + settings_.run_on) return true;
  const double since_stop = (travel - last_stop_.travel_mm) * sign(last_stop_.dir);
  return phase_ == Phase::kSettling &&
         coast_.plausible(since_stop,
                          std::max(last_stop_.speed_mm_s, expected_speed(last_stop_.dir)));
}

bool MotionController::runs_to_end(const Move& m) const {
  return estimator_->end_stops_only() ||
         (m.kind == MoveKind::kCalibrate && estimator_->calibration() == Calibration::kTimedRun);
}

void MotionController::learn_from_stop(SteadyTime now) {
  // Learn the cruise speed from long runs (a travel sensor measures it).
  const double v = last_stop_.speed_mm_s;
  if (!estimator_->travel_mm() || now - drive_since_ < kMinRunToLearnSpeed || v <= 0) return;
  double& learned = last_stop_.dir == Drive::kUp ? up_speed_ : down_speed_;
  if (v > 0.6 * learned && v < 1.6 * learned) learned += kSpeedLearnRate * (v - learned);
}

Drive MotionController::motion() const {
  switch (phase_) {
    case Phase::kDriving:
    case Phase::kReversePause:
      return move_->dir;
    case Phase::kSettling:  // coasting: the move (or the stopped run) is not over yet
      return settling_->done ? settling_->done->dir : last_stop_.dir;
    case Phase::kIdle:
    case Phase::kFault:
      break;
  }
  return Drive::kNone;
}

std::optional<int> MotionController::target_mm() const {
  const bool settling = phase_ == Phase::kSettling && settling_->done;
  const Move* m = move_ ? &*move_ : settling ? &*settling_->done : nullptr;
  if (!m || m->kind == MoveKind::kCalibrate) return std::nullopt;
  if (m->kind == MoveKind::kCorrectionAway && m->nudge_return_mm) {
    return static_cast<int>(std::lround(*m->nudge_return_mm));  // the move's target
  }
  return static_cast<int>(std::lround(m->target_mm));
}

RestoredPosition MotionController::persistent(SteadyTime now) const {
  RestoredPosition p;
  p.height_mm = height_mm(now);
  p.height_uncertainty_mm = estimator_->uncertainty_mm();
  p.coast = coast_.model();
  p.up_speed_mm_s = up_speed_;
  p.down_speed_mm_s = down_speed_;
  return p;
}

}  // namespace deskd::core
