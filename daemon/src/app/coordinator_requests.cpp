// The runner's commands, requests and settings (DESIGN.md §8 payloads). Settings are saved
// before they take effect; core::Desk gets them as ScheduleSaved / HeightsSaved.
#include <boost/json.hpp>

#include "app/coordinator.h"
#include "config/runtime_overrides.h"
#include "core/untrusted_text.h"
#include "mqtt/event_codec.h"
#include "mqtt/schedule_codec.h"
#include "mqtt/stats_codec.h"
#include "platform/log.h"

namespace deskd::app {
namespace {

constexpr int kMaxStatsDays = 400;

// Untrusted text (a payload, a topic level, what a codec quotes from them) as deskd echoes it in
// logs, B/event and B/response: escaped and capped (invariant 10).
std::string echo(std::string_view text) { return core::printable_excerpt(text); }

}  // namespace

// ---- Commands -----------------------------------------------------------------------------------

void Coordinator::on_command(const core::DeskCommand& c, const std::string& text) {
  if (const auto* s = std::get_if<core::SetScheduleEnabled>(&c)) {
    return set_schedule_enabled(s->enabled, text);
  }
  post(core::Command{c, text});
}

void Coordinator::set_schedule_enabled(bool enabled, const std::string& text) {
  if (desk_->in_motion()) {  // saving waits for the motor; so does the change
    when_idle_.push_back([this, enabled, text] { set_schedule_enabled(enabled, text); });
    return;
  }
  auto next = desk_->settings();
  next.schedule.enabled = enabled;
  if (auto e = save_settings_first(next)) {
    reject("schedule_enabled not changed: " + *e, text);
    return;
  }
  handle_now(core::ScheduleSaved{next.schedule});
  publication_->schedule();
  drain();
}

void Coordinator::reject(const std::string& message, const std::string& command) {
  const std::string why = echo(message);
  const std::string what = echo(command);
  platform::log_warning("rejected command" + (what.empty() ? std::string() : " " + what) + ": " +
                        why);
  boost::json::object fields{{"error", why}};
  if (!what.empty()) fields["command"] = what;
  publication_->event("error", std::move(fields));
}

// ---- Requests -----------------------------------------------------------------------------------

void Coordinator::on_request(const std::string& op, const std::string& payload, Respond respond) {
  auto parsed = mqtt::parse_request(payload);
  if (auto* e = std::get_if<std::string>(&parsed)) {
    const std::string why = echo(*e);
    platform::log_warning("request " + echo(op) + ": " + why);
    respond(mqtt::encode_response_error(why, std::nullopt));
    return;
  }
  const auto req = std::get<mqtt::Request>(parsed);
  const auto known = mqtt::request_op_from_string(op);
  if (known && mqtt::request_saves(*known) && desk_->in_motion()) {
    // Answered once the settings are saved, which waits for the motor to stop.
    when_idle_.push_back([this, op, req, respond] { handle_request(op, req, respond); });
    return;
  }
  handle_request(op, req, respond);
  drain();
}

void Coordinator::handle_request(const std::string& op, const mqtt::Request& req,
                                 const Respond& respond) {
  using Op = mqtt::RequestOp;
  const auto known = mqtt::request_op_from_string(op);
  if (!known) return refuse(op, "unknown request '" + op + "'", req, respond);
  switch (*known) {
    case Op::kScheduleGet:
      return respond(mqtt::encode_response_ok(mqtt::schedule_to_json(desk_->settings().schedule),
                                              req.transaction));
    case Op::kScheduleSet:
      return request_schedule_set(req, respond);
    case Op::kSchedulePreview:
      return respond(
          mqtt::encode_response_ok(mqtt::preview_to_json(desk_->preview(now())), req.transaction));
    case Op::kPresetsSet:
      return request_presets_set(req, respond);
    case Op::kStatsGet:
      return request_stats_get(req, respond);
    case Op::kEventsGet:
      return request_events_get(req, respond);
  }
}

void Coordinator::refuse(const std::string& op, const std::string& error, const mqtt::Request& req,
                         const Respond& respond) {
  const std::string why = echo(error);
  platform::log_warning("request " + echo(op) + " refused: " + why);
  respond(mqtt::encode_response_error(why, req.transaction));
}

void Coordinator::request_schedule_set(const mqtt::Request& req, const Respond& respond) {
  const auto& current = desk_->settings();
  auto next = mqtt::apply_schedule_patch(current.schedule, req.body);
  if (auto* e = std::get_if<std::string>(&next)) return refuse("schedule/set", *e, req, respond);
  auto candidate = current;
  candidate.schedule = std::get<core::ScheduleSettings>(next);
  if (!core::same_topics(candidate.schedule, current.schedule)) {
    return refuse("schedule/set",
                  "presence_topic, busy_topic, activity_topic: can only be changed in the config "
                  "file",
                  req, respond);
  }
  if (auto e = save_settings_first(candidate)) {
    return refuse("schedule/set", "not saved, the schedule is unchanged: " + *e, req, respond);
  }
  handle_now(core::ScheduleSaved{candidate.schedule});
  platform::log_info("schedule changed over MQTT");
  respond(mqtt::encode_response_ok(mqtt::schedule_to_json(candidate.schedule), req.transaction));
  publication_->schedule();
}

void Coordinator::request_presets_set(const mqtt::Request& req, const Respond& respond) {
  auto next = mqtt::apply_presets_request(req.body, desk_->settings(), config_.motion.min_height_mm,
                                          config_.motion.max_height_mm);
  if (auto* e = std::get_if<std::string>(&next)) return refuse("presets/set", *e, req, respond);
  const auto& candidate = std::get<core::DeskSettings>(next);
  if (auto e = save_settings_first(candidate)) {
    return refuse("presets/set", "not saved, the presets are unchanged: " + *e, req, respond);
  }
  handle_now(
      core::HeightsSaved{candidate.presets, candidate.sit_height_mm, candidate.stand_height_mm});
  respond(mqtt::encode_response_ok(mqtt::presets_to_json(candidate), req.transaction));
}

// events/get {"limit":N}: the last N (default and at most 200) B/event payloads, oldest first.
void Coordinator::request_events_get(const mqtt::Request& req, const Respond& respond) {
  constexpr int kMax = static_cast<int>(mqtt::EventLog::kCapacity);
  auto limit = mqtt::parse_count_request(req.body, "limit", kMax, kMax);
  if (auto* e = std::get_if<std::string>(&limit)) return refuse("events/get", *e, req, respond);
  const auto events = publication_->events().last(static_cast<std::size_t>(std::get<int>(limit)));
  respond(mqtt::encode_response_ok(boost::json::object{{"events", events}}, req.transaction));
}

void Coordinator::request_stats_get(const mqtt::Request& req, const Respond& respond) {
  auto days = mqtt::parse_count_request(req.body, "days", static_cast<int>(kPublishedStatsDays),
                                        kMaxStatsDays);
  if (auto* e = std::get_if<std::string>(&days)) return refuse("stats/get", *e, req, respond);
  handle_now(core::AccountTime{});
  const auto history = desk_->stats().last_days(static_cast<std::size_t>(std::get<int>(days)));
  respond(mqtt::encode_response_ok(mqtt::stats_to_json(history), req.transaction));
}

// ---- Settings -----------------------------------------------------------------------------------

std::optional<std::string> Coordinator::save_settings_first(const core::DeskSettings& candidate) {
  auto error = persistence_.save_settings(config::overrides_of(config_, candidate));
  // A refused change must not be written later by a retry: what is pending is the old settings.
  if (error) persistence_.save_settings(config::overrides_of(config_, desk_->settings()));
  after_save();
  return error;
}

}  // namespace deskd::app
