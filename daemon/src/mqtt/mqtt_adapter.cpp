#include "mqtt/mqtt_adapter.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/untrusted_text.h"
#include "mqtt/command_codec.h"

namespace deskd::mqtt {
MqttAdapter::MqttAdapter(boost::asio::io_context& io, const config::Config& config, Topics topics,
                         Log log, SimHandler sim)
    : config_(config),
      topics_(std::move(topics)),
      log_(std::move(log)),
      sim_(std::move(sim)),
      birth_timer_(io) {
  const std::string client_id =
      config_.mqtt.client_id.empty() ? "deskd-" + config_.desk.id : config_.mqtt.client_id;
  client_ = std::make_unique<MqttClient>(io, config_.mqtt, client_id, topics_.availability);
  client_->set_log(log_);
}

MqttAdapter::~MqttAdapter() = default;

void MqttAdapter::start(DeskInbox& inbox) {
  inbox_ = &inbox;
  auto filters = topics_.command_filters(static_cast<bool>(sim_));
  filters.push_back(topics_.ha_status);
  if (!config_.schedule.presence_topic.empty()) filters.push_back(config_.schedule.presence_topic);
  if (!config_.schedule.busy_topic.empty()) filters.push_back(config_.schedule.busy_topic);
  if (!config_.schedule.activity_topic.empty()) {
    filters.push_back(config_.schedule.activity_topic);
  }
  client_->set_subscriptions(filters);
  client_->set_on_connected([this] { on_connected(); });
  client_->set_on_connection_lost([this] { inbox_->on_broker(false); });
  client_->set_message_handler([this](const InMessage& m) { on_message(m); });
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
  log_(kInfo, "MQTT connected to " + config_.mqtt.uri);
  client_->publish(topics_.availability, "online", 1, true);
  // Discovery first: paho holds QoS 1 messages beyond the broker's receive maximum (20) until
  // acknowledgements come back, and whatever on_broker() publishes must not delay discovery.
  publish_discovery();
  inbox_->on_broker(true);
  inbox_->republish();
}

void MqttAdapter::republish_all() {
  publish_discovery();
  inbox_->republish();
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
    log_(kInfo, "Home Assistant came online: re-publishing discovery");
    republish_all();
  });
}

void MqttAdapter::publish_discovery() {
  const auto messages = discovery_messages(topics_, config_.mqtt.discovery, discovery_);
  // What another discovery mode (or an earlier run before discovery = "off") left retained is
  // removed with an empty retained payload, so Home Assistant drops those entities. At QoS 0:
  // the broker accepts at most its receive maximum (mosquitto: 20) unacknowledged QoS 1
  // messages, and paho sends the ones beyond it only about a second later, which would hold
  // back the state and discovery behind 20 removals; they are repeated at every connect.
  for (const auto& [topic, empty] : removal_messages(topics_)) {
    const bool current = std::any_of(messages.begin(), messages.end(),
                                     [&t = topic](const auto& m) { return m.first == t; });
    if (!current) client_->publish(topic, empty, 0, true);
  }
  for (const auto& [topic, payload] : messages) client_->publish(topic, payload, 1, true);
}

void MqttAdapter::on_message(const InMessage& m) {
  if (m.topic == topics_.ha_status) {
    if (m.payload == "online") on_home_assistant_online();
    return;
  }
  if (!config_.schedule.presence_topic.empty() && m.topic == config_.schedule.presence_topic) {
    inbox_->on_presence(m.payload);
    return;
  }
  if (!config_.schedule.busy_topic.empty() && m.topic == config_.schedule.busy_topic) {
    inbox_->on_busy(m.payload);
    return;
  }
  if (!config_.schedule.activity_topic.empty() && m.topic == config_.schedule.activity_topic) {
    inbox_->on_activity(m.payload);
    return;
  }
  // Invariant 8: a retained command would replay at every reconnect.
  if (m.retained) {
    log_(kWarning, "ignored retained message on " + core::printable_excerpt(m.topic) +
                       " (commands must not be retained)");
    return;
  }
  if (m.topic == topics_.set) {
    on_set("", m.payload);
  } else if (auto key = topics_.set_key(m.topic)) {
    on_set(std::string(*key), m.payload);
  } else if (m.topic == topics_.get) {
    inbox_->republish();
  } else if (auto op = topics_.request_op(m.topic)) {
    on_request(std::string(*op), m);
  } else if (m.topic == topics_.sim_set && sim_) {
    sim_(m.payload);
  }
}

// B/set (key empty: JSON) or B/set/<key> (a plain value).
void MqttAdapter::on_set(const std::string& key, const std::string& payload) {
  auto r = key.empty() ? parse_set_json(payload) : parse_set_plain(key, payload);
  const std::string text = key.empty() ? payload : key + "=" + payload;
  if (auto* e = std::get_if<std::string>(&r)) {
    inbox_->reject(*e, text);
    return;
  }
  inbox_->on_command(std::get<core::DeskCommand>(r), text);
}

void MqttAdapter::on_request(const std::string& op, const InMessage& m) {
  auto respond = [this, topic = topics_.response(op), reply_to = m.response_topic,
                  correlation = m.correlation_data](const std::string& payload) {
    client_->publish(topic, payload, 1, false);
    if (!reply_to.empty()) client_->publish_v5_response(reply_to, payload, correlation);
  };
  inbox_->on_request(op, m.payload, std::move(respond));
}

}  // namespace deskd::mqtt
