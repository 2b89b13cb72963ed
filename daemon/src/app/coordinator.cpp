// The coordinator's events, motion, schedule, statistics and saves. Commands, requests and
// publications are in coordinator_requests.cpp.
#include "app/coordinator.h"

#include <cmath>

#include "app/log.h"
#include "config/reload_rules.h"
#include "config/state_store.h"
#include "core/untrusted_text.h"
#include "mqtt/iso_time.h"
#include "mqtt/presence_codec.h"

namespace deskd::app {
namespace {

constexpr auto kStorageRetry = std::chrono::seconds(10);
constexpr auto kLongPress = std::chrono::seconds(2);
constexpr int kStatsSaveMinutes = 10;  // time accrual alone is saved every 10 minutes

std::string fmt_mm(std::optional<double> h) {
  return h ? std::to_string(static_cast<int>(std::lround(*h))) + " mm" : std::string("unknown");
}

boost::json::value opt_mm(std::optional<double> h) {
  if (!h) return nullptr;
  return static_cast<std::int64_t>(std::lround(*h));
}

boost::json::value opt_target(std::optional<int> mm) {
  return mm ? boost::json::value(*mm) : boost::json::value(nullptr);
}

}  // namespace

Coordinator::Coordinator(config::Config config, CoordinatorPorts ports,
                         StatePersistence& persistence, const StatePersistence::Loaded& loaded,
                         bool simulated_clock, ClockTrustFn clock_trust)
    : config_(std::move(config)),
      ports_(ports),
      persistence_(persistence),
      simulated_clock_(simulated_clock),
      clock_trust_(std::move(clock_trust)),
      stats_(loaded.stats),
      sit_height_mm_(config_.desk.sit_height_mm),
      stand_height_mm_(config_.desk.stand_height_mm) {
  const auto now = ports_.clock.steady_now();
  const auto& desk = loaded.desk;
  core::RestoredPosition restored;
  if (desk.clean_shutdown) restored.height_mm = desk.height_mm;
  restored.coast = {desk.coast_up_s, desk.coast_down_s, desk.coast_samples_up,
                    desk.coast_samples_down};
  restored.up_speed_mm_s = desk.up_speed_mm_s;
  restored.down_speed_mm_s = desk.down_speed_mm_s;
  if (desk.height_mm && !desk.clean_shutdown) {
    log_warning("the last run did not shut down cleanly: position unknown until calibrated");
  }
  // Run-time settings override the config file (which is never rewritten).
  config::RuntimeSettings runtime = loaded.settings;
  for (const auto& w : config::drop_out_of_limits(runtime, config_.motion)) log_warning(w);
  apply_runtime(runtime);
  last_inputs_ = ports_.desk.inputs();
  motion_.emplace(config_.motion, last_inputs_, restored, now);
  last_motion_time_ = now;
  scheduler_.emplace(schedule_settings_, loaded.memory);
  last_posture_ = posture_of(motion_->height_mm(now));
  reported_health_ = persistence_.health();
  if (!reported_health_.ok) log_error("storage: " + reported_health_.detail);
}

void Coordinator::apply_runtime(const config::RuntimeSettings& s) {
  schedule_settings_ = s.schedule.value_or(config_.schedule);
  presets_ = config_.desk.presets;
  for (const auto& name : s.deleted_presets) presets_.erase(name);
  for (const auto& [k, v] : s.presets) presets_[k] = v;
  sit_height_mm_ = s.sit_height_mm.value_or(config_.desk.sit_height_mm);
  stand_height_mm_ = s.stand_height_mm.value_or(config_.desk.stand_height_mm);
}

// ---- Life cycle ---------------------------------------------------------------------------------

void Coordinator::start() {
  // Saved so a crash leaves the position untrusted (clean_shutdown = false).
  save_desk_state(false);
  after_save();
  update_stats();  // the statistics count from now, not from the first save or publish
  schedule_due_ = true;
  drain();
}

void Coordinator::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  // Invariant 7: the motor stops first, whatever else happens.
  post(core::MotionCommand{core::MotionCommand::Kind::kStop, 0, core::MoveSource::kShutdown},
       core::MoveSource::kShutdown);
  ports_.desk.all_off();
  update_stats();
  save_desk_state(true);
  persistence_.save_stats(stats_.history());
  persistence_.save_memory(scheduler_->memory());
  if (unsaved_ & kSaveSettings) persistence_.save_settings(current_runtime_settings());
  unsaved_ = 0;
  publish_state_now();
  for (ports::Alarm* a :
       {&ports_.motion_alarm, &ports_.schedule_alarm, &ports_.publish_alarm, &ports_.retry_alarm}) {
    a->disarm();
  }
}

