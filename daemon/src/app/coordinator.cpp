// The runner: life cycle, the event loop, effects and saves. Requests are in
// coordinator_requests.cpp; what is published is mqtt::DeskPublication's, the notices' words are
// mqtt::notice_line's and mqtt::notice_event's.
#include "app/coordinator.h"

#include "config/reload_rules.h"
#include "config/runtime_overrides.h"
#include "core/untrusted_text.h"
#include "mqtt/activity_codec.h"
#include "mqtt/busy_codec.h"
#include "mqtt/notice_codec.h"
#include "mqtt/notice_log.h"
#include "mqtt/presence_codec.h"
#include "platform/log.h"

namespace deskd::app {
namespace {

constexpr auto kStorageRetry = std::chrono::seconds(10);
constexpr int kStatsSaveMinutes = 10;  // time accrual alone is saved every 10 minutes

void log_line(const mqtt::NoticeLine& line) {
  using Level = mqtt::NoticeLine::Level;
  switch (line.level) {
    case Level::kInfo:
      return platform::log_info(line.text);
    case Level::kWarning:
      return platform::log_warning(line.text);
    case Level::kError:
      return platform::log_error(line.text);
  }
}

// The desk as the last run left it; a run that did not shut down cleanly left no position.
core::Desk::Restored restored_from(const config::StatePersistence::Loaded& loaded) {
  if (loaded.desk.height_mm && !loaded.desk.clean_shutdown) {
    platform::log_warning(
        "the last run did not shut down cleanly: position unknown until calibrated");
  }
  return config::restored_desk(loaded);
}

}  // namespace

Coordinator::Coordinator(config::Config config, CoordinatorPorts ports,
                         config::StatePersistence& persistence,
                         const config::StatePersistence::Loaded& loaded, bool simulated_clock,
                         ClockTrustFn clock_trust)
    : config_(std::move(config)),
      ports_(ports),
      persistence_(persistence),
      simulated_clock_(simulated_clock),
      clock_trust_(std::move(clock_trust)) {
  // Run-time settings override the config file (which is never rewritten).
  config::RuntimeSettings runtime = loaded.settings;
  for (const auto& w : config::drop_out_of_limits(runtime, config_.motion))
    platform::log_warning(w);
  const auto settings = config::effective_settings(config_, runtime);
  core::Now at{ports_.clock.steady_now(), ports_.clock.wall_now(), true};
  desk_.emplace(config_.motion, settings, ports_.desk.inputs(), restored_from(loaded), at);
  publication_.emplace(
      config_, *desk_, persistence_,
      mqtt::DeskPublication::Ports{ports_.publisher, ports_.publish_alarm, ports_.clock},
      [this] { return now(); });
  reported_health_ = persistence_.health();
  if (!reported_health_.ok) platform::log_error("storage: " + reported_health_.detail);
}

// ---- Life cycle ---------------------------------------------------------------------------------

void Coordinator::start() {
  // Saved so a crash leaves the position untrusted (clean_shutdown = false).
  save_desk_state(false);
  after_save();
  post(core::Started{});
}

void Coordinator::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  publication_->stop();
  post(core::Shutdown{});  // invariant 7: the motor stops first, whatever else happens
  ports_.desk.all_off();
  save_desk_state(true);
  persistence_.save_stats(desk_->stats().history());
  persistence_.save_memory(desk_->scheduler().memory());
  if (unsaved_ & kSaveSettings) {
    persistence_.save_settings(config::overrides_of(config_, desk_->settings()));
  }
  unsaved_ = 0;
  publication_->state_now();
  for (ports::Alarm* a :
       {&ports_.motion_alarm, &ports_.schedule_alarm, &ports_.publish_alarm, &ports_.retry_alarm}) {
    a->disarm();
  }
}

bool Coordinator::reload(config::Config next) {
  if (auto why = desk_->reload_refusal()) {
    platform::log_warning("reload refused: " + *why);
    return false;
  }
  // The run-time overrides, relative to the old config, carried over to the new one.
  config::RuntimeSettings runtime = config::overrides_of(config_, desk_->settings());
  next = config::reloaded(config_, next);  // desk.id and the presence topic stay
  ports_.desk.all_off();                   // invariant 7: a reload never leaves an output active
  // The new limits may exclude heights saved at run time.
  for (const auto& w : config::drop_out_of_limits(runtime, next.motion)) platform::log_warning(w);
  config_ = next;
  handle_now(core::Reloaded{config_.motion, config::effective_settings(config_, runtime),
                            ports_.desk.inputs()});
  platform::log_info("configuration reloaded from " + config_.path);
  publication_->schedule();
  drain();
  return true;
}

