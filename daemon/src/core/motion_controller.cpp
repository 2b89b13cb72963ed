#include "core/motion_controller.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace deskd::core {
namespace {

using std::chrono::duration;
using std::chrono::duration_cast;
using Seconds = duration<double>;

constexpr auto kSpeedWindow = std::chrono::milliseconds(300);
constexpr auto kMinSpeedSpan = std::chrono::milliseconds(150);
constexpr int kEncoderErrorLimit = 10;     // impossible transitions in one move -> sensor fault
constexpr double kUnexpectedLimitMm = 20;  // a limit switch this far before the target: fault
constexpr double kSpeedLearnRate = 0.2;
constexpr auto kMinRunToLearnSpeed = std::chrono::milliseconds(1500);

double sign(Drive d) { return d == Drive::kUp ? 1.0 : d == Drive::kDown ? -1.0 : 0.0; }

SteadyTime::duration to_duration(double seconds) {
  return std::chrono::ceil<SteadyTime::duration>(Seconds(std::max(0.0, seconds)));
}

}  // namespace

MotionController::MotionController(MotionSettings settings, const InputSnapshot& initial_inputs,
                                   RestoredPosition restored, SteadyTime now)
    : settings_(settings),
      coast_(settings.stop_ahead ? settings.initial_coast_s : 0.0, restored.coast),
      up_speed_(restored.up_speed_mm_s.value_or(settings.up_speed_mm_s)),
      down_speed_(restored.down_speed_mm_s.value_or(settings.down_speed_mm_s)),
      inputs_(initial_inputs),
      last_stop_(now) {
  if (restored.height_mm) set_height(*restored.height_mm);
  if (settings_.has_limit_bottom && inputs_.limit_bottom) set_height(settings_.bottom_height_mm);
  if (settings_.has_limit_top && inputs_.limit_top) set_height(settings_.top_height_mm);
  settle_state();
}

// ---- The transition function ----------------------------------------------------------------

MotionEffects MotionController::handle(const MotionInput& input, SteadyTime now) {
  MotionEffects fx;
  if (const auto* c = std::get_if<MotionCommand>(&input)) {
    fx = on_command(*c, now);
  } else if (const auto* i = std::get_if<InputsChanged>(&input)) {
    fx = on_inputs(i->inputs, now);
  } else if (std::holds_alternative<DeadlineReached>(input)) {
    fx = on_deadline(now);
  } else if (const auto* f = std::get_if<OutputFailed>(&input)) {
    latch_fault(Fault::kGpio, "outputs could not be set: " + f->detail, now, fx);
    fx.drive = Drive::kNone;  // try again to leave them inactive
  }
  settle_state();
  return fx;
}

