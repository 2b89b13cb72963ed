#include "support/mqtt_test_client.h"

#include <mqtt/async_client.h>

#include <atomic>

#include "mqtt/tcp_nodelay.h"

namespace deskd::testing {
namespace {
std::atomic<int> g_counter{0};
}

MqttTestClient::MqttTestClient(int port, std::string client_id, std::string username,
                               std::string password)
    : port_(port), username_(std::move(username)), password_(std::move(password)) {
  if (client_id.empty())
    client_id = "deskd-test-" + std::to_string(getpid()) + "-" + std::to_string(g_counter++);
  flush_topic_ = "deskd-test/flush/" + client_id;
  client_ = std::make_unique<::mqtt::async_client>(
      "tcp://127.0.0.1:" + std::to_string(port), client_id, ::mqtt::create_options(MQTTVERSION_5));
  client_->set_message_callback([this](::mqtt::const_message_ptr m) {
    const auto at = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    if (m->get_topic() == flush_topic_) {
      ++flushes_back_;
      cv_.notify_all();
      return;
    }
    messages_.push_back({m->get_topic(), m->get_payload_str(), m->is_retained(), at});
    const auto& props = m->get_properties();
    if (props.contains(::mqtt::property::CORRELATION_DATA)) {
      correlations_.emplace_back(
          m->get_topic(), ::mqtt::get<::mqtt::binary>(props, ::mqtt::property::CORRELATION_DATA));
    }
    cv_.notify_all();
  });
}

MqttTestClient::~MqttTestClient() { disconnect(); }

void MqttTestClient::set_tcp_nodelay() { deskd::mqtt::set_tcp_nodelay_to_peer_port(port_); }

bool MqttTestClient::connect(std::chrono::milliseconds timeout) {
  auto opts = ::mqtt::connect_options_builder()
                  .mqtt_version(MQTTVERSION_5)
                  .clean_start(true)
                  .connect_timeout(timeout)
                  .finalize();
  if (!username_.empty()) {
    opts.set_user_name(username_);
    opts.set_password(password_);
  }
  try {
    client_->connect(opts)->wait_for(timeout + std::chrono::seconds(1));
    return client_->is_connected();
  } catch (const ::mqtt::exception& e) {
    last_error_ = e.what();
    return false;
  }
}

void MqttTestClient::subscribe(const std::string& filter) {
  client_->subscribe(filter, 1)->wait_for(std::chrono::seconds(5));
}

void MqttTestClient::publish(const std::string& topic, const std::string& payload, bool retain,
                             int qos) {
  client_->publish(topic, payload.data(), payload.size(), qos, retain)
      ->wait_for(std::chrono::seconds(5));
}

bool MqttTestClient::publish_all(const std::string& topic, const std::vector<std::string>& payloads,
                                 int qos, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::deque<::mqtt::delivery_token_ptr> pending;
  // paho refuses more than ~10 unacknowledged QoS 1/2 publishes and more than 100 queued ones.
  const std::size_t window = qos == 0 ? 90 : 8;
  for (const auto& p : payloads) {
    while (pending.size() >= window) {
      const auto left = deadline - std::chrono::steady_clock::now();
      if (left <= left.zero() ||
          !pending.front()->wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(left))) {
        return false;
      }
      pending.pop_front();
    }
    pending.push_back(client_->publish(topic, p.data(), p.size(), qos, false));
  }
  for (auto& t : pending) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= left.zero() ||
        !t->wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(left))) {
      return false;
    }
  }
  return true;
}

void MqttTestClient::publish_request(const std::string& topic, const std::string& payload,
                                     const std::string& response_topic,
                                     const std::string& correlation) {
  auto msg = ::mqtt::make_message(topic, payload, 1, false);
  ::mqtt::properties props{{::mqtt::property::RESPONSE_TOPIC, response_topic},
                           {::mqtt::property::CORRELATION_DATA, correlation}};
  msg->set_properties(props);
  client_->publish(msg)->wait_for(std::chrono::seconds(5));
}

bool MqttTestClient::flush(std::chrono::milliseconds timeout) {
  if (flushes_sent_ == 0) subscribe(flush_topic_);
  const int marker = ++flushes_sent_;
  publish(flush_topic_, std::to_string(marker));
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return flushes_back_ >= marker; });
}

void MqttTestClient::disconnect() {
  try {
    if (client_ && client_->is_connected())
      client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (...) {
  }
}

std::optional<ReceivedMessage> MqttTestClient::wait_for(
    const std::string& topic, const std::function<bool(const std::string&)>& match,
    std::chrono::milliseconds timeout, std::size_t since) {
  std::unique_lock<std::mutex> lock(mutex_);
  std::size_t checked = since;
  std::optional<ReceivedMessage> found;
  cv_.wait_for(lock, timeout, [&] {
    for (; checked < messages_.size(); ++checked) {
      if (messages_[checked].topic == topic && match(messages_[checked].payload)) {
        found = messages_[checked];
        return true;
      }
    }
    return false;
  });
  return found;
}

std::optional<ReceivedMessage> MqttTestClient::wait_for_containing(
    const std::string& topic, const std::string& needle, std::chrono::milliseconds timeout,
    std::size_t since) {
  return wait_for(
      topic, [&](const std::string& p) { return p.find(needle) != std::string::npos; }, timeout,
      since);
}

std::vector<ReceivedMessage> MqttTestClient::messages() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return messages_;
}

std::size_t MqttTestClient::count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return messages_.size();
}

std::optional<std::string> MqttTestClient::last(const std::string& topic) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
    if (it->topic == topic) return it->payload;
  }
  return std::nullopt;
}

std::vector<std::string> MqttTestClient::correlations_on(const std::string& topic) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [t, c] : correlations_) {
    if (t == topic) out.push_back(c);
  }
  return out;
}

}  // namespace deskd::testing
