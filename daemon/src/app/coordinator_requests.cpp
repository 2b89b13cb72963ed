// The coordinator's commands, requests, settings and publications (DESIGN.md §8 payloads).
#include <boost/json.hpp>
#include <cmath>

#include "app/coordinator.h"
#include "app/log.h"
#include "core/progress.h"
#include "core/untrusted_text.h"
#include "mqtt/event_codec.h"
#include "mqtt/iso_time.h"
#include "mqtt/position.h"
#include "mqtt/progress_codec.h"
#include "mqtt/schedule_codec.h"
#include "mqtt/state_codec.h"
#include "mqtt/stats_codec.h"
#include "version.h"

namespace deskd::app {
namespace {

constexpr std::size_t kPublishedStatsDays = 30;
constexpr int kMaxStatsDays = 400;
constexpr auto kStatePublishInterval = std::chrono::milliseconds(100);  // <= 10/s while moving

// Untrusted text (a payload, a topic level, what a codec quotes from them) as deskd echoes it in
// logs, B/event and B/response: escaped and capped (invariant 10).
std::string echo(std::string_view text) { return core::printable_excerpt(text); }

}  // namespace

// ---- Commands -----------------------------------------------------------------------------------

void Coordinator::on_command(const mqtt::Command& c, const std::string& text) {
  const int min_mm = config_.motion.min_height_mm;
  const int max_mm = config_.motion.max_height_mm;
  if (const auto* h = std::get_if<mqtt::GoToHeight>(&c)) {
    if (auto e = mqtt::check_command_limits(c, min_mm, max_mm, presets_)) {
      reject(*e, text);
      return;
    }
    go_to(h->mm, text);
  } else if (const auto* p = std::get_if<mqtt::GoToPosition>(&c)) {
    go_to(mqtt::height_from_position(p->position, min_mm, max_mm), text);
  } else if (const auto* po = std::get_if<mqtt::GoToPosture>(&c)) {
    go_to(posture_rules().height_for(po->posture), text);
  } else if (const auto* pr = std::get_if<mqtt::GoToPreset>(&c)) {
    if (auto mm = preset_height(pr->name)) {
      go_to(*mm, text);
    } else {
      reject("unknown preset '" + pr->name + "'", text);
    }
  } else if (const auto* a = std::get_if<mqtt::RunAction>(&c)) {
    execute_action(a->action, text);
  } else if (const auto* s = std::get_if<mqtt::SetScheduleEnabled>(&c)) {
    set_schedule_enabled(s->enabled, text);
  }
}

std::optional<int> Coordinator::preset_height(const std::string& name) const {
  if (name == "sit") return sit_height_mm_;
  if (name == "stand") return stand_height_mm_;
  if (auto it = presets_.find(name); it != presets_.end()) return it->second;
  return std::nullopt;
}

void Coordinator::go_to(int mm, const std::string& text) {
  post(core::MotionCommand{core::MotionCommand::Kind::kGoTo, mm, core::MoveSource::kMqtt},
       core::MoveSource::kMqtt, text);
}

void Coordinator::execute_action(mqtt::Action action, const std::string& text) {
  using A = mqtt::Action;
  using K = core::MotionCommand::Kind;
  auto motion = [&](K k) {
    post(core::MotionCommand{k, 0, core::MoveSource::kMqtt}, core::MoveSource::kMqtt, text);
  };
  const auto in = schedule_inputs();
  switch (action) {
    case A::kStop:  // invariant 6: a stop during the warning cancels that change, as the handset
      manual_override("stop command");  // first: the stop's drain may update the schedule
      return motion(K::kStop);
    case A::kClearFault:
      return motion(K::kClearFault);
    case A::kCalibrate:
      return motion(K::kCalibrate);
    case A::kNudge:
      return motion(K::kNudge);
    case A::kConfirm:
      return schedule_command(scheduler_->confirm(in), text);
    case A::kSnooze:
      return schedule_command(scheduler_->snooze(in), text);
    case A::kSkip:
      return schedule_command(scheduler_->skip(in), text);
    case A::kPauseToday:
      return schedule_command(scheduler_->pause_today(in), text);
    case A::kResume:
      return schedule_command(scheduler_->resume(in), text);
  }
}

void Coordinator::set_schedule_enabled(bool enabled, const std::string& text) {
  if (busy()) {  // saving waits for the motor; so does the change
    when_idle_.push_back([this, enabled, text] { set_schedule_enabled(enabled, text); });
    return;
  }
  auto next = schedule_settings_;
  next.enabled = enabled;
  if (auto e =
          save_settings_first(runtime_settings(next, presets_, sit_height_mm_, stand_height_mm_))) {
    reject("schedule_enabled not changed: " + *e, text);
    return;
  }
  schedule_settings_ = next;
  scheduler_->set_settings(schedule_settings_, schedule_inputs());
  publish_schedule();
  schedule_due_ = true;
  drain();
}

void Coordinator::reject(const std::string& message, const std::string& command) {
  const std::string why = echo(message);
  const std::string what = echo(command);
  log_warning("rejected command" + (what.empty() ? std::string() : " " + what) + ": " + why);
  boost::json::object fields{{"error", why}};
  if (!what.empty()) fields["command"] = what;
  publish_event("error", std::move(fields));
}

// ---- Requests -----------------------------------------------------------------------------------

void Coordinator::on_request(const std::string& op, const std::string& payload, Respond respond) {
  auto parsed = mqtt::parse_request(payload);
  if (auto* e = std::get_if<std::string>(&parsed)) {
    const std::string why = echo(*e);
    log_warning("request " + echo(op) + ": " + why);
    respond(mqtt::encode_response_error(why, std::nullopt));
    return;
  }
  const auto req = std::get<mqtt::Request>(parsed);
  const bool saves = op == "schedule/set" || op == "presets/set";
  if (saves && busy()) {
    // Answered once the settings are saved, which waits for the motor to stop.
    when_idle_.push_back([this, op, req, respond] { handle_request(op, req, respond); });
    return;
  }
  handle_request(op, req, respond);
  drain();
}

void Coordinator::handle_request(const std::string& op, const mqtt::Request& req,
                                 const Respond& respond) {
  if (op == "schedule/get") {
    respond(mqtt::encode_response_ok(mqtt::schedule_to_json(schedule_settings_), req.transaction));
  } else if (op == "schedule/set") {
    request_schedule_set(req, respond);
  } else if (op == "schedule/preview") {
    boost::json::array changes;
    for (const auto& c : scheduler_->preview(schedule_inputs())) {
      changes.push_back(boost::json::object{{"at", mqtt::format_local_iso8601(c.at)},
                                            {"posture", core::to_string(c.posture)}});
    }
    respond(mqtt::encode_response_ok(boost::json::object{{"changes", changes}}, req.transaction));
  } else if (op == "presets/set") {
    request_presets_set(req, respond);
  } else if (op == "stats/get") {
    request_stats_get(req, respond);
  } else {
    const std::string why = "unknown request '" + echo(op) + "'";
    log_warning("request " + echo(op) + " refused: " + why);
    respond(mqtt::encode_response_error(why, req.transaction));
  }
}

void Coordinator::request_schedule_set(const mqtt::Request& req, const Respond& respond) {
  auto fail = [&](const std::string& error) {
    const std::string why = echo(error);
    log_warning("request schedule/set refused: " + why);
    respond(mqtt::encode_response_error(why, req.transaction));
  };
  auto next = mqtt::apply_schedule_patch(schedule_settings_, req.body);
  if (auto* e = std::get_if<std::string>(&next)) return fail(*e);
  auto& settings = std::get<core::ScheduleSettings>(next);
  if (settings.presence_topic != schedule_settings_.presence_topic) {
    return fail("presence_topic: can only be changed in the config file");
  }
  if (auto e = save_settings_first(
          runtime_settings(settings, presets_, sit_height_mm_, stand_height_mm_))) {
    return fail("not saved, the schedule is unchanged: " + *e);
  }
  schedule_settings_ = settings;
  scheduler_->set_settings(schedule_settings_, schedule_inputs());
  log_info("schedule changed over MQTT");
  respond(mqtt::encode_response_ok(mqtt::schedule_to_json(schedule_settings_), req.transaction));
  publish_schedule();
  schedule_due_ = true;
}

void Coordinator::request_presets_set(const mqtt::Request& req, const Respond& respond) {
  auto fail = [&](const std::string& error) {
    const std::string why = echo(error);
    log_warning("request presets/set refused: " + why);
    respond(mqtt::encode_response_error(why, req.transaction));
  };
  auto presets = mqtt::parse_presets_request(req.body, config_.motion.min_height_mm,
                                             config_.motion.max_height_mm);
  if (auto* e = std::get_if<std::string>(&presets)) return fail(*e);
  auto p = std::get<std::map<std::string, int>>(presets);
  int sit = sit_height_mm_, stand = stand_height_mm_;
  if (auto it = p.find("sit"); it != p.end()) sit = it->second, p.erase(it);
  if (auto it = p.find("stand"); it != p.end()) stand = it->second, p.erase(it);
  if (sit >= stand) {
    return fail("presets: sit (" + std::to_string(sit) + " mm) must be below stand (" +
                std::to_string(stand) + " mm)");
  }
  if (auto e = save_settings_first(runtime_settings(schedule_settings_, p, sit, stand))) {
    return fail("not saved, the presets are unchanged: " + *e);
  }
  sit_height_mm_ = sit;
  stand_height_mm_ = stand;
  presets_ = p;
  boost::json::object data;
  boost::json::object pj;
  for (const auto& [k, v] : presets_) pj[k] = v;
  data["presets"] = pj;
  data["sit_height_mm"] = sit_height_mm_;
  data["stand_height_mm"] = stand_height_mm_;
  respond(mqtt::encode_response_ok(data, req.transaction));
}

void Coordinator::request_stats_get(const mqtt::Request& req, const Respond& respond) {
  auto days =
      mqtt::parse_stats_request(req.body, static_cast<int>(kPublishedStatsDays), kMaxStatsDays);
  if (auto* e = std::get_if<std::string>(&days)) {
    const std::string why = echo(*e);
    log_warning("request stats/get refused: " + why);
    respond(mqtt::encode_response_error(why, req.transaction));
    return;
  }
  update_stats();
  const auto history = stats_.last_days(static_cast<std::size_t>(std::get<int>(days)));
  respond(mqtt::encode_response_ok(mqtt::stats_to_json(history), req.transaction));
}

// ---- Settings -----------------------------------------------------------------------------------

config::RuntimeSettings Coordinator::runtime_settings(const core::ScheduleSettings& schedule,
                                                      const std::map<std::string, int>& presets,
                                                      int sit, int stand) const {
  // Only what differs from the config file, plus the config's presets that were deleted.
  config::RuntimeSettings s;
  if (!(schedule == config_.schedule)) s.schedule = schedule;
  for (const auto& [k, v] : presets) {
    auto it = config_.desk.presets.find(k);
    if (it == config_.desk.presets.end() || it->second != v) s.presets[k] = v;
  }
  for (const auto& [k, v] : config_.desk.presets) {
    if (!presets.contains(k)) s.deleted_presets.push_back(k);
  }
  if (sit != config_.desk.sit_height_mm) s.sit_height_mm = sit;
  if (stand != config_.desk.stand_height_mm) s.stand_height_mm = stand;
  return s;
}

config::RuntimeSettings Coordinator::current_runtime_settings() const {
  return runtime_settings(schedule_settings_, presets_, sit_height_mm_, stand_height_mm_);
}

std::optional<std::string> Coordinator::save_settings_first(
    const config::RuntimeSettings& candidate) {
  auto error = persistence_.save_settings(candidate);
  // A refused change must not be written later by a retry: what is pending is the old settings.
  if (error) persistence_.save_settings(current_runtime_settings());
  after_save();
  return error;
}

// ---- Publishing ---------------------------------------------------------------------------------

void Coordinator::republish() {
  publish_schedule();
  publish_stats();
  last_state_payload_.clear();
  publish_state_now();
}

mqtt::StateView Coordinator::state_view() {
  const auto now = ports_.clock.steady_now();
  const auto wall = ports_.clock.wall_now();
  mqtt::StateView v;
  const int min_mm = config_.motion.min_height_mm;
  const int max_mm = config_.motion.max_height_mm;
  if (auto h = motion_->height_mm(now)) {
    v.height_mm = static_cast<int>(std::lround(*h));
    v.position = mqtt::position_from_height(*v.height_mm, min_mm, max_mm);
  }
  v.target_mm = motion_->target_mm();
  // A move is moving until it has settled (one `stopped`); at shutdown the outputs are off and
  // deskd will see no more of the desk: its last state says `stopped`.
  v.motion = stopping_ ? core::Drive::kNone : motion_->motion();
  v.posture = posture_of(motion_->height_mm(now));
  v.calibrated = motion_->calibrated();
  v.fault = motion_->fault();
  v.fault_detail = motion_->fault_detail();
  v.schedule_enabled = schedule_settings_.enabled;
  v.mode = schedule_settings_.mode;
  const auto st = scheduler_->status(schedule_inputs());
  v.phase = std::string(core::to_string(st.phase));
  v.phase_reason = st.reason;
  if (st.next_change) v.next_change = mqtt::format_local_iso8601(*st.next_change);
  v.next_posture = st.next_posture;
  const auto today = stats_.today(wall);
  v.sit_today_s = today.sit_s;
  v.stand_today_s = today.stand_s;
  v.transitions_today = today.transitions;
  v.longest_sit_today_s = today.longest_sit_s;
  v.min_height_mm = min_mm;
  v.max_height_mm = max_mm;
  v.sit_height_mm = sit_height_mm_;
  v.stand_height_mm = stand_height_mm_;
  v.presets = presets_;
  v.stand_minutes = st.stand_minutes;
  v.break_due = st.break_due;
  v.warning_remaining_s = st.warning_remaining_s;
  v.version = kVersion;
  v.now = mqtt::format_local_iso8601(wall);
  v.time_scale = ports_.clock.scale();
  v.storage_ok = persistence_.health().ok;
  v.storage_detail = persistence_.health().detail;
  if (config_.bus) {
    v.controller = mqtt::StateView::Controller{std::string(bus::to_string(config_.bus->protocol)),
                                               last_inputs_.bus_memory};
  }
  return v;
}

void Coordinator::publish_state_soon() {
  if (stopping_) return;
  const auto now = ports_.clock.steady_now();
  // A change of motion, posture, fault, phase or storage goes out at once (a short nudge must
  // show its "up" and "down"); only the height streaming while moving is limited to 10/s in real
  // time, also under --time-scale.
  const auto phase = scheduler_->status(schedule_inputs()).phase;
  const std::string discrete = std::string(core::to_string(motion_->motion())) + "/" +
                               std::string(core::to_string(last_posture_)) + "/" +
                               std::string(core::to_string(motion_->fault())) + "/" +
                               std::string(core::to_string(phase)) + "/" +
                               (persistence_.health().ok ? "ok" : "error");
  if (discrete != last_discrete_state_) {
    last_discrete_state_ = discrete;
    publish_state_now();
    return;
  }
  const auto earliest =
      last_state_publish_ + std::chrono::duration_cast<core::SteadyTime::duration>(
                                kStatePublishInterval * ports_.clock.scale());
  if (now >= earliest) {
    publish_state_now();
  } else {
    ports_.publish_alarm.arm(earliest);
  }
}

void Coordinator::publish_state_now() {
  if (!ports_.publisher.online()) return;
  // Without an encoder the height changes between effects: keep B/state live while moving.
  if (!stopping_ && motion_->drive() != core::Drive::kNone &&
      config_.motion.sensor != core::SensorKind::kEncoder) {
    ports_.publish_alarm.arm(ports_.clock.steady_now() +
                             std::chrono::duration_cast<core::SteadyTime::duration>(
                                 kStatePublishInterval * ports_.clock.scale()));
  }
  std::string payload = mqtt::encode_state(state_view());
  if (payload == last_state_payload_) return;  // nothing changed: nothing to send
  last_state_payload_ = payload;
  last_state_publish_ = ports_.clock.steady_now();
  ports_.publisher.publish(ports::Channel::kState, payload);
}

void Coordinator::publish_event(const std::string& type, boost::json::object fields) {
  fields["at"] = mqtt::format_local_iso8601(ports_.clock.wall_now());  // deskd's (scaled) time
  ports_.publisher.publish(ports::Channel::kEvent, mqtt::encode_event(type, fields));
}

void Coordinator::publish_schedule() {
  ports_.publisher.publish(ports::Channel::kSchedule, mqtt::encode_schedule(schedule_settings_));
}

void Coordinator::publish_stats() {
  update_stats();
  ports_.publisher.publish(ports::Channel::kStats,
                           mqtt::encode_stats(stats_.last_days(kPublishedStatsDays)));
  publish_progress();
}

// B/progress: the weekly progress computed from the statistics and the schedule, published with
// the statistics (on connect, every minute, on B/get).
void Coordinator::publish_progress() {
  if (!scheduler_) return;
  const auto progress =
      core::compute_progress(stats_.history(), schedule_settings_, scheduler_->progression_start(),
                             ports_.clock.wall_now());
  ports_.publisher.publish(ports::Channel::kProgress, mqtt::encode_progress(progress));
}

}  // namespace deskd::app
