// The daemon's MQTT side: commands in, state/events/schedule/stats out (DESIGN.md §8).
#include <algorithm>
#include <cstdlib>
#include <boost/json.hpp>

#include "app/daemon.h"
#include "app/log.h"
#include "hw/sim_backend.h"
#include "mqtt/discovery.h"
#include "mqtt/event_codec.h"
#include "mqtt/iso_time.h"
#include "mqtt/position.h"
#include "mqtt/request_codec.h"
#include "mqtt/schedule_codec.h"
#include "mqtt/state_codec.h"
#include "mqtt/stats_codec.h"
#include "version.h"

namespace deskd::app {
namespace {

constexpr std::size_t kPublishedStatsDays = 30;
constexpr int kMaxStatsDays = 400;
constexpr auto kStatePublishInterval = std::chrono::milliseconds(100);  // <= 10/s while moving

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void Daemon::on_mqtt_connected() {
  log_info("MQTT connected to " + config_.mqtt.uri);
  mqtt_->publish(topics_.availability, "online", 1, true);
  publish_discovery();
  publish_schedule();
  publish_stats();
  last_state_payload_.clear();
  publish_state_now();
}

void Daemon::publish_discovery() {
  mqtt::DiscoveryInfo info{config_.desk.name, kVersion, config_.motion.min_height_mm,
                           config_.motion.max_height_mm};
  const auto messages = mqtt::discovery_messages(topics_, config_.mqtt.discovery, info);
  // What another discovery mode (or an earlier run before discovery = "off") left retained is
  // removed with an empty retained payload, so Home Assistant drops those entities.
  for (const auto& [topic, empty] : mqtt::removal_messages(topics_)) {
    const bool current = std::any_of(messages.begin(), messages.end(),
                                     [&](const auto& m) { return m.first == topic; });
    if (!current) mqtt_->publish(topic, empty, 1, true);
  }
  for (const auto& [topic, payload] : messages) mqtt_->publish(topic, payload, 1, true);
}

void Daemon::on_mqtt_message(const mqtt::InMessage& m) {
  if (m.topic == topics_.ha_status) {
    if (m.payload == "online") {
      log_info("Home Assistant came online: re-publishing discovery");
      publish_discovery();
      publish_state_now();
    }
    return;
  }
  if (!schedule_settings_.presence_topic.empty() && m.topic == schedule_settings_.presence_topic) {
    on_presence(m.payload);
    return;
  }
  // Invariant 8: a retained command would replay at every reconnect.
  if (m.retained) {
    log_warning("ignored retained message on " + m.topic + " (commands must not be retained)");
    return;
  }
  if (m.topic == topics_.set) {
    auto r = mqtt::parse_set_json(m.payload);
    if (auto* e = std::get_if<std::string>(&r)) {
      publish_error(*e, m.payload);
      return;
    }
    execute(std::get<mqtt::Command>(r), m.payload);
    return;
  }
  if (auto key = topics_.set_key(m.topic)) {
    auto r = mqtt::parse_set_plain(*key, m.payload);
    const std::string text = std::string(*key) + "=" + m.payload;
    if (auto* e = std::get_if<std::string>(&r)) {
      publish_error(*e, text);
      return;
    }
    execute(std::get<mqtt::Command>(r), text);
    return;
  }
  if (m.topic == topics_.get) {
    last_state_payload_.clear();
    publish_state_now();
    publish_schedule();
    return;
  }
  if (auto op = topics_.request_op(m.topic)) {
    on_request(std::string(*op), m);
    return;
  }
  if (m.topic == topics_.sim_set && desk_.sim) {
    on_sim_set(m.payload);
    return;
  }
}

void Daemon::execute(const mqtt::Command& c, const std::string& text) {
  const int min_mm = config_.motion.min_height_mm;
  const int max_mm = config_.motion.max_height_mm;
  auto motion_command = [&](core::MotionCommand::Kind k, int mm = 0) {
    auto fx = motion_->handle(core::MotionCommand{k, mm, "mqtt"}, clock_.steady_now());
    apply(fx, text);
  };
  auto schedule_command = [&](std::optional<std::string> error) {
    if (error) {
      publish_error(*error, text);
    } else {
      save_stats();
    }
    update_schedule();
  };
  if (const auto* h = std::get_if<mqtt::GoToHeight>(&c)) {
    if (auto e = mqtt::check_command_limits(c, min_mm, max_mm, presets_)) {
      publish_error(*e, text);
      return;
    }
    motion_command(core::MotionCommand::Kind::kGoTo, h->mm);
  } else if (const auto* p = std::get_if<mqtt::GoToPosition>(&c)) {
    motion_command(core::MotionCommand::Kind::kGoTo,
                   mqtt::height_from_position(p->position, min_mm, max_mm));
  } else if (const auto* po = std::get_if<mqtt::GoToPosture>(&c)) {
    motion_command(core::MotionCommand::Kind::kGoTo,
                   po->posture == core::Posture::kStanding ? stand_height_mm_ : sit_height_mm_);
  } else if (const auto* pr = std::get_if<mqtt::GoToPreset>(&c)) {
    int mm = 0;
    if (pr->name == "sit") {
      mm = sit_height_mm_;
    } else if (pr->name == "stand") {
      mm = stand_height_mm_;
    } else if (auto it = presets_.find(pr->name); it != presets_.end()) {
      mm = it->second;
    } else {
      publish_error("unknown preset '" + pr->name + "'", text);
      return;
    }
    motion_command(core::MotionCommand::Kind::kGoTo, mm);
  } else if (const auto* a = std::get_if<mqtt::RunAction>(&c)) {
    using A = mqtt::Action;
    const auto in = schedule_inputs();
    switch (a->action) {
      case A::kStop:
        motion_command(core::MotionCommand::Kind::kStop);
        break;
      case A::kClearFault:
        motion_command(core::MotionCommand::Kind::kClearFault);
        break;
      case A::kCalibrate:
        motion_command(core::MotionCommand::Kind::kCalibrate);
        break;
      case A::kNudge:
        motion_command(core::MotionCommand::Kind::kNudge);
        break;
      case A::kConfirm:
        schedule_command(scheduler_->confirm(in));
        break;
      case A::kSnooze:
        schedule_command(scheduler_->snooze(in));
        break;
      case A::kSkip:
        schedule_command(scheduler_->skip(in));
        break;
      case A::kPauseToday:
        schedule_command(scheduler_->pause_today(in));
        break;
      case A::kResume:
        schedule_command(scheduler_->resume(in));
        break;
    }
  } else if (const auto* s = std::get_if<mqtt::SetScheduleEnabled>(&c)) {
    schedule_settings_.enabled = s->enabled;
    scheduler_->set_settings(schedule_settings_, schedule_inputs());
    save_settings();
    publish_schedule();
    update_schedule();
  }
}

void Daemon::on_request(const std::string& op, const mqtt::InMessage& m) {
  auto parsed = mqtt::parse_request(m.payload);
  auto respond = [&](const std::string& payload) {
    mqtt_->publish(topics_.response(op), payload, 1, false);
    if (!m.response_topic.empty()) {
      mqtt_->publish_v5_response(m.response_topic, payload, m.correlation_data);
    }
  };
  if (auto* e = std::get_if<std::string>(&parsed)) {
    log_warning("request " + op + ": " + *e);
    respond(mqtt::encode_response_error(*e, std::nullopt));
    return;
  }
  const auto& req = std::get<mqtt::Request>(parsed);
  auto fail = [&](const std::string& why) {
    log_warning("request " + op + " refused: " + why);
    respond(mqtt::encode_response_error(why, req.transaction));
  };
  if (op == "schedule/get") {
    respond(mqtt::encode_response_ok(mqtt::schedule_to_json(schedule_settings_), req.transaction));
  } else if (op == "schedule/set") {
    auto next = mqtt::apply_schedule_patch(schedule_settings_, req.body);
    if (auto* e = std::get_if<std::string>(&next)) {
      fail(*e);
      return;
    }
    auto& settings = std::get<core::ScheduleSettings>(next);
    if (settings.presence_topic != schedule_settings_.presence_topic) {
      fail("presence_topic: can only be changed in the config file");
      return;
    }
    schedule_settings_ = settings;
    scheduler_->set_settings(schedule_settings_, schedule_inputs());
    save_settings();
    log_info("schedule changed over MQTT");
    respond(mqtt::encode_response_ok(mqtt::schedule_to_json(schedule_settings_), req.transaction));
    publish_schedule();
    update_schedule();
  } else if (op == "schedule/preview") {
    boost::json::array changes;
    for (const auto& c : scheduler_->preview(schedule_inputs())) {
      changes.push_back(boost::json::object{{"at", mqtt::format_local_iso8601(c.at)},
                                            {"posture", core::to_string(c.posture)}});
    }
    respond(mqtt::encode_response_ok(boost::json::object{{"changes", changes}}, req.transaction));
  } else if (op == "presets/set") {
    auto presets = mqtt::parse_presets_request(req.body, config_.motion.min_height_mm,
                                               config_.motion.max_height_mm);
    if (auto* e = std::get_if<std::string>(&presets)) {
      fail(*e);
      return;
    }
    auto p = std::get<std::map<std::string, int>>(presets);
    int sit = sit_height_mm_, stand = stand_height_mm_;
    if (auto it = p.find("sit"); it != p.end()) sit = it->second, p.erase(it);
    if (auto it = p.find("stand"); it != p.end()) stand = it->second, p.erase(it);
    if (sit >= stand) {
      fail("presets: sit (" + std::to_string(sit) + " mm) must be below stand (" +
           std::to_string(stand) + " mm)");
      return;
    }
    sit_height_mm_ = sit;
    stand_height_mm_ = stand;
    presets_ = p;
    save_settings();
    boost::json::object data;
    boost::json::object pj;
    for (const auto& [k, v] : presets_) pj[k] = v;
    data["presets"] = pj;
    data["sit_height_mm"] = sit_height_mm_;
    data["stand_height_mm"] = stand_height_mm_;
    respond(mqtt::encode_response_ok(data, req.transaction));
    publish_state_soon();
  } else if (op == "stats/get") {
    auto days =
        mqtt::parse_stats_request(req.body, static_cast<int>(kPublishedStatsDays), kMaxStatsDays);
    if (auto* e = std::get_if<std::string>(&days)) {
      fail(*e);
      return;
    }
    update_stats();
    const auto history = stats_.last_days(static_cast<std::size_t>(std::get<int>(days)));
    respond(mqtt::encode_response_ok(mqtt::stats_to_json(history), req.transaction));
  } else {
    fail("unknown request '" + op + "'");
  }
}

void Daemon::on_sim_set(const std::string& payload) {
  boost::system::error_code ec;
  auto v = boost::json::parse(payload, ec);
  if (ec || !v.is_object() || v.as_object().empty()) {
    publish_error("sim/set: expected a JSON object", payload);
    return;
  }
  const auto& o = v.as_object();
  auto& sim = *desk_.sim;
  if (const auto* h = o.if_contains("handset")) {
    const auto* ms = o.if_contains("ms");
    const bool ok = h->is_string() && (h->as_string() == "up" || h->as_string() == "down") &&
                    o.size() == (ms ? 2u : 1u) &&
                    (!ms || (ms->is_int64() && ms->as_int64() > 0 && ms->as_int64() <= 60000));
    if (!ok) {
      publish_error("sim/set: expected {\"handset\":\"up|down\",\"ms\":1..60000}", payload);
      return;
    }
    sim.press_handset(h->as_string() == "up" ? core::Drive::kUp : core::Drive::kDown,
                      std::chrono::milliseconds(ms ? ms->as_int64() : 1000));
  } else if (o.size() != 1) {
    publish_error("sim/set: expected one key", payload);
    return;
  } else if (const auto* f = o.if_contains("fault"); f && f->is_string()) {
    const std::string name(f->as_string());
    if (name == "stall") {
      sim.inject_stall();
    } else if (name == "dropout" || name == "sensor_dropout") {
      sim.set_sensor_dropout(true);
    } else {
      publish_error("sim/set: unknown fault '" + name + "' (stall|dropout)", payload);
      return;
    }
  } else if (const auto* mm = o.if_contains("obstruction_at_mm");
             mm && (mm->is_int64() || mm->is_null())) {
    sim.set_obstruction_at(mm->is_null() ? std::nullopt : std::optional<double>(mm->as_int64()));
  } else if (const auto* c = o.if_contains("clear"); c && c->is_bool() && c->as_bool()) {
    sim.clear_faults();
  } else if (const auto* j = o.if_contains("clock_jump_s");
             j && j->is_int64() && std::abs(j->as_int64()) <= 400LL * 86400) {
    // Test-only hook (issue 13, clock jumps under load): steps deskd's wall clock.
    clock_.jump_wall(std::chrono::seconds(j->as_int64()));
  } else {
    publish_error("sim/set: unknown or malformed key '" + std::string(o.begin()->key()) + "'",
                  payload);
    return;
  }
  log_info("simulation: " + payload);
}

void Daemon::on_presence(const std::string& payload) {
  const std::string p = lower(payload);
  bool present;
  auto in = [&p](const std::vector<std::string>& list) {
    for (const auto& s : list) {
      if (lower(s) == p) return true;
    }
    return false;
  };
  if (in(schedule_settings_.presence_on)) {
    present = true;
  } else if (in(schedule_settings_.presence_off)) {
    present = false;
  } else {
    log_warning("presence: unknown payload '" + payload + "' ignored");
    return;
  }
  if (present == present_) return;
  update_stats();  // account the time until now under the old presence
  present_ = present;
  log_info(present ? "presence: someone is at the desk" : "presence: nobody at the desk");
  update_schedule();
}

// ---- Publishing ---------------------------------------------------------------------------------

mqtt::StateView Daemon::state_view() {
  const auto now = clock_.steady_now();
  const auto wall = clock_.wall_now();
  mqtt::StateView v;
  const int min_mm = config_.motion.min_height_mm;
  const int max_mm = config_.motion.max_height_mm;
  if (auto h = motion_->height_mm(now)) {
    v.height_mm = static_cast<int>(std::lround(*h));
    v.position = mqtt::position_from_height(*v.height_mm, min_mm, max_mm);
  }
  v.target_mm = motion_->target_mm();
  v.motion = motion_->drive();
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
  v.time_scale = clock_.scale();
  return v;
}

void Daemon::publish_state_soon() {
  if (!mqtt_ || stopping_) return;
  const auto now = clock_.steady_now();
  // A change of motion, posture, fault or phase goes out at once (a short nudge must show its
  // "up" and "down"); only the height streaming while moving is limited to 10/s in real time,
  // also under --time-scale.
  const auto phase = scheduler_->status(schedule_inputs()).phase;
  const std::string discrete = std::string(core::to_string(motion_->drive())) + "/" +
                               std::string(core::to_string(last_posture_)) + "/" +
                               std::string(core::to_string(motion_->fault())) + "/" +
                               std::string(core::to_string(phase));
  if (discrete != last_discrete_state_) {
    last_discrete_state_ = discrete;
    publish_state_now();
    return;
  }
  const auto earliest =
      last_state_publish_ + std::chrono::duration_cast<core::SteadyTime::duration>(
                                kStatePublishInterval * clock_.scale());
  if (now >= earliest) {
    publish_state_now();
  } else {
    publish_timer_.arm(earliest);
  }
}

void Daemon::publish_state_now() {
  if (!mqtt_) return;
  // Without an encoder the height changes between effects: keep B/state live while moving.
  if (!stopping_ && motion_->drive() != core::Drive::kNone &&
      config_.motion.sensor != core::SensorKind::kEncoder) {
    publish_timer_.arm(clock_.steady_now() + std::chrono::duration_cast<core::SteadyTime::duration>(
                                                 kStatePublishInterval * clock_.scale()));
  }
  std::string payload = mqtt::encode_state(state_view());
  if (payload == last_state_payload_) return;  // nothing changed: nothing to send
  last_state_payload_ = payload;
  last_state_publish_ = clock_.steady_now();
  mqtt_->publish(topics_.state, payload, 1, true);
}

void Daemon::publish_event(const std::string& type, boost::json::object fields) {
  fields["at"] = mqtt::format_local_iso8601(clock_.wall_now());  // deskd's (possibly scaled) time
  if (mqtt_) mqtt_->publish(topics_.event, mqtt::encode_event(type, fields), 1, false);
}

void Daemon::publish_error(const std::string& message, const std::string& command) {
  log_warning("rejected command" + (command.empty() ? std::string() : " " + command) + ": " +
              message);
  boost::json::object fields{{"error", message}};
  if (!command.empty()) fields["command"] = command;
  publish_event("error", std::move(fields));
}

void Daemon::publish_schedule() {
  if (mqtt_) mqtt_->publish(topics_.schedule, mqtt::encode_schedule(schedule_settings_), 1, true);
}

void Daemon::publish_stats() {
  if (!mqtt_) return;
  update_stats();
  mqtt_->publish(topics_.stats, mqtt::encode_stats(stats_.last_days(kPublishedStatsDays)), 1, true);
}

}  // namespace deskd::app