bool Coordinator::reload(config::Config next) {
  if (motion_->fault() != core::Fault::kNone) {
    // A fresh motion controller would silently drop the fault (and its reason).
    log_warning("reload refused: a fault is latched (" +
                std::string(core::to_string(motion_->fault())) +
                "); clear it, then send SIGHUP again");
    return false;
  }
  // Idle means nothing pending at all: no move, reverse pause, settling or nudge return leg.
  if (busy() || motion_->next_deadline().has_value()) {
    log_warning("reload refused: the desk is moving; send SIGHUP again when it is idle");
    return false;
  }
  // The run-time overrides, relative to the old config, carried over to the new one.
  config::RuntimeSettings runtime = current_runtime_settings();
  next = config::reloaded(config_, next);  // desk.id and the presence topic stay
  ports_.desk.all_off();                   // invariant 7: a reload never leaves an output active
  const auto now = ports_.clock.steady_now();
  // The new controller applies the reverse dead time to its first move in either direction.
  motion_.emplace(next.motion, ports_.desk.inputs(), motion_->persistent(now), now);
  last_motion_time_ = now;
  config_ = next;
  // The new limits may exclude heights saved at run time.
  for (const auto& w : config::drop_out_of_limits(runtime, next.motion)) log_warning(w);
  const auto old_schedule = schedule_settings_;
  apply_runtime(runtime);
  if (!(schedule_settings_ == old_schedule)) {
    scheduler_->set_settings(schedule_settings_, schedule_inputs());
  }
  log_info("configuration reloaded from " + config_.path);
  publish_schedule();
  schedule_due_ = true;
  drain();
  return true;
}

// ---- The event loop -----------------------------------------------------------------------------

void Coordinator::post(core::MotionInput input, core::MoveSource source, std::string command_text) {
  queue_.push_back({std::move(input), source, std::move(command_text)});
  drain();
}

void Coordinator::drain() {
  if (draining_) return;  // the running drain() handles what was queued
  draining_ = true;
  for (;;) {
    if (!queue_.empty()) {
      Queued q = std::move(queue_.front());
      queue_.pop_front();
      apply(motion_->handle(q.input, motion_time(q.at)), q.source, q.command_text);
      notice_manual_use();
      continue;
    }
    if (schedule_due_) {
      schedule_due_ = false;
      update_schedule();
      continue;
    }
    if (!busy() && (unsaved_ != 0 || !when_idle_.empty())) {
      after_idle();
      continue;
    }
    break;
  }
  ports_.motion_alarm.arm(motion_->next_deadline());
  draining_ = false;
  publish_state_soon();
}

core::SteadyTime Coordinator::motion_time(std::optional<core::SteadyTime> at) {
  last_motion_time_ = std::max(at.value_or(ports_.clock.steady_now()), last_motion_time_);
  return last_motion_time_;
}

// Saves and reloads wait until the desk has come to rest: a slow save during the coast would
// delay its readings past the coast window (under --time-scale, a phantom manual move).
bool Coordinator::busy() const {
  return ports_.desk.drive() != core::Drive::kNone || motion_->manual_motion() ||
         motion_->motion() != core::Drive::kNone;
}

