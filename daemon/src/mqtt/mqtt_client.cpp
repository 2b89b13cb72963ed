#include "mqtt/mqtt_client.h"

#include <mqtt/async_client.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <limits>
#include <stdexcept>

#include "config/broker_endpoint.h"
#include "mqtt/paho_wake.h"
#include "mqtt/tcp_nodelay.h"

namespace deskd::mqtt {
namespace {

namespace paho = ::mqtt;

bool is_tls_uri(const std::string& uri) {
  return uri.starts_with("ssl://") || uri.starts_with("mqtts://") || uri.starts_with("wss://");
}

// A failed connect or subscribe in words. paho reports an MQTT 5 refusal (CONNACK/SUBACK reason
// code >= 0x80) as the return code itself, which its own text calls "Unknown error code 135".
std::string describe(const paho::token& tok, bool connecting) {
  const int rc = tok.get_return_code();
  if (rc >= 0x80 && rc <= 0xFF) {
    std::string why = "refused by the broker: " + paho::exception::reason_code_str(rc) +
                      " (MQTT reason code " + std::to_string(rc) + ")";
    if (connecting && (rc == 0x86 || rc == 0x87)) {  // bad user name or password; not authorized
      why += "; check [mqtt] username and password (or password_file)";
    }
    return why;
  }
  return paho::exception(rc, tok.get_reason_code()).what();
}

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// State shared with paho's threads. Everything here is either immutable or atomic; posted
// handlers reach the client only through `owner`, which is locked on the loop's thread.
struct MqttClient::Shared : std::enable_shared_from_this<MqttClient::Shared> {
  Shared(boost::asio::io_context& io_context, std::weak_ptr<MqttClient*> self)
      : io(io_context), owner(std::move(self)) {}

  boost::asio::io_context& io;
  std::weak_ptr<MqttClient*> owner;
  std::atomic<std::size_t> pending{0};
  std::atomic<std::uint64_t> dropped_total{0};
  std::atomic<std::uint64_t> dropped_unreported{0};
  std::atomic<std::int64_t> last_drop_report_ms{std::numeric_limits<std::int64_t>::min() / 2};

  // Runs fn(client) on the loop if the client still exists then.
  template <typename Fn>
  void post(Fn fn) {
    boost::asio::post(io, [w = owner, fn = std::move(fn)]() mutable {
      if (auto self = w.lock()) fn(**self);
    });
  }

  // On paho's receive thread: hand the message to the loop, or drop it when too many wait.
  void on_message(const paho::const_message_ptr& msg) {
    if (pending.load() >= kMaxPendingMessages) {
      dropped_total.fetch_add(1);
      dropped_unreported.fetch_add(1);
      const std::int64_t now = steady_ms();
      std::int64_t last = last_drop_report_ms.load();
      if (now - last >= 1000 && last_drop_report_ms.compare_exchange_strong(last, now)) {
        post([](MqttClient& c) {
          const std::uint64_t n = c.shared_->dropped_unreported.exchange(0);
          c.log(kLogWarning, "MQTT flood: dropped " + std::to_string(n) +
                                 " incoming message(s); more than " +
                                 std::to_string(kMaxPendingMessages) + " were waiting");
        });
      }
      return;
    }
    pending.fetch_add(1);
    InMessage m;
    m.topic = msg->get_topic();
    m.payload = msg->get_payload_str();
    m.retained = msg->is_retained();
    const paho::properties& props = msg->get_properties();
    if (props.contains(paho::property::RESPONSE_TOPIC)) {
      m.response_topic = paho::get<std::string>(props, paho::property::RESPONSE_TOPIC);
    }
    if (props.contains(paho::property::CORRELATION_DATA)) {
      m.correlation_data = paho::get<std::string>(props, paho::property::CORRELATION_DATA);
    }
    boost::asio::post(io, [w = owner, s = shared_from_this(), m = std::move(m)] {
      s->pending.fetch_sub(1);
      auto self = w.lock();
      if (!self) return;
      MqttClient& c = **self;
      if (!c.stopped_ && c.on_message_) c.on_message_(m);
    });
  }
};

// Completion of a connect or subscribe, reported from paho's threads.
class MqttClient::ActionListener : public paho::iaction_listener {
 public:
  enum class Kind { kConnect, kSubscribe };
  ActionListener(std::shared_ptr<Shared> shared, Kind kind)
      : shared_(std::move(shared)), kind_(kind) {}

  void on_success(const paho::token&) override {
    if (kind_ == Kind::kSubscribe)
      shared_->post([](MqttClient& c) { c.handle_subscribed(true, ""); });
    // A successful connect is reported by the connected handler (also after reconnects).
  }
  void on_failure(const paho::token& tok) override {
    std::string why = describe(tok, kind_ == Kind::kConnect);
    if (kind_ == Kind::kConnect) {
      shared_->post([why](MqttClient& c) { c.handle_connect_failed(why); });
    } else {
      shared_->post([why](MqttClient& c) { c.handle_subscribed(false, why); });
    }
  }

