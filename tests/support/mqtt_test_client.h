#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mqtt {
class async_client;
}

namespace deskd::testing {

struct ReceivedMessage {
  std::string topic;
  std::string payload;
  bool retained = false;
  std::chrono::steady_clock::time_point at;  // when paho handed it to the client
};

// A real MQTT client for tests (paho C++, MQTT v5), recording every message it receives.
class MqttTestClient {
 public:
  explicit MqttTestClient(int port, std::string client_id = "", std::string username = "",
                          std::string password = "");
  ~MqttTestClient();

  // Connects; false (with the reason in last_error()) if the broker refuses or is unreachable.
  bool connect(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void subscribe(const std::string& filter);
  void publish(const std::string& topic, const std::string& payload, bool retain = false,
               int qos = 1);
  // Publishes every payload on `topic` in order without waiting for each acknowledgement (a
  // flood); returns true once all were acknowledged within `timeout`.
  bool publish_all(const std::string& topic, const std::vector<std::string>& payloads, int qos = 1,
                   std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // Publishes with an MQTT v5 response topic and correlation data.
  void publish_request(const std::string& topic, const std::string& payload,
                       const std::string& response_topic, const std::string& correlation);
  // Waits until the broker has delivered everything it queued for this client before the call
  // (the retained messages of its subscriptions included): a marker published to a topic of this
  // client's own comes back after them. Markers are not recorded in messages().
  bool flush(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void disconnect();
  // TCP_NODELAY on this client's socket, as browsers set it (and deskd now does): with Nagle, a
  // publish right after this client's PUBACK of a QoS 1 message waits for the broker's delayed
  // ACK. (Sets it on every socket of this process to the broker's port.)
  void set_tcp_nodelay();

  // Waits for a message on `topic` whose payload satisfies `match` (received after `since`,
  // an index into messages()). Returns it or nullopt on timeout.
  std::optional<ReceivedMessage> wait_for(
      const std::string& topic, const std::function<bool(const std::string&)>& match,
      std::chrono::milliseconds timeout = std::chrono::seconds(10), std::size_t since = 0);
  std::optional<ReceivedMessage> wait_for_containing(
      const std::string& topic, const std::string& needle,
      std::chrono::milliseconds timeout = std::chrono::seconds(10), std::size_t since = 0);
  std::vector<ReceivedMessage> messages() const;
  std::size_t count() const;
  // The last payload received on `topic`, if any.
  std::optional<std::string> last(const std::string& topic) const;
  const std::string& last_error() const { return last_error_; }
  std::vector<std::string> correlations_on(const std::string& topic) const;

 private:
  std::unique_ptr<::mqtt::async_client> client_;
  std::string flush_topic_;  // subscribed by the first flush()
  int flushes_sent_ = 0;
  int flushes_back_ = 0;  // guarded by mutex_
  int port_;
  std::string username_;
  std::string password_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<ReceivedMessage> messages_;
  std::vector<std::pair<std::string, std::string>> correlations_;
  std::string last_error_;
};

}  // namespace deskd::testing