void Coordinator::after_idle() {
  if (unsaved_ != 0) save_now();
  auto waiting = std::move(when_idle_);
  when_idle_.clear();
  for (auto& fn : waiting) fn();
}

// ---- Events -------------------------------------------------------------------------------------

void Coordinator::on_inputs(const ports::InputState& inputs) {
  const ports::InputState before = last_inputs_;
  last_inputs_ = inputs;
  // Progress and stall are judged at the edge's kernel timestamp, not when deskd got round to
  // reading it (a busy CPU delays the read, never the desk).
  const auto age = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      ports_.desk.input_age() * ports_.clock.scale());
  queue_.push_back(
      {core::InputsChanged{inputs}, core::MoveSource::kOther, {}, ports_.clock.steady_now() - age});
  on_handset_and_button(before, inputs);
  drain();
}

void Coordinator::on_output_error(const std::string& message) {
  log_error(message);
  post(core::OutputFailed{message});
}

void Coordinator::on_motion_deadline() {
  // Inputs first: after a scheduling hiccup, queued encoder edges must be seen before a stall
  // deadline is judged (sync_inputs() delivers them through on_inputs()).
  ports_.desk.sync_inputs();
  post(core::DeadlineReached{});
}

void Coordinator::on_schedule_wakeup() {
  schedule_due_ = true;
  drain();
}

void Coordinator::on_publish_due() { publish_state_now(); }

void Coordinator::on_storage_retry() {
  retry_armed_ = false;
  if (busy()) {
    retry_armed_ = true;
    ports_.retry_alarm.arm(ports_.clock.steady_now() + kStorageRetry);
    return;
  }
  persistence_.retry();
  after_save();
  publish_state_soon();
}

void Coordinator::on_minute() {
  update_stats();
  publish_stats();
  unsaved_ |= kSaveMemory;  // written only if it changed
  if (++minutes_since_stats_save_ >= kStatsSaveMinutes) unsaved_ |= kSaveStats;
  drain();
}

void Coordinator::on_presence(const std::string& payload) {
  const auto parsed = mqtt::parse_presence(payload, schedule_settings_.presence_on,
                                           schedule_settings_.presence_off);
  if (!parsed) {
    log_warning("presence: unknown payload '" + core::printable_excerpt(payload) + "' ignored");
    return;
  }
  const bool present = *parsed;
  if (present == present_) return;
  update_stats();  // account the time until now under the old presence
  present_ = present;
  log_info(present ? "presence: someone is at the desk" : "presence: nobody at the desk");
  schedule_due_ = true;
  drain();
}

void Coordinator::on_broker(bool connected) {
  if (connected == broker_connected_) return;
  update_stats();
  broker_connected_ = connected;
  if (!schedule_settings_.presence_topic.empty()) {
    log_info(connected ? "presence: known again (MQTT connected)"
                       : "presence: unknown while the broker is unreachable (counted as nobody "
                         "at the desk)");
  }
  schedule_due_ = true;
  drain();
}

// Invariant 6: manual use wins. A handset press during a warning answers it; the local button
// (DESIGN.md §3) confirms a prompt or snoozes a warning (short press), or pauses for today /
// resumes (held >= 2 s).
void Coordinator::on_handset_and_button(const ports::InputState& before,
                                        const ports::InputState& after) {
  const bool handset =
      (after.handset_up && !before.handset_up) || (after.handset_down && !before.handset_down);
  if (handset) manual_override("handset used");
  const auto now = ports_.clock.steady_now();
  if (after.button && !before.button) button_down_at_ = now;
  if (!after.button && before.button && button_down_at_) {
    const auto held = now - *button_down_at_;
    button_down_at_.reset();
    on_button_released(held);
  }
}

// The desk moved by hand (the controller saw motion it did not drive), also when a short press
// came and went between two input reports.
void Coordinator::notice_manual_use() {
  const bool manual = motion_->manual_motion();
  if (manual && !manual_motion_) manual_override("desk moved by hand");
  manual_motion_ = manual;
}