MotionEffects MotionController::on_command(const MotionCommand& c, SteadyTime now) {
  MotionEffects fx;
  using Kind = MotionCommand::Kind;
  if (c.kind == Kind::kStop) {
    const bool was_active = drive_ != Drive::kNone || resume_at_.has_value();
    const std::optional<double> from = height_mm(now);
    move_.reset();
    resume_at_.reset();
    stop_outputs(now, fx);
    if (fault_ != Fault::kNone && fault_ != Fault::kLimit) lose_position();  // a stopped back-off
    if (was_active) {
      fx.notices.push_back({MotionNotice::Kind::kStopped, c.source, std::nullopt, from,
                            std::nullopt, Fault::kNone, "stop command"});
    }
    return fx;
  }
  if (c.kind == Kind::kClearFault) {
    if (fault_ == Fault::kNone) {
      fx.error = "no fault is latched";
    } else if (drive_ != Drive::kNone || resume_at_) {
      fx.error = "the desk is still backing off; clear the fault when it has stopped";
    } else {
      fault_ = Fault::kNone;
      fault_detail_.clear();
    }
    return fx;
  }
  if (fault_ != Fault::kNone) {
    fx.error = "fault latched (" + std::string(to_string(fault_)) + "): clear it first";
    return fx;
  }
  if (inputs_.handset_up || inputs_.handset_down) {
    fx.error = "the handset is in use";
    return fx;
  }
  const bool end_stop_only = settings_.sensor == SensorKind::kNone;
  switch (c.kind) {
    case Kind::kGoTo: {
      if (auto e = check_target(c.target_mm)) {
        fx.error = *e;
        return fx;
      }
      Move m;
      m.source = c.source;
      if (end_stop_only) {
        // Two states: run to the end stop nearer the target.
        const double mid = (settings_.bottom_height_mm + settings_.top_height_mm) / 2.0;
        m.dir = c.target_mm >= mid ? Drive::kUp : Drive::kDown;
        m.target_mm = m.dir == Drive::kUp ? settings_.top_height_mm : settings_.bottom_height_mm;
        if (height_ && std::abs(*height_ - m.target_mm) < 1.0 && drive_ == Drive::kNone) {
          fx.notices.push_back({MotionNotice::Kind::kMoveFinished, c.source, c.target_mm, height_,
                                height_, Fault::kNone, "already there"});
          return fx;
        }
      } else {
        if (!height_) {
          fx.error = "position unknown: calibrate first";
          return fx;
        }
        const double h = estimate_now(now);
        const double diff = c.target_mm - h;
        if (std::abs(diff) <= settings_.tolerance_mm && drive_ == Drive::kNone && !resume_at_) {
          fx.notices.push_back({MotionNotice::Kind::kMoveFinished, c.source, c.target_mm, h, h,
                                Fault::kNone, "already there"});
          return fx;
        }
        m.dir = diff > 0 ? Drive::kUp : Drive::kDown;
        m.target_mm = c.target_mm;
      }
      begin_move(std::move(m), now, fx);
      return fx;
    }
    case Kind::kCalibrate: {
      Move m;
      m.kind = MoveKind::kCalibrate;
      m.dir = Drive::kDown;
      m.target_mm = settings_.bottom_height_mm;
      m.source = c.source;
      if (settings_.has_limit_bottom && inputs_.limit_bottom) {
        set_height(settings_.bottom_height_mm);
        fx.notices.push_back({MotionNotice::Kind::kCalibrated, c.source, std::nullopt, std::nullopt,
                              height_, Fault::kNone, "already at the bottom"});
        return fx;
      }
      begin_move(std::move(m), now, fx);
      return fx;
    }
    case Kind::kNudge: {
      if (!height_ || end_stop_only) {
        fx.error = "position unknown: cannot nudge";
        return fx;
      }
      if (drive_ != Drive::kNone || resume_at_) {
        fx.error = "the desk is moving";
        return fx;
      }
      const double h = estimate_now(now);
      Move m;
      m.kind = MoveKind::kNudgeOut;
      m.source = c.source;
      m.nudge_return_mm = h;
      const bool room_up = h + settings_.nudge_mm <= settings_.max_height_mm;
      m.dir = room_up ? Drive::kUp : Drive::kDown;
      m.target_mm = h + (room_up ? settings_.nudge_mm : -settings_.nudge_mm);
      begin_move(std::move(m), now, fx);
      return fx;
    }
    default:
      return fx;
  }
}

