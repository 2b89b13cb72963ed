// core::Desk: construction, the one handle() and the events that are not motion or schedule.
#include "core/desk.h"

#include <algorithm>

#include "core/comfort.h"
#include "core/height_limits.h"

namespace deskd::core {

Desk::Desk(MotionSettings motion, DeskSettings settings, const InputSnapshot& inputs,
           Restored restored, const Now& now)
    : stats_(std::move(restored.stats)), settings_(std::move(settings)), inputs_(inputs) {
  motion_.emplace(std::move(motion), inputs_, restored.position, now.steady);
  last_motion_time_ = now.steady;
  scheduler_.emplace(settings_.schedule, std::move(restored.memory));
  scheduler_->set_comfort(comfort_log(stats_.history()));
  last_posture_ = posture_at(now.steady);
}

DeskEffects Desk::handle(const DeskEvent& event, const Now& now) {
  DeskEffects fx;
  std::visit([&](const auto& e) { on(e, now, fx); }, event);
  return fx;
}

void Desk::outputs_written(SteadyTime at, Drive written, std::optional<SteadyTime> last_frame) {
  motion_->outputs_written(at, written, last_frame);
}

// Saves and reloads wait until the desk has come to rest: a slow save during the coast would
// delay its readings past the coast window (under --time-scale, a phantom manual move).
bool Desk::in_motion() const {
  return motion_->drive() != Drive::kNone || motion_->manual_motion() ||
         motion_->motion() != Drive::kNone;
}

std::optional<std::string> Desk::reload_refusal() const {
  if (motion_->fault() != Fault::kNone) {
    // A fresh motion controller would silently drop the fault (and its reason).
    return "a fault is latched (" + std::string(to_string(motion_->fault())) +
           "); clear it, then send SIGHUP again";
  }
  // Idle means nothing pending at all: no move, reverse pause, settling or nudge return leg.
  if (in_motion() || motion_->next_deadline().has_value()) {
    return "the desk is moving; send SIGHUP again when it is idle";
  }
  return std::nullopt;
}

PostureRules Desk::posture_rules() const {
  const auto& m = motion_->settings();
  return {m.sensor, m.bottom_height_mm, m.top_height_mm, settings_.sit_height_mm,
          settings_.stand_height_mm};
}

// ---- Life cycle ---------------------------------------------------------------------------------

void Desk::on(const Started&, const Now& now, DeskEffects&) {
  update_stats(now);  // the statistics count from now, not from the first save or publish
  schedule_due_ = true;
}

void Desk::on(const Shutdown&, const Now& now, DeskEffects& fx) {
  if (stopping_) return;
  stopping_ = true;
  // Invariant 7: the motor stops first, whatever else happens.
  run_motion(MotionCommand{MotionCommand::Kind::kStop, 0, MoveSource::kShutdown},
             MoveSource::kShutdown, {}, now.steady, now, fx);
  update_stats(now);
}

void Desk::on(const Reloaded& e, const Now& now, DeskEffects&) {
  // The new controller applies the reverse dead time to its first move in either direction.
  motion_.emplace(e.motion, e.inputs, motion_->persistent(now.steady), now.steady);
  inputs_ = e.inputs;
  last_motion_time_ = std::max(last_motion_time_, now.steady);
  const bool schedule_changed = !(e.settings.schedule == settings_.schedule);
  settings_ = e.settings;
  if (schedule_changed) scheduler_->set_settings(settings_.schedule, schedule_inputs(now));
  schedule_due_ = true;
}

void Desk::on(const ScheduleSaved& e, const Now& now, DeskEffects&) {
  settings_.schedule = e.schedule;
  scheduler_->set_settings(settings_.schedule, schedule_inputs(now));
  schedule_due_ = true;
}

void Desk::on(const HeightsSaved& e, const Now&, DeskEffects&) {
  settings_.presets = e.presets;
  settings_.sit_height_mm = e.sit_height_mm;
  settings_.stand_height_mm = e.stand_height_mm;
}

void Desk::on(const Continue&, const Now& now, DeskEffects& fx) {
  if (!pending()) return;
  schedule_due_ = false;
  update_schedule(now, fx);
}

// ---- Commands -----------------------------------------------------------------------------------

void Desk::on(const Command& e, const Now& now, DeskEffects& fx) {
  const auto& m = motion_->settings();
  const DeskCommand& c = e.command;
  if (const auto* h = std::get_if<GoToHeight>(&c)) {
    if (auto why = outside_limits(h->mm, m.min_height_mm, m.max_height_mm)) {
      return fx.notice(Rejected{"height_mm: " + *why, e.text});
    }
    go_to(h->mm, e.text, now, fx);
  } else if (const auto* p = std::get_if<GoToPosition>(&c)) {
    go_to(height_from_position(p->position, m.min_height_mm, m.max_height_mm), e.text, now, fx);
  } else if (const auto* po = std::get_if<GoToPosture>(&c)) {
    go_to(posture_rules().height_for(po->posture), e.text, now, fx);
  } else if (const auto* pr = std::get_if<GoToPreset>(&c)) {
    if (auto mm = settings_.preset_height(pr->name)) return go_to(*mm, e.text, now, fx);
    fx.notice(Rejected{"unknown preset '" + pr->name + "'", e.text});
  } else if (const auto* a = std::get_if<RunAction>(&c)) {
    run_action(a->action, e.text, now, fx);
  } else if (const auto* r = std::get_if<RecordComfort>(&c)) {
    schedule_command(scheduler_->answer_comfort(r->value, schedule_inputs(now)), e.text, fx);
  } else {  // SetScheduleEnabled is saved first: the runner's settings path, then ScheduleSaved
    fx.notice(Rejected{"schedule_enabled: not a motion command", e.text});
  }
}

void Desk::go_to(int mm, const std::string& text, const Now& now, DeskEffects& fx) {
  run_motion(MotionCommand{MotionCommand::Kind::kGoTo, mm, MoveSource::kMqtt}, MoveSource::kMqtt,
             text, now.steady, now, fx);
}

void Desk::run_action(DeskAction action, const std::string& text, const Now& now, DeskEffects& fx) {
  using A = DeskAction;
  using K = MotionCommand::Kind;
  auto motion = [&](K k) {
    run_motion(MotionCommand{k, 0, MoveSource::kMqtt}, MoveSource::kMqtt, text, now.steady, now,
               fx);
  };
  const auto in = schedule_inputs(now);
  switch (action) {
    case A::kStop:  // invariant 6: a stop during the warning cancels that change, as the handset
      manual_override(OverrideBy::kStopCommand, now, fx);  // first: the stop may re-plan
      return motion(K::kStop);
    case A::kClearFault:
      return motion(K::kClearFault);
    case A::kCalibrate:
      return motion(K::kCalibrate);
    case A::kNudge:
      return motion(K::kNudge);
    case A::kConfirm:
      return schedule_command(scheduler_->confirm(in), text, fx);
    case A::kSnooze:
      return schedule_command(scheduler_->snooze(in), text, fx);
    case A::kSkip:
      return schedule_command(scheduler_->skip(in), text, fx);
    case A::kPauseToday:
      return schedule_command(scheduler_->pause_today(in), text, fx);
    case A::kResume:
      return schedule_command(scheduler_->resume(in), text, fx);
    case A::kWalked:
    case A::kNotWalked:
      return schedule_command(scheduler_->answer_walked(action == A::kWalked, in), text, fx);
  }
}

}  // namespace deskd::core