void Coordinator::manual_override(const char* what) {
  if (!scheduler_->manual_override(schedule_inputs())) return;
  log_info(std::string(what) + " during the warning: that change is cancelled");
  unsaved_ |= kSaveStats | kSaveMemory;
  schedule_due_ = true;
}

void Coordinator::on_button_released(core::SteadyTime::duration held) {
  const auto in = schedule_inputs();
  const auto phase = scheduler_->status(in).phase;
  std::optional<std::string> error;
  if (held >= kLongPress) {
    error = phase == core::SchedulePhase::kPaused ? scheduler_->resume(in)
                                                  : scheduler_->pause_today(in);
  } else if (phase == core::SchedulePhase::kAwaitingConfirm) {
    error = scheduler_->confirm(in);
  } else if (phase == core::SchedulePhase::kWarning) {
    error = scheduler_->snooze(in);
  } else {
    error = "button: nothing to confirm or snooze (" + std::string(core::to_string(phase)) + ")";
  }
  log_info(std::string("local button ") + (held >= kLongPress ? "held" : "pressed"));
  schedule_command(error, "button");
}

// ---- Motion -------------------------------------------------------------------------------------

// The one place that applies motion effects: outputs first, then the refusal, then the notices.
void Coordinator::apply(const core::MotionEffects& fx, core::MoveSource source,
                        const std::string& command_text) {
  // The outputs first, every drive step in order (a stop then a start passes through "none").
  for (const auto& step : fx.steps) {
    const auto* set = std::get_if<core::SetDrive>(&step);
    if (set && !write_drive(set->drive, set->stop)) {
      // The fault's notices are applied without its drive steps or error: the outputs are forced
      // off here, so a backend that keeps failing cannot loop.
      const std::string err = last_drive_error_;
      auto fail = motion_->handle(core::OutputFailed{err}, motion_time());
      ports_.desk.all_off();
      core::MotionEffects reported;
      for (auto& n : fail.notices()) reported.notice(std::move(n));
      apply(reported, source, command_text);
      return;
    }
  }
  if (fx.error && source == core::MoveSource::kSchedule) {
    log_warning("automatic move refused: " + *fx.error);
    if (auto_move_posture_) end_auto_move(core::MoveOutcome::kFailed);
  } else if (fx.error) {
    reject(*fx.error, command_text);
  }
  for (const auto& n : fx.notices()) on_notice(n);
  posture_may_have_changed();
}

// Sets the outputs; false (with last_drive_error_) when the backend could not.
bool Coordinator::write_drive(core::Drive drive, core::StopStyle stop) {
  const bool changed = drive != ports_.desk.drive();
  const bool one_frame = drive == core::Drive::kNone && stop == core::StopStyle::kAfterOneFrame;
  if (auto err = one_frame ? ports_.desk.stop_after_one_frame() : ports_.desk.set_drive(drive)) {
    log_error("GPIO: " + *err);
    last_drive_error_ = *err;
    return false;
  }
  if (changed) {  // a stop: the dead time counts from now; a start: supervised once it can move
    const core::SteadyTime at = ports_.clock.steady_now();
    if (drive == core::Drive::kNone) {  // a Loctek motor runs on after the last move frame
      motion_->outputs_written(at, drive, ports_.desk.last_drive_frame_at());
    } else {
      motion_->outputs_written(ports_.desk.drive_effective_at(at), drive);
    }
  }
  if (changed && log_level() >= LogLevel::kDebug) {
    // CLOCK_MONOTONIC, so benchmarks in other processes can time command -> output.
    log_debug("outputs " + std::string(core::to_string(drive)) + " at monotonic " +
              std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count()) +
              " ns");
  }
  return true;
}