MotionEffects MotionController::on_inputs(const InputSnapshot& in, SteadyTime now) {
  MotionEffects fx;
  const InputSnapshot prev = inputs_;
  const std::optional<double> height_before = height_mm(now);
  inputs_ = in;
  const bool encoder = settings_.sensor == SensorKind::kEncoder;

  // 1. Encoder.
  if (encoder && in.encoder_count != prev.encoder_count) {
    const double raw = in.encoder_count * settings_.mm_per_count;
    if (height_) height_ = offset_mm_ + raw;
    if (drive_ != Drive::kNone) {
      samples_.push_back({now, raw});
      while (samples_.size() > 2 && samples_[1].t <= now - kSpeedWindow) samples_.pop_front();
      if ((raw - last_progress_h_) * sign(drive_) > 0) {
        last_progress_ = now;
        last_progress_h_ = raw;
      }
    } else if (settle_at_) {
      settle_at_ = now + settings_.settle;  // still coasting
    } else {
      if (!manual_active_) {
        manual_active_ = true;
        manual_from_ = height_before;
      }
      manual_last_change_ = now;
    }
  }
  if (encoder && drive_ != Drive::kNone && move_ &&
      in.encoder_errors - move_->encoder_errors_at_start >= kEncoderErrorLimit) {
    latch_fault(Fault::kSensor,
                "encoder reported " +
                    std::to_string(in.encoder_errors - move_->encoder_errors_at_start) +
                    " impossible transitions",
                now, fx);
    return fx;
  }

  // 2. Handset: manual use always wins.
  const bool handset_pressed =
      (in.handset_up && !prev.handset_up) || (in.handset_down && !prev.handset_down);
  if (handset_pressed) {
    if (drive_ != Drive::kNone || resume_at_ || move_) {
      move_.reset();
      resume_at_.reset();
      stop_outputs(now, fx);
      fx.notices.push_back({MotionNotice::Kind::kStopped, "handset", std::nullopt, height_before,
                            std::nullopt, Fault::kNone, "manual override"});
    }
    if (!manual_active_) {
      manual_active_ = true;
      manual_from_ = height_before;
    }
    handset_since_ = now;
    handset_dir_ = in.handset_up ? Drive::kUp : Drive::kDown;
    manual_last_change_ = now;
  } else if (handset_since_ && !in.handset_up && !in.handset_down) {
    if (settings_.sensor == SensorKind::kTimed && height_) {
      const double run_s = Seconds(now - *handset_since_).count();
      const double v = handset_dir_ == Drive::kUp ? up_speed_ : down_speed_;
      set_height(std::clamp(*height_ + sign(handset_dir_) * v * run_s,
                            static_cast<double>(settings_.bottom_height_mm),
                            static_cast<double>(settings_.top_height_mm)));
    } else if (settings_.sensor == SensorKind::kNone) {
      lose_position();
    }
    handset_since_.reset();
    manual_last_change_ = now;
  }

  // 3. Limit switches stop motion towards them and re-zero the position.
  const bool bottom_hit = settings_.has_limit_bottom && in.limit_bottom &&
                          (!prev.limit_bottom || drive_ == Drive::kDown);
  const bool top_hit =
      settings_.has_limit_top && in.limit_top && (!prev.limit_top || drive_ == Drive::kUp);
  if (bottom_hit || top_hit) {
    const double end = bottom_hit ? settings_.bottom_height_mm : settings_.top_height_mm;
    const Drive towards = bottom_hit ? Drive::kDown : Drive::kUp;
    if (drive_ == towards && move_) {
      stop_outputs(now, fx);
      set_height(end);
      const bool expected = move_->kind == MoveKind::kCalibrate ||
                            std::abs(move_->target_mm - end) <= kUnexpectedLimitMm ||
                            settings_.sensor == SensorKind::kNone;
      if (move_->kind == MoveKind::kCalibrate) {
        fx.notices.push_back({MotionNotice::Kind::kCalibrated, move_->source, std::nullopt,
                              std::nullopt, end, Fault::kNone, "limit switch"});
      }
      if (expected) {
        finish_move(now, fx);
      } else {
        latch_fault(Fault::kLimit,
                    std::string(bottom_hit ? "bottom" : "top") +
                        " limit switch reached before the target " +
                        std::to_string(static_cast<int>(move_->target_mm)) + " mm",
                    now, fx);
      }
      return fx;
    }
    if (drive_ == Drive::kNone) set_height(end);  // manual move to an end: re-zero
  }

  check_progress(now, fx);
  return fx;
}

