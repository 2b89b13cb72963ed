#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"

namespace mqtt {
class async_client;
}

namespace deskd::mqtt {

// An incoming message, delivered on the event loop.
struct InMessage {
  std::string topic;
  std::string payload;
  // The publisher's retain flag (subscriptions use "retain as published", so a command
  // published with retain is seen as retained even when it arrives live).
  bool retained = false;
  std::string response_topic;    // MQTT 5 response topic; empty when none
  std::string correlation_data;  // MQTT 5 correlation data; empty when none
};

// The paho-mqtt-cpp adapter: MQTT 5, clean start, last will "offline" (retained, QoS 1) on
// the will topic, optional username/password and TLS (ssl://, mqtts://), its own reconnect
// with capped back-off (1 s doubling to 30 s) that also retries a failed first connect.
//
// Threading: paho's callbacks run on paho's threads and only boost::asio::post() into the
// io_context; every handler and log callback runs on the loop. REQUIRES: every method is called
// on the loop's thread (or before the loop runs), and the object is destroyed there too.
//
// Offline first: nothing here blocks the loop or throws after construction, except stop(),
// which waits at most its timeout.
class MqttClient {
 public:
  static constexpr int kLogError = 3;  // syslog-style levels for the log callback
  static constexpr int kLogWarning = 4;
  static constexpr int kLogInfo = 6;
  static constexpr int kLogDebug = 7;
  // Incoming messages posted to the loop but not yet handled; above this, new ones are dropped.
  static constexpr std::size_t kMaxPendingMessages = 1000;
  static constexpr std::chrono::seconds kMinRetry{1};
  static constexpr std::chrono::seconds kMaxRetry{30};
  // After each connect call: up to this many wake-ups of paho's sleeping receive thread, this
  // far apart (the socket exists within a millisecond or two; see paho_wake.h).
  static constexpr int kWakeAttempts = 10;
  static constexpr std::chrono::milliseconds kWakeInterval{2};
  static constexpr std::chrono::seconds kRefusalLogInterval{5};
  static constexpr std::chrono::milliseconds kResendInterval{250};
  // A session the broker ends within this time of its CONNACK counts as a short one; two short
  // ones in a row (or an MQTT 5 DISCONNECT with reason 0x8E, session taken over) are reported as
  // another client using deskd's client id.
  static constexpr std::chrono::seconds kShortSession{10};
  static constexpr int kSessionTakenOver = 0x8E;
  static constexpr std::chrono::seconds kSessionTakenLogInterval{60};  // at most one such warning

  using LogFn = std::function<void(int level, std::string message)>;
  using MessageFn = std::function<void(const InMessage&)>;

  // An empty `will_topic` means no last will and no "offline" on stop() (one-shot tools such
  // as --forget). Throws std::invalid_argument for a URI paho refuses (start-up boundary).
  MqttClient(boost::asio::io_context& io, const config::MqttSettings& settings,
             std::string client_id, std::string will_topic);
  // Without a prior stop(), does stop(500 ms). (paho-mqtt-cpp 1.2 cannot send MQTT 5's
  // "disconnect with will message", and its destroy sends a normal DISCONNECT, which
  // suppresses the will; so "offline" is published explicitly.)
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  void set_log(LogFn fn) { log_ = std::move(fn); }
  void set_message_handler(MessageFn fn) { on_message_ = std::move(fn); }
  // Subscribed (QoS 1, retain as published) at every (re)connect, before on_connected fires.
  // When connected, the filters are also subscribed at once.
  void set_subscriptions(std::vector<std::string> filters);
  // After each (re)connect, once the subscriptions are acknowledged: the daemon republishes.
  void set_on_connected(std::function<void()> fn) { on_connected_ = std::move(fn); }
  void set_on_connection_lost(std::function<void()> fn) { on_connection_lost_ = std::move(fn); }