 private:
  std::shared_ptr<Shared> shared_;
  Kind kind_;
};

namespace {

// MQTT 5, clean start, our own reconnects, the will, the login and TLS from [mqtt].
paho::connect_options connect_options(const config::MqttSettings& settings,
                                      const std::string& will_topic) {
  paho::connect_options o;
  o.set_mqtt_version(MQTTVERSION_5);
  o.set_clean_session(false);  // MQTT 3 only; MQTT 5 uses clean start
  o.set_clean_start(true);
  o.set_keep_alive_interval(settings.keepalive_s);
  o.set_connect_timeout(10);
  o.set_automatic_reconnect(false);  // reconnects are ours: they also cover the first connect
  if (!will_topic.empty()) {
    o.set_will(paho::will_options(will_topic, std::string("offline"), 1, true));
  }
  if (!settings.username.empty()) {
    o.set_user_name(settings.username);
    o.set_password(settings.password);
  }
  if (is_tls_uri(settings.uri)) {
    paho::ssl_options ssl;
    if (!settings.ca_file.empty()) ssl.set_trust_store(settings.ca_file);
    if (!settings.cert_file.empty()) ssl.set_key_store(settings.cert_file);
    if (!settings.key_file.empty()) ssl.set_private_key(settings.key_file);
    ssl.set_enable_server_cert_auth(true);
    ssl.set_verify(true);
    o.set_ssl(std::move(ssl));
  }
  return o;
}

}  // namespace

struct MqttClient::Options {
  paho::connect_options connect;
};

MqttClient::MqttClient(boost::asio::io_context& io, const config::MqttSettings& settings,
                       std::string client_id, std::string will_topic)
    : io_(io),
      uri_(settings.uri),
      client_id_(client_id),
      will_topic_(std::move(will_topic)),
      self_(std::make_shared<MqttClient*>(this)),
      shared_(std::make_shared<Shared>(io, self_)),
      connect_listener_(std::make_unique<ActionListener>(shared_, ActionListener::Kind::kConnect)),
      subscribe_listener_(
          std::make_unique<ActionListener>(shared_, ActionListener::Kind::kSubscribe)),
      options_(std::make_unique<Options>()),
      retry_timer_(io),
      wake_timer_(io),
      resend_timer_(io) {
  try {
    client_ = std::make_unique<paho::async_client>(settings.uri, client_id,
                                                   paho::create_options(MQTTVERSION_5), nullptr);
  } catch (const paho::exception& e) {
    throw std::invalid_argument("mqtt uri '" + settings.uri + "': " + e.what());
  }

  options_->connect = connect_options(settings, will_topic_);
  const auto endpoint = config::parse_broker_endpoint(settings.uri);
  install_handlers(endpoint ? endpoint->port : 0);
}

// paho calls these on its own thread: each only posts into the io_context.
void MqttClient::install_handlers(int broker_port) {
  std::shared_ptr<Shared> shared = shared_;
  client_->set_connected_handler([shared, broker_port](const std::string&) {
    // On paho's thread, right after CONNACK and before anything is published on this session:
    // no PUBLISH waits behind a PUBACK for the broker's delayed ACK (see tcp_nodelay.h).
    const int set = broker_port > 0 ? set_tcp_nodelay_to_peer_port(broker_port) : 0;
    shared->post([set](MqttClient& c) {
      if (set == 0) c.log(kLogDebug, "MQTT: could not set TCP_NODELAY on the broker socket");
      c.handle_connected();
    });
  });
  client_->set_connection_lost_handler([shared](const std::string& cause) {
    shared->post([cause](MqttClient& c) { c.handle_connection_lost(cause); });
  });
  client_->set_disconnected_handler([shared](const paho::properties&, paho::ReasonCode reason) {
    const int code = static_cast<int>(reason);
    const std::string why =
        "the broker sent DISCONNECT: " + paho::exception::reason_code_str(code) +
        " (MQTT reason code " + std::to_string(code) + ")";
    shared->post([why, code](MqttClient& c) {
      c.log(kLogDebug, "MQTT: " + why);
      // paho may report the lost connection first; the reason still explains it.
      if (!c.connected_ && code == kSessionTakenOver) return c.note_session_taken(code);
      c.handle_connection_lost(why, code);
    });
  });
  client_->set_message_callback([shared](paho::const_message_ptr msg) { shared->on_message(msg); });
}

MqttClient::~MqttClient() {
  if (!stopped_) stop(std::chrono::milliseconds(500));
  self_.reset();  // handlers still queued on the loop become no-ops
  try {
    client_->disable_callbacks();
  } catch (const paho::exception&) {
    // Refused while a connect is in progress; the posted handlers are no-ops already.
  }
}

void MqttClient::set_subscriptions(std::vector<std::string> filters) {
  filters_ = std::move(filters);
  if (connected_ && !filters_.empty()) subscribe(filters_, false);
}

void MqttClient::start() {
  if (started_ || stopped_) return;
  started_ = true;
  log(kLogInfo, "MQTT: connecting to " + uri_);
  connect();
}

void MqttClient::connect() {
  if (stopped_ || connecting_ || connected_) return;
  connecting_ = true;
  try {
    client_->connect(options_->connect, nullptr, *connect_listener_);
    schedule_wake(kWakeAttempts);
  } catch (const paho::exception& e) {
    handle_connect_failed(e.what());
  }
}

void MqttClient::schedule_wake(int left) {
  if (left <= 0) return;
  wake_timer_.expires_after(kWakeInterval);
  std::weak_ptr<MqttClient*> w = self_;
  wake_timer_.async_wait([w, left](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = w.lock();
    if (!self) return;
    MqttClient& c = **self;
    if (c.stopped_ || c.connected_ || !c.connecting_) return;
    wake_sleeping_threads();
    c.schedule_wake(left - 1);
  });
}

void MqttClient::schedule_retry() {
  if (stopped_) return;
  const auto delay = retry_delay_;
  retry_delay_ = std::min(retry_delay_ * 2, std::chrono::seconds(kMaxRetry));
  log(kLogDebug, "MQTT: retrying in " + std::to_string(delay.count()) + " s");
  retry_timer_.expires_after(delay);
  std::weak_ptr<MqttClient*> w = self_;
  retry_timer_.async_wait([w](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto self = w.lock()) (*self)->connect();
  });
}

void MqttClient::handle_connected() {
  connecting_ = false;
  if (stopped_) return;
  connected_ = true;
  connected_at_ = std::chrono::steady_clock::now();
  retry_delay_ = kMinRetry;
  retry_timer_.cancel();
  wake_timer_.cancel();
  held_.clear();  // the daemon republishes everything retained on connect
  log(kLogInfo, "MQTT: connected to " + uri_);
  if (filters_.empty()) {
    if (on_connected_) on_connected_();
    return;
  }
  subscribe(filters_, true);
}

void MqttClient::handle_connect_failed(const std::string& why) {
  connecting_ = false;
  if (stopped_ || connected_) return;
  log(kLogWarning, "MQTT: cannot connect to " + uri_ + ": " + why);
  schedule_retry();
}

void MqttClient::handle_connection_lost(const std::string& cause, int reason) {
  if (stopped_ || !connected_) return;
  connected_ = false;
  pending_subacks_ = 0;
  log(kLogWarning, "MQTT: connection lost" + (cause.empty() ? "" : ": " + cause));
  // A DISCONNECT with another reason (e.g. 0x8B, server shutting down) explains itself.
  const auto now = std::chrono::steady_clock::now();
  const bool unexplained = reason < 0 || reason == kSessionTakenOver;
  short_sessions_ = unexplained && now - connected_at_ < kShortSession ? short_sessions_ + 1 : 0;
  if (reason == kSessionTakenOver || short_sessions_ >= 2) note_session_taken(reason);
  if (on_connection_lost_) on_connection_lost_();
  schedule_retry();
}

// The broker ends a session when another client connects with the same client id (MQTT 5 says
// so with reason 0x8E; MQTT 3.1.1 just closes the socket, hence the short-session count). Two
// deskd processes with one id take the session from each other at every reconnect.
void MqttClient::note_session_taken(int reason) {
  const auto now = std::chrono::steady_clock::now();
  if (session_taken_reported_ && now - last_session_taken_report_ < kSessionTakenLogInterval) {
    return;
  }
  session_taken_reported_ = true;
  last_session_taken_report_ = now;
  const std::string evidence = reason == kSessionTakenOver
                                   ? "session taken over, MQTT reason code 0x8E"
                                   : std::to_string(short_sessions_) +
                                         " sessions in a row ended within " +
                                         std::to_string(kShortSession.count()) + " s of connecting";
  log(kLogWarning,
      "MQTT: the broker closed deskd's session; another client may be using client "
      "id '" +
          client_id_ + "' (" + evidence +
          "). Give each desk its own [desk] id or [mqtt] client_id, and make sure only "
          "one deskd runs per desk");
}

void MqttClient::subscribe(const std::vector<std::string>& filters, bool then_announce) {
  // One SUBSCRIBE per filter: paho-mqtt-cpp 1.2 crashes subscribing several filters at once
  // with MQTT 5 options.
  paho::subscribe_options opts;
  opts.set_retain_as_published(true);
  if (then_announce) pending_subacks_ = filters.size();
  for (const auto& filter : filters) {
    try {
      client_->subscribe(filter, 1, nullptr, *subscribe_listener_, opts);
    } catch (const paho::exception& e) {
      handle_subscribed(false, filter + ": " + e.what());
    }
  }
}

void MqttClient::handle_subscribed(bool ok, const std::string& why) {
  if (!ok) log(kLogError, "MQTT: subscribe failed: " + why);
  if (stopped_ || !connected_ || pending_subacks_ == 0) return;
  if (--pending_subacks_ == 0 && on_connected_) on_connected_();
}

bool MqttClient::publish(const std::string& topic, const std::string& payload, int qos,
                         bool retain) {
  if (stopped_ || !connected_) {
    log(kLogDebug, "MQTT: offline, not published: " + topic);
    return false;
  }
  try {
    client_->publish(topic, payload.data(), payload.size(), qos, retain);
    held_.erase(topic);  // a newer message on its topic was taken
    return true;
  } catch (const paho::exception& e) {
    handle_refused(topic, payload, qos, retain, e.what());
    return false;
  }
}

void MqttClient::handle_refused(const std::string& topic, const std::string& payload, int qos,
                                bool retain, const std::string& why) {
  ++refused_total_;
  ++refused_unreported_;
  if (retain) held_[topic] = Held{payload, qos};
  const auto now = std::chrono::steady_clock::now();
  if (!refusal_logged_ || now - last_refusal_log_ >= kRefusalLogInterval) {
    log(kLogWarning, "MQTT: " + std::to_string(refused_unreported_) +
                         " publication(s) refused by the MQTT client (" + why + "), the last on " +
                         topic + "; retained ones are published again once it takes them");
    refused_unreported_ = 0;
    refusal_logged_ = true;
    last_refusal_log_ = now;
  }
  schedule_resend();
}

void MqttClient::schedule_resend() {
  if (resend_armed_ || held_.empty() || stopped_) return;
  resend_armed_ = true;
  resend_timer_.expires_after(kResendInterval);
  std::weak_ptr<MqttClient*> w = self_;
  resend_timer_.async_wait([w](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto self = w.lock()) (*self)->resend_held();
  });
}