MotionEffects MotionController::on_deadline(SteadyTime now) {
  MotionEffects fx;
  if (resume_at_ && now >= *resume_at_) {
    resume_at_.reset();
    if (move_) start_driving(now, fx);
    return fx;
  }
  if (drive_ != Drive::kNone && move_) {
    if (move_->run_until && now >= *move_->run_until) {
      // A time-based end (no sensor): assume the end stop is reached.
      const double end = move_->target_mm;
      stop_outputs(now, fx);
      set_height(end);
      if (move_->kind == MoveKind::kCalibrate) {
        fx.notices.push_back({MotionNotice::Kind::kCalibrated, move_->source, std::nullopt,
                              std::nullopt, end, Fault::kNone, "end stop (timed)"});
      }
      finish_move(now, fx);
      return fx;
    }
    if (now >= move_->deadline) {
      latch_fault(Fault::kTimeout,
                  "move did not finish within " +
                      std::to_string(
                          duration_cast<std::chrono::milliseconds>(move_->deadline - drive_since_)
                              .count()) +
                      " ms",
                  now, fx);
      return fx;
    }
    check_progress(now, fx);
    return fx;
  }
  if (settle_at_ && now >= *settle_at_) {
    settle_at_.reset();
    if (settings_.sensor == SensorKind::kEncoder) {
      const double raw = inputs_.encoder_count * settings_.mm_per_count;
      const double coast = (raw - stop_height_) * sign(stop_dir_);
      const double v = stop_dir_ == Drive::kUp ? up_speed_ : down_speed_;
      if (settings_.stop_ahead && stop_speed_ >= 0.6 * v)
        coast_.learn(stop_dir_, stop_speed_, coast);
    }
    if (finish_notice_) {
      finish_notice_->height_mm = height_mm(now);
      fx.notices.push_back(*finish_notice_);
      finish_notice_.reset();
    }
    if (move_ && move_->kind == MoveKind::kBackoff) {
      move_.reset();
      lose_position();
    } else if (move_) {
      Move next = *move_;  // the pending return leg of a nudge
      move_.reset();
      begin_move(std::move(next), now, fx);
    }
    return fx;
  }
  if (manual_active_ && !handset_since_ && now >= manual_last_change_ + 2 * settings_.settle) {
    manual_active_ = false;
    fx.notices.push_back({MotionNotice::Kind::kManualMove, "handset", std::nullopt, manual_from_,
                          height_mm(now), Fault::kNone, ""});
    manual_from_.reset();
  }
  return fx;
}

// ---- Moves ----------------------------------------------------------------------------------

void MotionController::begin_move(Move m, SteadyTime now, MotionEffects& fx) {
  if (settle_at_) {  // a new move before the last one settled: report it now, learn nothing
    settle_at_.reset();
    if (finish_notice_) {
      finish_notice_->height_mm = height_mm(now);
      fx.notices.push_back(*finish_notice_);
      finish_notice_.reset();
    }
  }
  m.encoder_errors_at_start = inputs_.encoder_errors;
  if (move_ && move_->source != m.source) {
    // The earlier move (e.g. an automatic one) is replaced: report it as stopped so its owner
    // knows it will not finish.
    fx.notices.push_back({MotionNotice::Kind::kStopped, m.source, std::nullopt, height_mm(now),
                          std::nullopt, Fault::kNone, "superseded"});
  }
  resume_at_.reset();
  if (drive_ == m.dir && move_) {  // same direction: re-target without stopping
    if (move_->run_until) {
      // No sensor: the move ends at the end stop whatever the new target; keep its timing.
      m.run_until = move_->run_until;
      m.deadline = move_->deadline;
      m.started = move_->started;
      m.target_mm = move_->target_mm;
      move_ = std::move(m);
      return;
    }
    const SteadyTime started = drive_since_;
    move_ = std::move(m);
    move_->deadline = std::min(
        started + settings_.max_run,
        now +
            to_duration(travel_time_s(std::abs(move_->target_mm - estimate_now(now)), move_->dir) *
                            settings_.deadline_margin +
                        2.0));
    fx.notices.push_back({MotionNotice::Kind::kMoveStarted, move_->source,
                          static_cast<int>(move_->target_mm), height_mm(now), std::nullopt,
                          Fault::kNone, "re-targeted"});
    check_progress(now, fx);
    return;
  }
  if (drive_ != Drive::kNone) stop_outputs(now, fx);
  move_ = std::move(m);
  const bool reversal =
      any_direction_dead_time_ || (last_dir_ != Drive::kNone && last_dir_ != move_->dir);
  if (reversal && now < last_stop_ + settings_.reverse_delay) {
    resume_at_ = last_stop_ + settings_.reverse_delay;  // invariant 1: dead time first
    return;
  }
  start_driving(now, fx);
}