void Coordinator::on_notice(const core::MotionNotice& n) {
  using K = core::MotionNotice::Kind;
  boost::json::object f;
  switch (n.kind) {
    case K::kMoveStarted:
      on_move_started(n);
      break;
    case K::kMoveFinished:
      on_move_finished(n);
      break;
    case K::kFault:
      f["fault"] = std::string(core::to_string(n.fault));
      f["detail"] = n.detail;
      log_error("fault " + std::string(core::to_string(n.fault)) + ": " + n.detail);
      publish_event("fault", std::move(f));
      if (auto_move_posture_) end_auto_move(core::MoveOutcome::kFailed);
      unsaved_ |= kSaveDesk;
      schedule_due_ = true;
      break;
    case K::kManualMove:
      f["from_mm"] = opt_mm(n.from_mm);
      f["to_mm"] = opt_mm(n.height_mm);
      log_info("manual move from " + fmt_mm(n.from_mm) + " to " + fmt_mm(n.height_mm));
      publish_event("manual_move", std::move(f));
      scheduler_->manual_posture_change(posture_of(n.height_mm), schedule_inputs());
      unsaved_ |= kSaveDesk;
      schedule_due_ = true;
      break;
    case K::kCalibrated:
      f["height_mm"] = opt_mm(n.height_mm);
      f["detail"] = n.detail;
      log_info("calibrated at " + fmt_mm(n.height_mm) + " (" + n.detail + ")");
      publish_event("calibrated", std::move(f));
      unsaved_ |= kSaveDesk;
      break;
    case K::kStopped:
      f["height_mm"] = opt_mm(n.from_mm);
      f["source"] = std::string(core::to_string(n.source));
      f["detail"] = n.detail;
      log_info("stopped by " + std::string(core::to_string(n.source)) + " (" + n.detail + ")");
      publish_event("stopped", std::move(f));
      if (auto_move_posture_) end_auto_move(core::MoveOutcome::kCancelled);
      schedule_due_ = true;
      break;
  }
}

void Coordinator::on_move_started(const core::MotionNotice& n) {
  boost::json::object f;
  f["target_mm"] = opt_target(n.target_mm);
  f["from_mm"] = opt_mm(n.from_mm);
  f["source"] = std::string(core::to_string(n.source));
  if (!n.detail.empty()) f["detail"] = n.detail;
  log_info("move " + (n.detail.empty() ? std::string() : n.detail + " ") + "from " +
           fmt_mm(n.from_mm) + " to " +
           (n.target_mm ? std::to_string(*n.target_mm) + " mm" : std::string("the bottom")) + " (" +
           std::string(core::to_string(n.source)) + ")");
  publish_event("move_started", std::move(f));
}

void Coordinator::on_move_finished(const core::MotionNotice& n) {
  boost::json::object f;
  f["height_mm"] = opt_mm(n.height_mm);
  f["target_mm"] = opt_target(n.target_mm);
  f["source"] = std::string(core::to_string(n.source));
  std::string off;
  if (n.off_target_mm) {  // outside tolerance_mm: never reported as on target
    const long mm = std::lround(*n.off_target_mm);
    f["off_target_mm"] = mm;
    f["detail"] = (mm > 0 ? "overshot the target by " : "short of the target by ") +
                  std::to_string(mm < 0 ? -mm : mm) + " mm";
    off = ", " + std::string(f["detail"].as_string()) + ", outside the tolerance";
  }
  log_info("move finished at " + fmt_mm(n.height_mm) +
           (n.target_mm ? " (target " + std::to_string(*n.target_mm) + " mm" + off + ")" : ""));
  publish_event("move_finished", std::move(f));
  const core::MoveSource source = n.source;
  if (auto_move_posture_ && source == core::MoveSource::kSchedule) {
    end_auto_move(core::MoveOutcome::kReached);
  } else if (source != core::MoveSource::kSchedule && source != core::MoveSource::kBackoff &&
             !n.nudge) {
    scheduler_->manual_posture_change(posture_of(n.height_mm), schedule_inputs());
  }
  unsaved_ |= kSaveDesk;
  schedule_due_ = true;
}

