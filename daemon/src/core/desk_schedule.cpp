// core::Desk: the schedule, presence, the local button and the statistics.
#include <cmath>

#include "core/desk.h"

namespace deskd::core {
namespace {

constexpr auto kLongPress = std::chrono::seconds(2);

}  // namespace

bool Desk::present() const {
  // Unknown counts as absent: with a presence topic, an unreachable broker means nobody known.
  // A locked session is absence too (issue 24 §2), not a pause.
  return present_ && (settings_.schedule.presence_topic.empty() || broker_connected_) &&
         activity_ != Activity::kLocked;
}

bool Desk::person_busy() const {
  if (settings_.schedule.busy_topic.empty()) return false;
  return !broker_connected_ || !busy_.has_value() || *busy_;  // unknown counts as busy
}

ScheduleInputs Desk::schedule_inputs(const Now& now) const {
  ScheduleInputs in;
  in.wall = now.wall;
  in.steady = now.steady;
  in.clock_trusted = now.clock_trusted;
  in.present = present();
  in.busy = person_busy();
  in.activity_known =
      !settings_.schedule.activity_topic.empty() && broker_connected_ && activity_.has_value();
  if (in.activity_known && activity_ == Activity::kIdle) in.idle_since = idle_since_;
  in.posture = posture_at(now.steady);
  in.position_known = motion_->calibrated();
  const double doubt = motion_->height_uncertainty_mm();
  if (in.position_known && doubt > motion_->settings().tolerance_mm) {
    in.height_uncertainty_mm = static_cast<int>(std::lround(doubt));
  }
  in.fault = motion_->fault() != Fault::kNone;
  in.motion_busy = motion_->drive() != Drive::kNone || motion_->manual_motion() ||
                   motion_->state() == MotionState::kReversePause;
  return in;
}

ScheduleStatus Desk::schedule_status(const Now& now) const {
  return scheduler_->status(schedule_inputs(now));
}

std::vector<PlannedChange> Desk::preview(const Now& now) const {
  return scheduler_->preview(schedule_inputs(now));
}

// The schedule's wall-clock wake-up as a steady time; while the clock is untrusted, a re-check
// once a minute (NTP may sync at any time).
std::optional<SteadyTime> Desk::schedule_wakeup(const Now& now) const {
  std::optional<SteadyTime> wake;
  if (auto w = scheduler_->next_wakeup()) {
    wake = now.steady + (*w > now.wall
                             ? std::chrono::duration_cast<SteadyTime::duration>(*w - now.wall)
                             : SteadyTime::duration::zero());
  }
  if (!now.clock_trusted) {
    const auto recheck = now.steady + std::chrono::seconds(60);
    if (!wake || recheck < *wake) wake = recheck;
  }
  return wake;
}

void Desk::update_schedule(const Now& now, DeskEffects& fx) {
  if (stopping_) return;
  std::vector<ScheduleEvent> events;
  const auto action = scheduler_->update(schedule_inputs(now), events);
  bool comfort = false;
  for (const auto& e : events) {
    stats_.record(e, now.wall);
    fx.notice(e);
    comfort = comfort || e.kind == ScheduleEventKind::kComfort;
  }
  if (comfort) scheduler_->set_comfort(comfort_log(stats_.history()));  // the progression listens
  fx.schedule_alarm = AlarmChange{schedule_wakeup(now)};
  using K = MotionCommand::Kind;
  if (action.kind == ScheduleAction::Kind::kMove) {
    auto_move_posture_ = action.posture;
    run_motion(
        MotionCommand{K::kGoTo, posture_rules().height_for(action.posture), MoveSource::kSchedule},
        MoveSource::kSchedule, {}, now.steady, now, fx);
  } else if (action.kind == ScheduleAction::Kind::kNudge) {
    run_motion(MotionCommand{K::kNudge, 0, MoveSource::kSchedule}, MoveSource::kSchedule, {},
               now.steady, now, fx);
  }
}

void Desk::on(const ScheduleWakeup&, const Now&, DeskEffects&) { schedule_due_ = true; }

void Desk::on(const Minute&, const Now& now, DeskEffects& fx) {
  update_stats(now);
  fx.save |= kSaveMemory;  // written only if it changed
}

void Desk::on(const AccountTime&, const Now& now, DeskEffects&) { update_stats(now); }

void Desk::on(const PresenceChanged& e, const Now& now, DeskEffects& fx) {
  if (e.present == present_) return;
  update_stats(now);  // account the time until now under the old presence
  present_ = e.present;
  observe_timeline(now);
  fx.notice(PresenceNotice{e.present ? PresenceNews::kSomeone : PresenceNews::kNobody});
  schedule_due_ = true;
}

void Desk::on(const BusyChanged& e, const Now&, DeskEffects& fx) {
  if (busy_ == e.busy) return;
  busy_ = e.busy;
  fx.notice(BusyNotice{e.busy ? BusyNews::kBusy : BusyNews::kFree});
  schedule_due_ = true;
}

void Desk::on(const ActivityChanged& e, const Now& now, DeskEffects& fx) {
  const bool news = activity_ != e.activity;
  if (news && (activity_ == Activity::kLocked || e.activity == Activity::kLocked)) {
    update_stats(now);  // a lock is absence: account the time until now under the old presence
  }
  if (e.activity != Activity::kIdle) {
    idle_since_.reset();
  } else if (!idle_since_ || e.idle_for > std::chrono::seconds(0)) {
    idle_since_ = now.wall - e.idle_for;  // the latest report says since when
  }
  activity_ = e.activity;
  observe_timeline(now);
  if (news) fx.notice(ActivityNotice{e.activity});
  schedule_due_ = true;
}

void Desk::on(const BrokerLink& e, const Now& now, DeskEffects& fx) {
  if (e.connected == broker_connected_) return;
  update_stats(now);
  broker_connected_ = e.connected;
  if (!settings_.schedule.presence_topic.empty()) {
    fx.notice(
        PresenceNotice{e.connected ? PresenceNews::kKnownAgain : PresenceNews::kUnknownBrokerDown});
  }
  if (!settings_.schedule.busy_topic.empty() && !e.connected) {
    busy_.reset();  // unknown until the topic says again (publish it retained)
    fx.notice(BusyNotice{BusyNews::kUnknownBrokerDown});
  }
  if (!settings_.schedule.activity_topic.empty() && !e.connected && activity_) {
    activity_.reset();  // unknown: no waiting for a pause, and a lock no longer known
    idle_since_.reset();
    fx.notice(ActivityNotice{});
  }
  observe_timeline(now);
  schedule_due_ = true;
}

// Invariant 6: manual use wins. A handset press during a warning answers it; the local button
// (DESIGN.md §3) confirms a prompt or snoozes a warning (short press), or pauses for today /
// resumes (held >= 2 s).
void Desk::on_handset_and_button(const InputSnapshot& before, const InputSnapshot& after,
                                 const Now& now, DeskEffects& fx) {
  const bool handset =
      (after.handset_up && !before.handset_up) || (after.handset_down && !before.handset_down);
  if (handset) manual_override(OverrideBy::kHandset, now, fx);
  if (after.button && !before.button) button_down_at_ = now.steady;
  if (!after.button && before.button && button_down_at_) {
    const auto held = now.steady - *button_down_at_;
    button_down_at_.reset();
    on_button_released(held, now, fx);
  }
}

void Desk::on_button_released(SteadyTime::duration held, const Now& now, DeskEffects& fx) {
  const auto in = schedule_inputs(now);
  const auto phase = scheduler_->status(in).phase;
  std::optional<std::string> error;
  if (held >= kLongPress) {
    error = phase == SchedulePhase::kPaused ? scheduler_->resume(in) : scheduler_->pause_today(in);
  } else if (phase == SchedulePhase::kAwaitingConfirm) {
    error = scheduler_->confirm(in);
  } else if (phase == SchedulePhase::kWarning) {
    error = scheduler_->snooze(in);
  } else {
    error = "button: nothing to confirm or snooze (" + std::string(to_string(phase)) + ")";
  }
  fx.notice(ButtonUsed{held >= kLongPress});
  schedule_command(error, "button", fx);
}

void Desk::manual_override(OverrideBy by, const Now& now, DeskEffects& fx) {
  if (!scheduler_->manual_override(schedule_inputs(now))) return;
  fx.notice(ManualOverride{by});
  fx.save |= kSaveStats | kSaveMemory;
  schedule_due_ = true;
}

void Desk::schedule_command(std::optional<std::string> error, const std::string& text,
                            DeskEffects& fx) {
  if (error) {
    fx.notice(Rejected{*error, text});
  } else {
    fx.save |= kSaveStats | kSaveMemory;
  }
  schedule_due_ = true;
}

void Desk::update_stats(const Now& now) {
  // Nobody at the desk: an empty desk at sitting height is not someone sitting.
  const auto p = present() ? last_posture_ : Posture::kUnknown;
  stats_.update(p, now.wall, now.steady, now.clock_trusted);
  observe_timeline(now);
}

// After update_stats() accounted the time until now under the old presence, the timeline shows
// the new one from now.
void Desk::observe_timeline(const Now& now) {
  timeline_.observe(present() ? last_posture_ : Posture::kUnknown, now.wall, now.clock_trusted);
}

}  // namespace deskd::core