void MotionController::start_driving(SteadyTime now, MotionEffects& fx) {
  any_direction_dead_time_ = false;
  if (settle_at_) {  // the last stop had not settled yet (a short reverse delay)
    settle_at_.reset();
    if (finish_notice_) {
      finish_notice_->height_mm = height_mm(now);
      fx.notices.push_back(*finish_notice_);
      finish_notice_.reset();
    }
  }
  if (manual_active_ && !handset_since_) {  // a manual move ends where deskd takes over
    manual_active_ = false;
    fx.notices.push_back({MotionNotice::Kind::kManualMove, "handset", std::nullopt, manual_from_,
                          height_mm(now), Fault::kNone, ""});
    manual_from_.reset();
  }
  Move& m = *move_;
  const bool time_based = settings_.sensor != SensorKind::kEncoder &&
                          (m.kind == MoveKind::kCalibrate || settings_.sensor == SensorKind::kNone);
  const double full_travel = settings_.top_height_mm - settings_.bottom_height_mm;
  double estimate_s;
  if (time_based) {
    estimate_s = travel_time_s(full_travel, m.dir) * 1.15 + 0.5;
  } else if (m.kind == MoveKind::kCalibrate) {
    estimate_s = travel_time_s(full_travel, m.dir) * settings_.deadline_margin + 2.0;
  } else {
    const double dist = height_ ? std::abs(m.target_mm - estimate_now(now)) : full_travel;
    estimate_s = travel_time_s(dist, m.dir) * settings_.deadline_margin + 2.0;
  }
  const SteadyTime max_end = now + settings_.max_run;
  m.started = now;
  m.start_height = height_.value_or(0);
  m.deadline = time_based ? max_end : std::min(max_end, now + to_duration(estimate_s));
  if (time_based)
    m.run_until = std::min(now + to_duration(estimate_s), max_end - SteadyTime::duration(1));
  if (m.kind == MoveKind::kCalibrate || settings_.sensor == SensorKind::kNone) lose_position();

  drive_ = m.dir;
  fx.drive = m.dir;
  drive_since_ = now;
  last_progress_ = now;
  last_progress_h_ = inputs_.encoder_count * settings_.mm_per_count;
  samples_.clear();
  samples_.push_back({now, last_progress_h_});
  if (m.kind != MoveKind::kNudgeBack && m.kind != MoveKind::kBackoff) {
    fx.notices.push_back(
        {MotionNotice::Kind::kMoveStarted, m.source,
         m.kind == MoveKind::kCalibrate ? std::nullopt : std::optional<int>(m.target_mm),
         height_mm(now), std::nullopt, Fault::kNone,
         m.kind == MoveKind::kCalibrate  ? "calibrate"
         : m.kind == MoveKind::kNudgeOut ? "nudge"
                                         : ""});
  }
}