  // Starts connecting in the background; failures are logged and retried.
  void start();
  // Non-blocking. Returns false when not connected (logged at debug level: retained state is
  // republished by the daemon on connect anyway) or when paho refuses the message (its buffer
  // is full: "No more messages can be buffered"). A refusal is logged as a warning, at most
  // once per kRefusalLogInterval with the count since; a refused retained message is kept
  // (the latest per topic, until a newer one on its topic is accepted) and published again
  // every kResendInterval until paho takes it. Refused non-retained messages are counted, lost.
  bool publish(const std::string& topic, const std::string& payload, int qos, bool retain);
  // An MQTT 5 response: QoS 1, not retained, with the request's correlation data.
  bool publish_v5_response(const std::string& topic, const std::string& payload,
                           const std::string& correlation_data);
  bool connected() const { return connected_.load(); }
  // Publishes "offline" (retained, QoS 1) on the will topic, disconnects and stops retrying;
  // waits at most `timeout` in total. Nothing is delivered afterwards.
  void stop(std::chrono::milliseconds timeout);

  // Incoming messages dropped because kMaxPendingMessages were waiting (since construction).
  std::uint64_t dropped_messages() const;
  // Publications paho refused (since construction), and retained ones still waiting to be
  // published again.
  std::uint64_t refused_publications() const { return refused_total_; }
  std::size_t held_publications() const { return held_.size(); }

 private:
  struct Shared;
  class ActionListener;

  void connect();
  // Ends paho's 100 ms no-socket sleeps for the first few ms of a connect (paho_wake.h).
  void schedule_wake(int left);
  void schedule_retry();
  void install_handlers(int broker_port);
  void handle_connected();
  void handle_connect_failed(const std::string& why);
  // `reason`: the MQTT 5 DISCONNECT reason code, or -1 when the connection just broke.
  void handle_connection_lost(const std::string& cause, int reason = -1);
  // Warns (at most once per kSessionTakenLogInterval) that another client may use our id.
  void note_session_taken(int reason);
  void subscribe(const std::vector<std::string>& filters, bool then_announce);
  void handle_subscribed(bool ok, const std::string& why);
  void log(int level, const std::string& message) const;
  // paho refused a publication (see publish()).
  void handle_refused(const std::string& topic, const std::string& payload, int qos, bool retain,
                      const std::string& why);
  void schedule_resend();
  void resend_held();

  struct Held {
    std::string payload;
    int qos = 0;
  };

  boost::asio::io_context& io_;
  std::string uri_;
  std::string client_id_;
  std::string will_topic_;
  std::vector<std::string> filters_;
  LogFn log_;
  MessageFn on_message_;
  std::function<void()> on_connected_;
  std::function<void()> on_connection_lost_;

  std::shared_ptr<MqttClient*> self_;  // weakly held by posted handlers; reset first on exit
  std::shared_ptr<Shared> shared_;     // what paho's threads touch
  std::unique_ptr<ActionListener> connect_listener_;
  std::unique_ptr<ActionListener> subscribe_listener_;
  struct Options;
  std::unique_ptr<Options> options_;
  std::unique_ptr<::mqtt::async_client> client_;  // destroyed before the listeners

  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer wake_timer_;
  std::chrono::seconds retry_delay_ = kMinRetry;
  std::atomic<bool> connected_{false};
  bool started_ = false;
  bool stopped_ = false;
  std::size_t pending_subacks_ = 0;  // SUBACKs still due before on_connected fires
  bool connecting_ = false;
  std::chrono::steady_clock::time_point connected_at_{};
  int short_sessions_ = 0;  // sessions in a row the broker ended within kShortSession
  bool session_taken_reported_ = false;
  std::chrono::steady_clock::time_point last_session_taken_report_{};

  std::map<std::string, Held> held_;  // refused retained publications, by topic
  boost::asio::steady_timer resend_timer_;
  bool resend_armed_ = false;
  std::uint64_t refused_total_ = 0;
  std::uint64_t refused_unreported_ = 0;
  std::chrono::steady_clock::time_point last_refusal_log_{};
  bool refusal_logged_ = false;
};

}  // namespace deskd::mqtt
