// core::Desk: motion events, the motion controller's effects and what its notices mean for the
// schedule and the statistics.
#include <algorithm>

#include "core/desk.h"

namespace deskd::core {

void Desk::on(const InputsRead& e, const Now& now, DeskEffects& fx) {
  const InputSnapshot before = inputs_;
  inputs_ = e.inputs;
  // Invariant 6: the handset and the button answer a warning before the motion is judged.
  on_handset_and_button(before, e.inputs, now, fx);
  // Progress and stall are judged at the edge's kernel timestamp, not when deskd got round to
  // reading it (a busy CPU delays the read, never the desk).
  run_motion(InputsChanged{e.inputs}, MoveSource::kOther, {}, e.at, now, fx);
}

void Desk::on(const MotionDeadline&, const Now& now, DeskEffects& fx) {
  run_motion(DeadlineReached{}, MoveSource::kOther, {}, now.steady, now, fx);
}

// The outputs could not be written: the fault's notices only (the runner forces the outputs
// off, so a backend that keeps failing cannot loop).
void Desk::on(const OutputFailed& e, const Now& now, DeskEffects& fx) {
  const MotionEffects failed = motion_->handle(e, motion_time(now.steady));
  for (const auto& n : failed.notices()) on_notice(n, now, fx);
  posture_may_have_changed(now, fx);
}

SteadyTime Desk::motion_time(SteadyTime at) {
  last_motion_time_ = std::max(at, last_motion_time_);
  return last_motion_time_;
}

// The one place that hands the controller an input: drive steps first (in order: a stop then a
// start passes through "none"), then the refusal, then the notices.
void Desk::run_motion(const MotionInput& input, MoveSource source, const std::string& text,
                      SteadyTime at, const Now& now, DeskEffects& fx) {
  const MotionEffects m = motion_->handle(input, motion_time(at));
  for (const auto& step : m.steps) {
    if (const auto* set = std::get_if<SetDrive>(&step)) fx.steps.emplace_back(*set);
  }
  if (m.error && source == MoveSource::kSchedule) {
    fx.notice(AutoMoveRefused{*m.error});
    if (auto_move_posture_) end_auto_move(MoveOutcome::kFailed, now);
  } else if (m.error) {
    fx.notice(Rejected{*m.error, text});
  }
  for (const auto& n : m.notices()) on_notice(n, now, fx);
  posture_may_have_changed(now, fx);
  notice_manual_use(now, fx);
}

void Desk::on_notice(const MotionNotice& n, const Now& now, DeskEffects& fx) {
  using K = MotionNotice::Kind;
  fx.notice(n);
  switch (n.kind) {
    case K::kMoveStarted:
      break;
    case K::kMoveFinished:
      on_move_finished(n, now, fx);
      break;
    case K::kFault:
      if (auto_move_posture_) end_auto_move(MoveOutcome::kFailed, now);
      fx.save |= kSaveDesk;
      schedule_due_ = true;
      break;
    case K::kManualMove:
      scheduler_->manual_posture_change(posture_rules().posture_of(n.height_mm),
                                        schedule_inputs(now));
      fx.save |= kSaveDesk;
      schedule_due_ = true;
      break;
    case K::kCalibrated:
      fx.save |= kSaveDesk;
      break;
    case K::kStopped:
      if (auto_move_posture_) end_auto_move(MoveOutcome::kCancelled, now);
      schedule_due_ = true;
      break;
  }
}

void Desk::on_move_finished(const MotionNotice& n, const Now& now, DeskEffects& fx) {
  if (auto_move_posture_ && n.source == MoveSource::kSchedule) {
    end_auto_move(MoveOutcome::kReached, now);
  } else if (n.source != MoveSource::kSchedule && n.source != MoveSource::kBackoff && !n.nudge) {
    scheduler_->manual_posture_change(posture_rules().posture_of(n.height_mm),
                                      schedule_inputs(now));
  }
  fx.save |= kSaveDesk;
  schedule_due_ = true;
}

void Desk::end_auto_move(MoveOutcome outcome, const Now& now) {
  auto_move_posture_.reset();
  scheduler_->auto_move_finished(outcome, schedule_inputs(now));
}

// The desk moved by hand (the controller saw motion it did not drive), also when a short press
// came and went between two input reports.
void Desk::notice_manual_use(const Now& now, DeskEffects& fx) {
  const bool manual = motion_->manual_motion();
  if (manual && !manual_motion_) manual_override(OverrideBy::kHandMotion, now, fx);
  manual_motion_ = manual;
}

void Desk::posture_may_have_changed(const Now& now, DeskEffects& fx) {
  const auto p = posture_at(now.steady);
  if (p == last_posture_) return;
  last_posture_ = p;
  update_stats(now);
  fx.save |= kSaveStats | kSaveMemory;  // at every transition (once the desk is idle)
  schedule_due_ = true;
}

}  // namespace deskd::core