void MotionController::stop_outputs(SteadyTime now, MotionEffects& fx) {
  if (drive_ == Drive::kNone) return;
  if (settings_.sensor == SensorKind::kTimed && height_) height_ = estimate_now(now);
  stop_height_ = inputs_.encoder_count * settings_.mm_per_count;
  stop_speed_ = measured_speed();
  stop_dir_ = drive_;
  last_dir_ = drive_;
  last_stop_ = now;
  drive_ = Drive::kNone;
  fx.drive = Drive::kNone;
  predicted_stop_.reset();
  settle_at_ = now + settings_.settle;
  // Learn the cruise speed from long runs.
  if (settings_.sensor == SensorKind::kEncoder && now - drive_since_ >= kMinRunToLearnSpeed &&
      stop_speed_ > 0) {
    double& v = stop_dir_ == Drive::kUp ? up_speed_ : down_speed_;
    if (stop_speed_ > 0.6 * v && stop_speed_ < 1.6 * v) v += kSpeedLearnRate * (stop_speed_ - v);
  }
}

void MotionController::finish_move(SteadyTime now, MotionEffects& fx) {
  if (!move_) return;
  const Move done = *move_;
  move_.reset();
  if (done.kind == MoveKind::kNudgeOut && done.nudge_return_mm) {
    Move back;
    back.kind = MoveKind::kNudgeBack;
    back.source = done.source;
    back.target_mm = *done.nudge_return_mm;
    back.dir = done.dir == Drive::kUp ? Drive::kDown : Drive::kUp;
    move_ = back;  // started when the desk has settled
    return;
  }
  if (done.kind == MoveKind::kBackoff) {
    move_ = done;  // position is dropped once settled
    return;
  }
  MotionNotice n{MotionNotice::Kind::kMoveFinished,
                 done.source,
                 std::nullopt,
                 std::nullopt,
                 std::nullopt,
                 Fault::kNone,
                 ""};
  if (done.kind != MoveKind::kCalibrate) n.target_mm = static_cast<int>(done.target_mm);
  if (done.kind == MoveKind::kNudgeBack) n.detail = "nudge";
  finish_notice_ = n;
  if (!settle_at_) {  // nothing to wait for
    n.height_mm = height_mm(now);
    fx.notices.push_back(n);
    finish_notice_.reset();
  }
}

void MotionController::latch_fault(Fault f, std::string detail, SteadyTime now, MotionEffects& fx,
                                   bool backoff) {
  const Drive was = drive_ != Drive::kNone ? drive_ : (move_ ? move_->dir : Drive::kNone);
  const std::optional<double> h = height_mm(now);
  stop_outputs(now, fx);
  move_.reset();
  resume_at_.reset();
  finish_notice_.reset();
  fault_ = f;
  fault_detail_ = detail;
  fx.notices.push_back(
      {MotionNotice::Kind::kFault, "", std::nullopt, std::nullopt, h, f, std::move(detail)});
  if (backoff && h && settings_.backoff_mm > 0 && was != Drive::kNone) {
    Move m;
    m.kind = MoveKind::kBackoff;
    m.source = "backoff";
    m.dir = was == Drive::kUp ? Drive::kDown : Drive::kUp;
    m.target_mm = std::clamp(*h - sign(was) * settings_.backoff_mm,
                             static_cast<double>(settings_.min_height_mm),
                             static_cast<double>(settings_.max_height_mm));
    begin_move(std::move(m), now, fx);
    return;
  }
  if (f != Fault::kLimit) lose_position();  // invariant 5: position unknown after a fault
}