// ---- The event loop -----------------------------------------------------------------------------

core::Now Coordinator::now() const {
  core::Now n{ports_.clock.steady_now(), ports_.clock.wall_now(), true};
  n.clock_trusted = !desk_->requires_time_sync() || simulated_clock_ || clock_trust_(n.wall);
  return n;
}

void Coordinator::post(core::DeskEvent event) {
  queue_.push_back(std::move(event));
  drain();
}

// For an event whose effect the caller reads at once (settings, statistics): handled now,
// outside the queue; what it makes due follows in the next drain().
void Coordinator::handle_now(const core::DeskEvent& event) { apply(desk_->handle(event, now())); }

void Coordinator::drain() {
  if (draining_) return;  // the running drain() handles what was queued
  draining_ = true;
  for (;;) {
    if (!queue_.empty()) {
      core::DeskEvent e = std::move(queue_.front());
      queue_.pop_front();
      apply(desk_->handle(e, now()));
      continue;
    }
    if (desk_->pending()) {
      apply(desk_->handle(core::Continue{}, now()));
      continue;
    }
    if (!desk_->in_motion() && (unsaved_ != 0 || !when_idle_.empty())) {
      after_idle();
      continue;
    }
    break;
  }
  ports_.motion_alarm.arm(desk_->motion().next_deadline());
  draining_ = false;
  publication_->state_soon();
}

// The one place that applies effects: drive steps and notices in order. A drive step that cannot
// be written ends the event as a fault.
void Coordinator::apply(const core::DeskEffects& fx) {
  unsaved_ |= fx.save;
  if (fx.schedule_alarm) ports_.schedule_alarm.arm(fx.schedule_alarm->at);
  for (const auto& step : fx.steps) {
    if (const auto* set = std::get_if<core::SetDrive>(&step)) {
      if (!write_drive(*set)) return output_failed();
    } else {
      report(std::get<core::DeskNotice>(step));
    }
  }
}

// A notice as its log line and its B/event.
void Coordinator::report(const core::DeskNotice& notice) {
  if (const auto* r = std::get_if<core::Rejected>(&notice)) return reject(r->reason, r->command);
  if (auto line = mqtt::notice_line(notice)) log_line(*line);
  if (auto doc = mqtt::notice_event(notice)) publication_->event(doc->type, std::move(doc->fields));
  // A comfort answer shows at once in B/stats and B/progress (not at the next minute).
  const auto* e = std::get_if<core::ScheduleEvent>(&notice);
  if (e && e->kind == core::ScheduleEventKind::kComfort) {
    when_idle_.push_back([this] { publish_stats(); });
  }
}

// The fault's notices are applied with the outputs forced off (OutputFailed gives no drive
// step), so a backend that keeps failing cannot loop.
void Coordinator::output_failed() {
  const auto fx = desk_->handle(core::OutputFailed{last_drive_error_}, now());
  ports_.desk.all_off();
  apply(fx);
}

// Sets the outputs; false (with last_drive_error_) when the backend could not.
bool Coordinator::write_drive(const core::SetDrive& set) {
  const core::Drive drive = set.drive;
  const bool changed = drive != ports_.desk.drive();
  const bool one_frame = drive == core::Drive::kNone && set.stop == core::StopStyle::kAfterOneFrame;
  if (auto err = one_frame ? ports_.desk.stop_after_one_frame() : ports_.desk.set_drive(drive)) {
    platform::log_error("outputs: " + *err);
    last_drive_error_ = *err;
    return false;
  }
  if (changed) {  // a stop: the dead time counts from now; a start: supervised once it can move
    const core::SteadyTime at = ports_.clock.steady_now();
    if (drive == core::Drive::kNone) {  // a Loctek motor runs on after the last move frame
      desk_->outputs_written(at, drive, ports_.desk.last_drive_frame_at());
    } else {
      desk_->outputs_written(ports_.desk.drive_effective_at(at), drive);
    }
  }
  if (changed && platform::log_level() >= platform::LogLevel::kDebug) {
    // CLOCK_MONOTONIC, so benchmarks in other processes can time command -> output.
    platform::log_debug("outputs " + std::string(core::to_string(drive)) + " at monotonic " +
                        std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           std::chrono::steady_clock::now().time_since_epoch())
                                           .count()) +
                        " ns");
  }
  return true;
}

void Coordinator::after_idle() {
  if (unsaved_ != 0) save_now();
  auto waiting = std::move(when_idle_);
  when_idle_.clear();
  for (auto& fn : waiting) fn();
}

// ---- Events -------------------------------------------------------------------------------------

