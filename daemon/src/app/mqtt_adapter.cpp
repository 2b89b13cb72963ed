#include "app/mqtt_adapter.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdlib>

#include "app/coordinator.h"
#include "core/untrusted_text.h"
#include "hw/sim_backend.h"
#include "hw/sim_bus_controller.h"
#include "mqtt/command_codec.h"
#include "platform/log.h"

namespace deskd::app {
namespace {

constexpr std::int64_t kMaxPressMs = 60000;

bool is_press_ms(const boost::json::value& v) {
  return v.is_int64() && v.as_int64() > 0 && v.as_int64() <= kMaxPressMs;
}

}  // namespace

MqttAdapter::MqttAdapter(boost::asio::io_context& io, const config::Config& config,
                         mqtt::Topics topics, hw::SimBackend* sim)
    : config_(config), topics_(std::move(topics)), sim_(sim), birth_timer_(io) {
  const std::string client_id =
      config_.mqtt.client_id.empty() ? "deskd-" + config_.desk.id : config_.mqtt.client_id;
  client_ = std::make_unique<mqtt::MqttClient>(io, config_.mqtt, client_id, topics_.availability);
  client_->set_log([](int level, const std::string& m) {
    platform::log(level <= 3   ? platform::LogLevel::kError
                  : level == 4 ? platform::LogLevel::kWarning
                  : level >= 7 ? platform::LogLevel::kDebug
                               : platform::LogLevel::kInfo,
                  m);
  });
}

MqttAdapter::~MqttAdapter() = default;

void MqttAdapter::start(Coordinator& coordinator) {
  coordinator_ = &coordinator;
  auto filters = topics_.command_filters(sim_ != nullptr);
  filters.push_back(topics_.ha_status);
  if (!config_.schedule.presence_topic.empty()) filters.push_back(config_.schedule.presence_topic);
  if (!config_.schedule.busy_topic.empty()) filters.push_back(config_.schedule.busy_topic);
  if (!config_.schedule.activity_topic.empty()) {
    filters.push_back(config_.schedule.activity_topic);
  }
  client_->set_subscriptions(filters);
  client_->set_on_connected([this] { on_connected(); });
  client_->set_on_connection_lost([this] { coordinator_->on_broker(false); });
  client_->set_message_handler([this](const mqtt::InMessage& m) { on_message(m); });
  client_->start();
}

void MqttAdapter::stop(std::chrono::milliseconds timeout) {
  birth_timer_.cancel();
  client_->stop(timeout);
}

bool MqttAdapter::online() const { return client_->connected(); }

const std::string& MqttAdapter::topic_of(ports::Channel channel) const {
  switch (channel) {
    case ports::Channel::kState:
      return topics_.state;
    case ports::Channel::kSchedule:
      return topics_.schedule;
    case ports::Channel::kStats:
      return topics_.stats;
    case ports::Channel::kProgress:
      return topics_.progress;
    case ports::Channel::kTimeline:
      return topics_.timeline;
    case ports::Channel::kEvent:
      break;
  }
  return topics_.event;
}

void MqttAdapter::publish(ports::Channel channel, const std::string& payload) {
  client_->publish(topic_of(channel), payload, 1, channel != ports::Channel::kEvent);
}

void MqttAdapter::on_connected() {
  platform::log_info("MQTT connected to " + config_.mqtt.uri);
  client_->publish(topics_.availability, "online", 1, true);
  // Discovery first: paho holds QoS 1 messages beyond the broker's receive maximum (20) until
  // acknowledgements come back, and whatever on_broker() publishes must not delay discovery.
  publish_discovery();
  coordinator_->on_broker(true);
  coordinator_->republish();
}

void MqttAdapter::republish_all() {
  publish_discovery();
  coordinator_->republish();
}

// Home Assistant (re)started and asks for discovery. A flood of birth messages (a loop in an
// automation, or a hostile client) must not turn into a flood of republishes that paho then
// refuses to buffer: requests are coalesced by birth_gate_.
void MqttAdapter::on_home_assistant_online() {
  const auto jitter = std::chrono::milliseconds(jitter_() % (kBirthJitter.count() + 1));
  const auto at = birth_gate_.request(std::chrono::steady_clock::now(), jitter);
  if (!at) return;  // one is already due
  birth_timer_.expires_at(*at);
  birth_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    birth_gate_.ran(std::chrono::steady_clock::now());
    if (!client_->connected()) return;  // the next connect republishes anyway
    platform::log_info("Home Assistant came online: re-publishing discovery");
    republish_all();
  });
}