void MotionController::check_progress(SteadyTime now, MotionEffects& fx) {
  if (drive_ == Drive::kNone || !move_) return;
  Move& m = *move_;
  if (m.run_until) return;  // time-based: ends at run_until or a limit switch
  const bool calibrating = m.kind == MoveKind::kCalibrate;
  if (settings_.sensor == SensorKind::kEncoder) {
    // Invariant 3: no progress for stall_timeout -> stall (or, calibrating, the end stop).
    if (now - last_progress_ >= settings_.stall_timeout) {
      if (calibrating) {
        stop_outputs(now, fx);
        set_height(settings_.bottom_height_mm);
        fx.notices.push_back({MotionNotice::Kind::kCalibrated, m.source, std::nullopt, std::nullopt,
                              height_, Fault::kNone, "end stop"});
        finish_move(now, fx);
      } else if (m.kind == MoveKind::kBackoff) {
        stop_outputs(now, fx);
        finish_move(now, fx);
      } else {
        latch_fault(
            Fault::kStall,
            "no movement for " +
                std::to_string(
                    duration_cast<std::chrono::milliseconds>(settings_.stall_timeout).count()) +
                " ms while driving " + std::string(to_string(drive_)),
            now, fx);
      }
      return;
    }
    // Invariant 3: a sudden slowdown -> obstruction, back off.
    if (!calibrating && m.kind != MoveKind::kBackoff && samples_.size() >= 2 &&
        now - drive_since_ >= settings_.spin_up &&
        samples_.back().t - samples_.front().t >= kMinSpeedSpan) {
      const double v = measured_speed();
      if (v < settings_.obstruction_ratio * expected_speed(drive_)) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "speed fell to %.1f mm/s (expected %.1f)", v,
                      expected_speed(drive_));
        latch_fault(Fault::kObstruction, buf, now, fx, /*backoff=*/true);
        return;
      }
    }
  }
  if (calibrating || !height_) return;
  // Invariant 4 and the target: stop ahead of it by the predicted coast. With an encoder the
  // height is exact at each edge; between edges it is extrapolated at the measured speed (at
  // most one count), and a deadline is set for the predicted stop point.
  predicted_stop_.reset();
  double h = estimate_now(now);
  double v = expected_speed(m.dir);
  double coast = 0;
  const bool encoder = settings_.sensor == SensorKind::kEncoder;
  if (encoder) {
    if (samples_.size() >= 2 && samples_.back().t - samples_.front().t >= kMinSpeedSpan) {
      v = measured_speed();
    }
    const double since_edge = Seconds(now - samples_.back().t).count();
    h += sign(m.dir) * std::min(settings_.mm_per_count, std::max(0.0, v) * since_edge);
    coast = coast_.predict(m.dir, v);
    // Near a soft limit, err short: the limit must never be passed (invariant 4).
    constexpr double kNearLimitMm = 10;
    constexpr double kNearLimitFactor = 1.5;
    if (m.target_mm >= settings_.max_height_mm - kNearLimitMm ||
        m.target_mm <= settings_.min_height_mm + kNearLimitMm) {
      coast *= kNearLimitFactor;
    }
  }
  const bool past_soft_limit = (m.dir == Drive::kUp && h > settings_.max_height_mm) ||
                               (m.dir == Drive::kDown && h < settings_.min_height_mm);
  if (past_soft_limit && m.kind != MoveKind::kBackoff) {
    latch_fault(Fault::kLimit,
                "soft limit reached at " + std::to_string(static_cast<int>(h)) + " mm", now, fx);
    return;
  }
  const double remaining = (m.target_mm - h) * sign(m.dir);
  constexpr double kEpsilonMm = 0.01;
  if (remaining <= coast + kEpsilonMm) {
    stop_outputs(now, fx);
    finish_move(now, fx);
    return;
  }
  if (encoder && v > 1.0) {
    const double ahead = remaining - coast;  // mm still to go before stopping
    if (ahead < settings_.mm_per_count) predicted_stop_ = now + to_duration(ahead / v);
  }
}

void MotionController::outputs_written(SteadyTime at) {
  if (drive_ != Drive::kNone || at <= last_stop_) return;
  if (resume_at_) *resume_at_ += at - last_stop_;
  last_stop_ = at;
}

// ---- Helpers --------------------------------------------------------------------------------