void Coordinator::end_auto_move(core::MoveOutcome outcome) {
  auto_move_posture_.reset();
  scheduler_->auto_move_finished(outcome, schedule_inputs());
}

// ---- Schedule and statistics --------------------------------------------------------------------

core::PostureRules Coordinator::posture_rules() const {
  const auto& m = config_.motion;
  return {m.sensor, m.bottom_height_mm, m.top_height_mm, sit_height_mm_, stand_height_mm_};
}

core::Posture Coordinator::posture_of(std::optional<double> height) const {
  return posture_rules().posture_of(height);
}

void Coordinator::posture_may_have_changed() {
  const auto p = posture_of(motion_->height_mm(ports_.clock.steady_now()));
  if (p == last_posture_) return;
  last_posture_ = p;
  update_stats();
  unsaved_ |= kSaveStats | kSaveMemory;  // at every transition (once the desk is idle)
  schedule_due_ = true;
}

bool Coordinator::present() const {
  // Unknown counts as absent: with a presence topic, an unreachable broker means nobody known.
  return present_ && (schedule_settings_.presence_topic.empty() || broker_connected_);
}

core::ScheduleInputs Coordinator::schedule_inputs() {
  core::ScheduleInputs in;
  in.wall = ports_.clock.wall_now();
  in.steady = ports_.clock.steady_now();
  in.clock_trusted =
      !schedule_settings_.require_time_sync || simulated_clock_ || clock_trust_(in.wall);
  in.present = present();
  in.posture = posture_of(motion_->height_mm(in.steady));
  in.position_known = motion_->calibrated();
  in.fault = motion_->fault() != core::Fault::kNone;
  in.motion_busy = ports_.desk.drive() != core::Drive::kNone || motion_->manual_motion() ||
                   motion_->state() == core::MotionState::kReversePause;
  return in;
}

void Coordinator::update_schedule() {
  if (stopping_) return;
  std::vector<core::ScheduleEvent> events;
  const auto in = schedule_inputs();
  const auto action = scheduler_->update(in, events);
  on_schedule_events(events);
  start_schedule_action(action);
  arm_schedule_alarm(in);
}

void Coordinator::start_schedule_action(const core::ScheduleAction& action) {
  using K = core::MotionCommand::Kind;
  if (action.kind == core::ScheduleAction::Kind::kMove) {
    const int target = posture_rules().height_for(action.posture);
    auto_move_posture_ = action.posture;
    queue_.push_back({core::MotionCommand{K::kGoTo, target, core::MoveSource::kSchedule},
                      core::MoveSource::kSchedule,
                      {}});
  } else if (action.kind == core::ScheduleAction::Kind::kNudge) {
    queue_.push_back({core::MotionCommand{K::kNudge, 0, core::MoveSource::kSchedule},
                      core::MoveSource::kSchedule,
                      {}});
  }
}

void Coordinator::arm_schedule_alarm(const core::ScheduleInputs& in) {
  // Re-check the clock once a minute while it is untrusted (NTP may sync at any time).
  std::optional<core::SteadyTime> wake;
  if (auto w = scheduler_->next_wakeup()) {
    const auto wall = ports_.clock.wall_now();
    wake = in.steady +
           (*w > wall ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(*w - wall)
                      : std::chrono::steady_clock::duration::zero());
  }
  if (!in.clock_trusted) {
    const auto recheck = in.steady + std::chrono::seconds(60);
    if (!wake || recheck < *wake) wake = recheck;
  }
  ports_.schedule_alarm.arm(wake);
}