void MqttAdapter::publish_discovery() {
  const auto messages = mqtt::discovery_messages(topics_, config_.mqtt.discovery, discovery_);
  // What another discovery mode (or an earlier run before discovery = "off") left retained is
  // removed with an empty retained payload, so Home Assistant drops those entities. At QoS 0:
  // the broker accepts at most its receive maximum (mosquitto: 20) unacknowledged QoS 1
  // messages, and paho sends the ones beyond it only about a second later, which would hold
  // back the state and discovery behind 20 removals; they are repeated at every connect.
  for (const auto& [topic, empty] : mqtt::removal_messages(topics_)) {
    const bool current = std::any_of(messages.begin(), messages.end(),
                                     [&t = topic](const auto& m) { return m.first == t; });
    if (!current) client_->publish(topic, empty, 0, true);
  }
  for (const auto& [topic, payload] : messages) client_->publish(topic, payload, 1, true);
}

void MqttAdapter::on_message(const mqtt::InMessage& m) {
  if (m.topic == topics_.ha_status) {
    if (m.payload == "online") on_home_assistant_online();
    return;
  }
  if (!config_.schedule.presence_topic.empty() && m.topic == config_.schedule.presence_topic) {
    coordinator_->on_presence(m.payload);
    return;
  }
  if (!config_.schedule.busy_topic.empty() && m.topic == config_.schedule.busy_topic) {
    coordinator_->on_busy(m.payload);
    return;
  }
  if (!config_.schedule.activity_topic.empty() && m.topic == config_.schedule.activity_topic) {
    coordinator_->on_activity(m.payload);
    return;
  }
  // Invariant 8: a retained command would replay at every reconnect.
  if (m.retained) {
    platform::log_warning("ignored retained message on " + core::printable_excerpt(m.topic) +
                          " (commands must not be retained)");
    return;
  }
  if (m.topic == topics_.set) {
    on_set("", m.payload);
  } else if (auto key = topics_.set_key(m.topic)) {
    on_set(std::string(*key), m.payload);
  } else if (m.topic == topics_.get) {
    coordinator_->republish();
  } else if (auto op = topics_.request_op(m.topic)) {
    on_request(std::string(*op), m);
  } else if (m.topic == topics_.sim_set && sim_) {
    on_sim_set(m.payload);
  }
}

// B/set (key empty: JSON) or B/set/<key> (a plain value).
void MqttAdapter::on_set(const std::string& key, const std::string& payload) {
  auto r = key.empty() ? mqtt::parse_set_json(payload) : mqtt::parse_set_plain(key, payload);
  const std::string text = key.empty() ? payload : key + "=" + payload;
  if (auto* e = std::get_if<std::string>(&r)) {
    coordinator_->reject(*e, text);
    return;
  }
  coordinator_->on_command(std::get<mqtt::Command>(r), text);
}

void MqttAdapter::on_request(const std::string& op, const mqtt::InMessage& m) {
  auto respond = [this, topic = topics_.response(op), reply_to = m.response_topic,
                  correlation = m.correlation_data](const std::string& payload) {
    client_->publish(topic, payload, 1, false);
    if (!reply_to.empty()) client_->publish_v5_response(reply_to, payload, correlation);
  };
  coordinator_->on_request(op, m.payload, std::move(respond));
}