std::optional<std::string> MotionController::check_target(int target_mm) const {
  if (target_mm < settings_.min_height_mm || target_mm > settings_.max_height_mm) {
    return "height " + std::to_string(target_mm) + " mm is outside the limits " +
           std::to_string(settings_.min_height_mm) + "-" + std::to_string(settings_.max_height_mm) +
           " mm";
  }
  return std::nullopt;
}

void MotionController::lose_position() { height_.reset(); }

void MotionController::set_height(double h) {
  height_ = h;
  if (settings_.sensor == SensorKind::kEncoder) {
    offset_mm_ = h - inputs_.encoder_count * settings_.mm_per_count;
  }
}

double MotionController::estimate_now(SteadyTime now) const {
  if (!height_) return 0;
  if (settings_.sensor == SensorKind::kTimed && drive_ != Drive::kNone) {
    const double v = drive_ == Drive::kUp ? up_speed_ : down_speed_;
    const double h = *height_ + sign(drive_) * v * Seconds(now - drive_since_).count();
    return std::clamp(h, static_cast<double>(settings_.bottom_height_mm),
                      static_cast<double>(settings_.top_height_mm));
  }
  return *height_;
}

std::optional<double> MotionController::height_mm(SteadyTime now) const {
  if (!height_) return std::nullopt;
  return estimate_now(now);
}

std::optional<int> MotionController::target_mm() const {
  if (!move_ || move_->kind == MoveKind::kCalibrate) return std::nullopt;
  return static_cast<int>(std::lround(move_->target_mm));
}

double MotionController::measured_speed() const {
  if (samples_.size() < 2) return 0;
  const double dt = Seconds(samples_.back().t - samples_.front().t).count();
  if (dt <= 0) return 0;
  return (samples_.back().h - samples_.front().h) / dt * sign(drive_);
}

double MotionController::expected_speed(Drive d) const {
  return d == Drive::kUp ? up_speed_ : down_speed_;
}

double MotionController::travel_time_s(double distance_mm, Drive d) const {
  return distance_mm / std::max(1.0, expected_speed(d));
}

std::optional<SteadyTime> MotionController::next_deadline() const {
  std::optional<SteadyTime> next;
  auto consider = [&next](SteadyTime t) {
    if (!next || t < *next) next = t;
  };
  if (resume_at_) consider(*resume_at_);
  if (drive_ != Drive::kNone && move_) {
    consider(move_->deadline);
    if (move_->run_until) consider(*move_->run_until);
    if (settings_.sensor == SensorKind::kEncoder && !move_->run_until) {
      consider(last_progress_ + settings_.stall_timeout);
    }
    if (predicted_stop_) consider(*predicted_stop_);
    if (settings_.sensor == SensorKind::kTimed && !move_->run_until && height_) {
      const double remaining = std::max(0.0, (move_->target_mm - *height_) * sign(drive_));
      consider(drive_since_ + to_duration(remaining / std::max(1.0, expected_speed(drive_))));
    }
  }
  if (settle_at_) consider(*settle_at_);
  if (manual_active_ && !handset_since_ && drive_ == Drive::kNone) {
    consider(manual_last_change_ + 2 * settings_.settle);
  }
  return next;
}

RestoredPosition MotionController::persistent(SteadyTime now) const {
  RestoredPosition p;
  p.height_mm = height_mm(now);
  p.coast = coast_.model();
  p.up_speed_mm_s = up_speed_;
  p.down_speed_mm_s = down_speed_;
  return p;
}

void MotionController::settle_state() {
  if (drive_ != Drive::kNone) {
    state_ = move_ && move_->kind == MoveKind::kCalibrate ? MotionState::kCalibrating
             : drive_ == Drive::kUp                       ? MotionState::kMovingUp
                                                          : MotionState::kMovingDown;
  } else if (resume_at_) {
    state_ = MotionState::kReversePause;
  } else if (fault_ != Fault::kNone) {
    state_ = MotionState::kFault;
  } else {
    state_ = height_ ? MotionState::kIdle : MotionState::kUnknown;
  }
}

}  // namespace deskd::core