void Coordinator::on_inputs(const ports::InputState& inputs) {
  // Progress and stall are judged at the edge's kernel timestamp, not when deskd got round to
  // reading it (a busy CPU delays the read, never the desk).
  const auto age = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      ports_.desk.input_age() * ports_.clock.scale());
  post(core::InputsRead{inputs, ports_.clock.steady_now() - age});
}

void Coordinator::on_output_error(const std::string& message) {
  platform::log_error(message);
  post(core::OutputFailed{message});
}

void Coordinator::on_motion_deadline() {
  // Inputs first: after a scheduling hiccup, queued encoder edges must be seen before a stall
  // deadline is judged (sync_inputs() delivers them through on_inputs()).
  ports_.desk.sync_inputs();
  post(core::MotionDeadline{});
}

void Coordinator::on_schedule_wakeup() { post(core::ScheduleWakeup{}); }

void Coordinator::on_publish_due() { publication_->state_now(); }

// Publishes the retained documents again (after a (re)connect or B/get).
void Coordinator::republish() {
  publication_->schedule();
  publish_stats();
  publication_->forget_published();
  publication_->state_now();
}

void Coordinator::publish_stats() {
  handle_now(core::AccountTime{});
  publication_->stats(kPublishedStatsDays);
}

void Coordinator::on_storage_retry() {
  retry_armed_ = false;
  if (desk_->in_motion()) {
    retry_armed_ = true;
    ports_.retry_alarm.arm(ports_.clock.steady_now() + kStorageRetry);
    return;
  }
  persistence_.retry();
  after_save();
  publication_->state_soon();
}

void Coordinator::on_minute() {
  if (++minutes_since_stats_save_ >= kStatsSaveMinutes) unsaved_ |= core::kSaveStats;
  post(core::Minute{});
  publish_stats();
}

void Coordinator::on_presence(const std::string& payload) {
  const auto& s = desk_->settings().schedule;
  const auto parsed = mqtt::parse_presence(payload, s.presence_on, s.presence_off);
  if (!parsed) {
    platform::log_warning("presence: unknown payload '" + core::printable_excerpt(payload) +
                          "' ignored");
    return;
  }
  post(core::PresenceChanged{*parsed});
}

void Coordinator::on_busy(const std::string& payload) {
  const auto parsed = mqtt::parse_busy(payload);
  if (!parsed) {
    platform::log_warning("busy: unknown payload '" + core::printable_excerpt(payload) +
                          "' ignored (expected ON/OFF, true/false, busy/free or {\"busy\":true})");
    return;
  }
  post(core::BusyChanged{*parsed});
}

void Coordinator::on_activity(const std::string& payload) {
  const auto parsed = mqtt::parse_activity(payload);
  if (!parsed) {
    platform::log_warning(
        "activity: unknown payload '" + core::printable_excerpt(payload) +
        "' ignored (expected active/idle/locked or {\"idle_seconds\":N,\"locked\":false})");
    return;
  }
  post(*parsed);
}

void Coordinator::on_broker(bool connected) { post(core::BrokerLink{connected}); }

// ---- Persistence --------------------------------------------------------------------------------

void Coordinator::save_now() {
  const unsigned what = unsaved_;
  unsaved_ = 0;
  if (what & core::kSaveDesk) save_desk_state(false);
  if (what & core::kSaveStats) {
    handle_now(core::AccountTime{});
    persistence_.save_stats(desk_->stats().history());
    minutes_since_stats_save_ = 0;
  }
  if (what & (core::kSaveStats | core::kSaveMemory)) {
    persistence_.save_memory(desk_->scheduler().memory());
  }
  if (what & kSaveSettings) {
    persistence_.save_settings(config::overrides_of(config_, desk_->settings()));
  }
  after_save();
}

void Coordinator::save_desk_state(bool clean_shutdown) {
  persistence_.save_desk(
      config::desk_state_of(desk_->motion().persistent(ports_.clock.steady_now()), clean_shutdown));
}

// Reports a change of the storage health once (log, B/event "storage"); B/state carries it.
void Coordinator::after_save() {
  const config::StorageHealth& h = persistence_.health();
  if (h.ok != reported_health_.ok) {
    boost::json::object f{{"status", h.ok ? "ok" : "error"}};
    if (h.ok) {
      platform::log_info("storage: the state directory takes saves again; everything is saved");
    } else {
      f["detail"] = h.detail;
      platform::log_error("storage: " + h.detail + "; deskd keeps running and retries every " +
                          std::to_string(kStorageRetry.count()) + " s");
    }
    publication_->event("storage", std::move(f));
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