void Coordinator::on_schedule_events(std::vector<core::ScheduleEvent>& events) {
  const auto wall = ports_.clock.wall_now();
  for (const auto& e : events) {
    boost::json::object f;
    if (e.posture != core::Posture::kUnknown) {
      f["posture"] = std::string(core::to_string(e.posture));
    }
    using Kind = core::ScheduleEventKind;
    if (e.kind == Kind::kWarning) f["in_s"] = e.seconds;
    if (e.kind == Kind::kBreak) f["minutes"] = e.minutes;
    if (e.kind == Kind::kClockJump) f["by_s"] = e.seconds;
    if (e.until) f["until"] = mqtt::format_local_iso8601(*e.until);
    if (!e.detail.empty()) f["detail"] = e.detail;
    stats_.record(e, wall);
    const std::string type(core::to_string(e.kind));
    if (e.kind == Kind::kClockJump) {
      log_warning("wall clock jumped by " + std::to_string(e.seconds) + " s; schedule re-planned");
    } else {
      log_info("schedule: " + type +
               (e.posture != core::Posture::kUnknown
                    ? " (" + std::string(core::to_string(e.posture)) + ")"
                    : ""));
    }
    if (e.kind == Kind::kAutoMove) continue;  // the move itself is published as move_started
    publish_event(type, std::move(f));
  }
}

void Coordinator::schedule_command(std::optional<std::string> error, const std::string& text) {
  if (error) {
    reject(*error, text);
  } else {
    unsaved_ |= kSaveStats | kSaveMemory;
  }
  schedule_due_ = true;
  drain();
}

void Coordinator::update_stats() {
  // Nobody at the desk: an empty desk at sitting height is not someone sitting.
  const auto p = present() ? last_posture_ : core::Posture::kUnknown;
  const auto wall = ports_.clock.wall_now();
  const bool trusted =
      !schedule_settings_.require_time_sync || simulated_clock_ || clock_trust_(wall);
  stats_.update(p, wall, ports_.clock.steady_now(), trusted);
}

// ---- Persistence --------------------------------------------------------------------------------

void Coordinator::save_now() {
  const unsigned what = unsaved_;
  unsaved_ = 0;
  if (what & kSaveDesk) save_desk_state(false);
  if (what & kSaveStats) {
    update_stats();
    persistence_.save_stats(stats_.history());
    minutes_since_stats_save_ = 0;
  }
  if (what & (kSaveStats | kSaveMemory)) persistence_.save_memory(scheduler_->memory());
  if (what & kSaveSettings) persistence_.save_settings(current_runtime_settings());
  after_save();
}

void Coordinator::save_desk_state(bool clean_shutdown) {
  const auto p = motion_->persistent(ports_.clock.steady_now());
  config::DeskState s;
  s.height_mm = p.height_mm;
  s.clean_shutdown = clean_shutdown;
  s.coast_up_s = p.coast.up_s;
  s.coast_down_s = p.coast.down_s;
  s.coast_samples_up = p.coast.samples_up;
  s.coast_samples_down = p.coast.samples_down;
  s.up_speed_mm_s = p.up_speed_mm_s;
  s.down_speed_mm_s = p.down_speed_mm_s;
  persistence_.save_desk(s);
}

// Reports a change of the storage health once (log, B/event "storage"); B/state carries it.
void Coordinator::after_save() {
  const StorageHealth& h = persistence_.health();
  if (h.ok != reported_health_.ok) {
    boost::json::object f{{"status", h.ok ? "ok" : "error"}};
    if (h.ok) {
      log_info("storage: the state directory takes saves again; everything is saved");
    } else {
      f["detail"] = h.detail;
      log_error("storage: " + h.detail + "; deskd keeps running and retries every " +
                std::to_string(kStorageRetry.count()) + " s");
    }
    publish_event("storage", std::move(f));
  }
  reported_health_ = h;
  if (persistence_.pending() && !retry_armed_) {
    retry_armed_ = true;
    ports_.retry_alarm.arm(ports_.clock.steady_now() + kStorageRetry);
  } else if (!persistence_.pending() && retry_armed_) {
    retry_armed_ = false;
    ports_.retry_alarm.disarm();
  }
}

}  // namespace deskd::app