// Publishes the held retained messages in topic order; stops at the first refusal and tries
// again later. Offline, nothing is sent: the connect republishes everything.
void MqttClient::resend_held() {
  resend_armed_ = false;
  if (stopped_ || !connected_) return;
  while (!held_.empty()) {
    auto it = held_.begin();
    try {
      client_->publish(it->first, it->second.payload.data(), it->second.payload.size(),
                       it->second.qos, true);
    } catch (const paho::exception&) {
      break;
    }
    log(kLogDebug, "MQTT: published again after a refusal: " + it->first);
    held_.erase(it);
  }
  if (held_.empty() && refused_unreported_ > 0) {
    log(kLogWarning, "MQTT: " + std::to_string(refused_unreported_) +
                         " more publication(s) were refused; the retained ones are published now");
    refused_unreported_ = 0;
  }
  schedule_resend();
}

bool MqttClient::publish_v5_response(const std::string& topic, const std::string& payload,
                                     const std::string& correlation_data) {
  if (stopped_ || !connected_) {
    log(kLogDebug, "MQTT: offline, response not published: " + topic);
    return false;
  }
  try {
    auto msg = paho::make_message(topic, payload, 1, false);
    if (!correlation_data.empty()) {
      paho::properties props;
      props.add(paho::property(paho::property::CORRELATION_DATA, correlation_data));
      msg->set_properties(props);
    }
    client_->publish(msg);
    return true;
  } catch (const paho::exception& e) {
    handle_refused(topic, payload, 1, false, e.what());
    return false;
  }
}

void MqttClient::stop(std::chrono::milliseconds timeout) {
  if (stopped_) return;
  stopped_ = true;
  retry_timer_.cancel();
  wake_timer_.cancel();
  resend_timer_.cancel();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto remaining = [deadline] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  try {
    if (client_->is_connected()) {
      if (!will_topic_.empty()) {
        client_->publish(will_topic_, "offline", 7, 1, true)->wait_for(remaining());
      }
      paho::disconnect_options d;
      d.set_timeout(remaining());
      client_->disconnect(d)->wait_for(remaining());
      log(kLogInfo, "MQTT: disconnected");
    } else if (connecting_) {
      client_->disconnect(0)->wait_for(remaining());
    }
  } catch (const paho::exception& e) {
    log(kLogWarning, std::string("MQTT: unclean disconnect: ") + e.what());
  }
  connected_ = false;
  connecting_ = false;
}

std::uint64_t MqttClient::dropped_messages() const { return shared_->dropped_total.load(); }

void MqttClient::log(int level, const std::string& message) const {
  if (log_) log_(level, message);
}

}  // namespace deskd::mqtt