void MqttAdapter::on_sim_set(const std::string& payload) {
  boost::system::error_code ec;
  auto v = boost::json::parse(payload, ec);
  if (ec || !v.is_object() || v.as_object().empty()) {
    coordinator_->reject("sim/set: expected a JSON object", payload);
    return;
  }
  const auto& o = v.as_object();
  if (const auto* h = o.if_contains("handset")) {
    const auto* ms = o.if_contains("ms");
    const bool ok = h->is_string() && (h->as_string() == "up" || h->as_string() == "down") &&
                    o.size() == (ms ? 2u : 1u) && (!ms || is_press_ms(*ms));
    if (!ok) {
      coordinator_->reject("sim/set: expected {\"handset\":\"up|down\",\"ms\":1..60000}", payload);
      return;
    }
    sim_->press_handset(h->as_string() == "up" ? core::Drive::kUp : core::Drive::kDown,
                        std::chrono::milliseconds(ms ? ms->as_int64() : 1000));
  } else if (o.size() != 1) {
    coordinator_->reject("sim/set: expected one key", payload);
    return;
  } else if (const auto* b = o.if_contains("button")) {
    if (!is_press_ms(*b)) {
      coordinator_->reject("sim/set: expected {\"button\":1..60000} (ms held)", payload);
      return;
    }
    sim_->press_button(std::chrono::milliseconds(b->as_int64()));
  } else if (const auto* f = o.if_contains("fault"); f && f->is_string()) {
    const std::string name(f->as_string());
    if (name == "stall") {
      sim_->inject_stall();
    } else if (name == "dropout" || name == "sensor_dropout") {
      sim_->set_sensor_dropout(true);
    } else {
      coordinator_->reject("sim/set: unknown fault '" + name + "' (stall|dropout)", payload);
      return;
    }
  } else if (const auto* mm = o.if_contains("obstruction_at_mm");
             mm && (mm->is_int64() || mm->is_null())) {
    sim_->set_obstruction_at(mm->is_null() ? std::nullopt : std::optional<double>(mm->as_int64()));
  } else if (const auto* c = o.if_contains("clear"); c && c->is_bool() && c->as_bool()) {
    sim_->clear_faults();
    if (bus_sim_) bus_sim_->clear();
  } else if (const auto* j = o.if_contains("clock_jump_s");
             j && j->is_int64() && std::abs(j->as_int64()) <= 400LL * 86400 && sim_clock_) {
    // Test-only hook (issue 13, clock jumps under load): steps deskd's wall clock.
    sim_clock_->jump_wall(std::chrono::seconds(j->as_int64()));
  } else if (const auto* b = o.if_contains("bus"); b && b->is_string() && bus_sim_) {
    return on_sim_bus(b->as_string(), payload);
  } else {
    coordinator_->reject(
        "sim/set: unknown or malformed key '" + std::string(o.begin()->key()) + "'", payload);
    return;
  }
  platform::log_info("simulation: " + payload);
}

// B/sim/set {"bus": ...}: the simulated bus controller's faults (see hw/sim_bus_controller.h).
void MqttAdapter::on_sim_bus(std::string_view what, const std::string& payload) {
  const bool code = what.size() == 3 && (what[0] == 'E' || what[0] == 'H') &&
                    std::isdigit(static_cast<unsigned char>(what[1])) &&
                    std::isdigit(static_cast<unsigned char>(what[2]));
  if (what == "silent") {
    bus_sim_->go_silent();
  } else if (what == "close") {
    bus_sim_->close_port();
  } else if (what == "garbage") {
    bus_sim_->send_garbage();
  } else if (what == "reset") {
    bus_sim_->show_error("RST");
  } else if (code) {
    bus_sim_->show_error(std::string(what));
  } else if (const auto display = hw::sim_bus_display_from(what)) {  // normal, not a fault
    if (auto e = bus_sim_->show(*display)) return coordinator_->reject("sim/set: " + *e, payload);
  } else {
    coordinator_->reject("sim/set: unknown bus fault '" + std::string(what) +
                             "' (silent|close|garbage|reset|E01..E99|H01|reminder|preset_store|"
                             "limit_set)",
                         payload);
    return;
  }
  platform::log_info("simulation: " + payload);
}

}  // namespace deskd::app
