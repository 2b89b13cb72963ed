#include "mqtt/mqtt_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <mqtt/async_client.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "support/process.h"

namespace deskd::mqtt {
namespace {

using namespace std::chrono_literals;
namespace paho = ::mqtt;

// A mosquitto started on a free loopback port, stopped by pid.
class Broker {
 public:
  // `user` and `password`: only that account may connect (else anonymous access).
  explicit Broker(const std::string& user = "", const std::string& password = "")
      : dir_(testing::make_temp_dir("deskd-mqtt")), port_(testing::free_port()) {
    std::ofstream conf(dir_ + "/mosquitto.conf");
    conf << "listener " << port_ << " 127.0.0.1\n";
    if (user.empty()) {
      conf << "allow_anonymous true\n";
    } else {
      std::string out;
      const int rc = testing::run_command(
          {"mosquitto_passwd", "-b", "-c", dir_ + "/passwd", user, password}, out);
      EXPECT_EQ(rc, 0) << out;
      conf << "allow_anonymous false\npassword_file " << dir_ + "/passwd\n";
    }
    conf << "user root\n"
         << "persistence false\n"
         << "max_queued_messages 0\n"
         << "max_inflight_messages 0\n"
         << "log_dest stderr\n"
         << "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n";
  }
  void start() {
    process_ = std::make_unique<testing::Process>(
        std::vector<std::string>{"mosquitto", "-c", dir_ + "/mosquitto.conf"},
        dir_ + "/mosquitto." + std::to_string(++starts_) + ".log");
    ASSERT_TRUE(process_->wait_for_log("running", 5s)) << process_->log();
  }
  void kill() {
    process_->signal(SIGKILL);
    process_->wait(5s);
  }
  // SIGSTOP / SIGCONT: the broker stops reading (nothing is acknowledged) and resumes.
  void pause() { process_->signal(SIGSTOP); }
  void resume() { process_->signal(SIGCONT); }
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  std::string dir_;
  int port_;
  int starts_ = 0;
  std::unique_ptr<testing::Process> process_;
};

// A plain paho client that observes and injects messages from the test thread.
class RawClient {
 public:
  explicit RawClient(const std::string& uri, const std::string& id = "raw")
      : client_(uri, id, paho::create_options(MQTTVERSION_5), nullptr) {
    client_.start_consuming();
    paho::connect_options o;
    o.set_mqtt_version(MQTTVERSION_5);
    o.set_clean_session(false);
    o.set_clean_start(true);
    client_.connect(o)->wait_for(5s);
  }
  ~RawClient() {
    try {
      client_.disconnect()->wait_for(2s);
    } catch (const paho::exception&) {
    }
  }
  void subscribe(const std::string& filter) {
    paho::subscribe_options opts;
    opts.set_retain_as_published(true);
    client_.subscribe(filter, 1, opts)->wait_for(5s);
  }
  void publish(const std::string& topic, const std::string& payload, bool retain = false) {
    client_.publish(topic, payload.data(), payload.size(), 1, retain)->wait_for(5s);
  }
  paho::delivery_token_ptr publish_async(paho::message_ptr msg) { return client_.publish(msg); }
  // The next message on `topic`, skipping others; null on timeout.
  paho::const_message_ptr next(const std::string& topic, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      paho::const_message_ptr m;
      if (client_.try_consume_message_for(&m, 50ms) && m && m->get_topic() == topic) return m;
    }
    return nullptr;
  }

 private:
  paho::async_client client_;
};

class MqttClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_.start();
    settings_.uri = broker_.uri();
    settings_.keepalive_s = 5;
  }

  std::unique_ptr<MqttClient> make_client(const std::string& id = "deskd-test") {
    auto c = std::make_unique<MqttClient>(io_, settings_, id, "deskd/test/availability");
    c->set_log([this](int level, std::string msg) { logs_.emplace_back(level, std::move(msg)); });
    c->set_on_connected([this] { ++connects_; });
    c->set_on_connection_lost([this] { ++losses_; });
    c->set_message_handler([this](const InMessage& m) {
      EXPECT_EQ(std::this_thread::get_id(), loop_thread_) << "handler ran off the loop";
      received_.push_back(m);
    });
    return c;
  }

  // Runs the loop on this thread until `done` holds or `timeout` passes.
  template <typename Pred>
  bool run_until(Pred done, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      io_.run_for(10ms);
    }
    return true;
  }

  int count_logs(const std::string& needle) const {
    int n = 0;
    for (const auto& [level, msg] : logs_) n += msg.find(needle) != std::string::npos;
    return n;
  }

  Broker broker_;
  config::MqttSettings settings_;
  boost::asio::io_context io_;
  // Keeps run_for() from finding the loop out of work (which would stop it for good).
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::thread::id loop_thread_ = std::this_thread::get_id();
  int connects_ = 0;
  int losses_ = 0;
  std::vector<InMessage> received_;
  std::vector<std::pair<int, std::string>> logs_;
};

// Connected TCP sockets of this process to `port`: {total, with TCP_NODELAY}.
std::pair<int, int> sockets_to_port(int port) {
  int total = 0, nodelay = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::atoi(e.path().filename().c_str());
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;
    if (peer.ss_family != AF_INET) continue;
    if (ntohs(reinterpret_cast<const sockaddr_in*>(&peer)->sin_port) != port) continue;
    ++total;
    int v = 0;
    len = sizeof v;
    getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len);
    nodelay += v != 0;
  }
  return {total, nodelay};
}

TEST_F(MqttClientTest, BrokerSocketHasTcpNodelaySoAPublishAfterAPubackIsNotHeldBack) {
  auto c = make_client();
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  EXPECT_EQ(sockets_to_port(broker_.port()), std::make_pair(1, 1));
}

TEST_F(MqttClientTest, ConnectsSubscribesThenAnnouncesAndDeliversOnTheLoop) {
  auto c = make_client();
  c->set_subscriptions({"deskd/test/set", "deskd/test/set/+"});
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  EXPECT_TRUE(c->connected());
  RawClient raw(broker_.uri());
  raw.publish("deskd/test/set/action", "stop");
  raw.publish("deskd/test/other", "ignored");
  raw.publish("deskd/test/set", R"({"height_mm":1100})");
  ASSERT_TRUE(run_until([&] { return received_.size() == 2; }));
  EXPECT_EQ(received_[0].topic, "deskd/test/set/action");
  EXPECT_EQ(received_[0].payload, "stop");
  EXPECT_FALSE(received_[0].retained);
  EXPECT_EQ(received_[1].topic, "deskd/test/set");
  EXPECT_EQ(received_[1].payload, R"({"height_mm":1100})");
}

TEST_F(MqttClientTest, PublishedRetainedMessagesReachLaterSubscribersAsRetained) {
  auto c = make_client();
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  EXPECT_TRUE(c->publish("deskd/test/state", R"({"height_mm":720})", 1, true));
  EXPECT_TRUE(c->publish("deskd/test/event", R"({"type":"x"})", 1, false));
  run_until([] { return false; }, 200ms);
  RawClient raw(broker_.uri());
  raw.subscribe("deskd/test/#");
  auto m = raw.next("deskd/test/state");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->get_payload_str(), R"({"height_mm":720})");
  EXPECT_TRUE(m->is_retained());
  EXPECT_FALSE(raw.next("deskd/test/event", 300ms)) << "a non-retained event was kept";
}

TEST_F(MqttClientTest, RetainFlagOfCommandsIsKeptWhetherStoredOrLive) {
  RawClient raw(broker_.uri());
  raw.publish("deskd/test/set", "stored", true);
  auto c = make_client();
  c->set_subscriptions({"deskd/test/set"});
  c->start();
  ASSERT_TRUE(run_until([&] { return received_.size() == 1 && connects_ == 1; }));
  EXPECT_EQ(received_[0].payload, "stored");
  EXPECT_TRUE(received_[0].retained);
  raw.publish("deskd/test/set", "live-retained", true);
  raw.publish("deskd/test/set", "live", false);
  ASSERT_TRUE(run_until([&] { return received_.size() == 3; }));
  EXPECT_EQ(received_[1].payload, "live-retained");
  EXPECT_TRUE(received_[1].retained);
  EXPECT_EQ(received_[2].payload, "live");
  EXPECT_FALSE(received_[2].retained);
  raw.publish("deskd/test/set", "", true);  // clear the retained command
}

TEST_F(MqttClientTest, V5RequestCarriesResponseTopicAndResponseEchoesCorrelationData) {
  auto c = make_client();
  c->set_subscriptions({"deskd/test/request/#"});
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  RawClient raw(broker_.uri());
  raw.subscribe("reply/here");
  auto req = paho::make_message("deskd/test/request/schedule/get", "{}", 1, false);
  paho::properties props;
  props.add(paho::property(paho::property::RESPONSE_TOPIC, "reply/here"));
  props.add(paho::property(paho::property::CORRELATION_DATA, std::string("\x01\x02id", 4)));
  req->set_properties(props);
  raw.publish_async(req)->wait_for(5s);
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  EXPECT_EQ(received_[0].response_topic, "reply/here");
  EXPECT_EQ(received_[0].correlation_data, std::string("\x01\x02id", 4));
  EXPECT_TRUE(c->publish_v5_response(received_[0].response_topic, R"({"status":"ok"})",
                                     received_[0].correlation_data));
  run_until([] { return false; }, 100ms);
  auto resp = raw.next("reply/here");
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->get_payload_str(), R"({"status":"ok"})");
  const auto& rp = resp->get_properties();
  ASSERT_TRUE(rp.contains(paho::property::CORRELATION_DATA));
  EXPECT_EQ(paho::get<std::string>(rp, paho::property::CORRELATION_DATA),
            std::string("\x01\x02id", 4));
}

TEST_F(MqttClientTest, WillOfflineIsPublishedRetainedWhenTheConnectionDropsUncleanly) {
  RawClient raw(broker_.uri());
  raw.subscribe("deskd/test/availability");
  auto c = make_client();
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  c->publish("deskd/test/availability", "online", 1, true);
  run_until([] { return false; }, 100ms);
  auto online = raw.next("deskd/test/availability");
  ASSERT_TRUE(online);
  EXPECT_EQ(online->get_payload_str(), "online");
  {
    // A second connection with deskd's client id makes the broker drop deskd's connection
    // without a DISCONNECT from deskd: the broker publishes deskd's will.
    RawClient usurper(broker_.uri(), "deskd-test");
    auto will = raw.next("deskd/test/availability");
    ASSERT_TRUE(will) << "no will published";
    EXPECT_EQ(will->get_payload_str(), "offline");
    EXPECT_TRUE(will->is_retained());
    EXPECT_EQ(will->get_qos(), 1);
  }
  ASSERT_TRUE(run_until([&] { return losses_ == 1; }));
}

TEST_F(MqttClientTest, DestroyWithoutStopLeavesOfflineRetained) {
  auto c = make_client();
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  c->publish("deskd/test/availability", "online", 1, true);
  c.reset();
  RawClient raw(broker_.uri());
  raw.subscribe("deskd/test/availability");
  auto m = raw.next("deskd/test/availability");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->get_payload_str(), "offline");
  EXPECT_TRUE(m->is_retained());
}

TEST_F(MqttClientTest, StopPublishesOfflineRetainedAndDisconnectsWithinTimeout) {
  auto c = make_client();
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  c->publish("deskd/test/availability", "online", 1, true);
  const auto t0 = std::chrono::steady_clock::now();
  c->stop(2s);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2500ms);
  EXPECT_FALSE(c->connected());
  EXPECT_FALSE(c->publish("deskd/test/state", "{}", 1, true));
  RawClient raw(broker_.uri());
  raw.subscribe("deskd/test/availability");
  auto m = raw.next("deskd/test/availability");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->get_payload_str(), "offline");
  EXPECT_TRUE(m->is_retained());
}

TEST_F(MqttClientTest, StartWithBrokerDownDoesNotBlockAndConnectsWhenItComesUp) {
  broker_.kill();
  auto c = make_client();
  const auto t0 = std::chrono::steady_clock::now();
  c->start();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 100ms) << "start() blocked";
  run_until([] { return false; }, 300ms);
  EXPECT_FALSE(c->connected());
  EXPECT_FALSE(c->publish("deskd/test/state", "{}", 1, true)) << "published while offline";
  EXPECT_GE(count_logs("cannot connect"), 1);
  broker_.start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }, 8s));
  EXPECT_TRUE(c->connected());
}

TEST_F(MqttClientTest, BrokerRestartReconnectsResubscribesAndAnnouncesAgain) {
  auto c = make_client();
  c->set_subscriptions({"deskd/test/get"});
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  broker_.kill();
  ASSERT_TRUE(run_until([&] { return losses_ == 1; }));
  EXPECT_FALSE(c->connected());
  broker_.start();
  ASSERT_TRUE(run_until([&] { return connects_ == 2; }, 8s));
  EXPECT_TRUE(c->connected());
  RawClient raw(broker_.uri());
  raw.publish("deskd/test/get", "");
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }))
      << "subscription not restored after reconnect";
  EXPECT_EQ(received_[0].topic, "deskd/test/get");
}

TEST(MqttClientAuth, ConnectsWithUsernameAndPasswordAndKeepsRetryingWhenRefused) {
  Broker broker("desk", "s3cret");
  broker.start();
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  config::MqttSettings settings;
  settings.uri = broker.uri();
  settings.username = "desk";
  settings.password = "wrong";
  int refused_logs = 0;
  bool connected = false;
  {
    MqttClient bad(io, settings, "deskd-bad", "deskd/test/availability");
    bad.set_log(
        [&](int, std::string msg) { refused_logs += msg.find("cannot connect") != msg.npos; });
    bad.set_on_connected([&] { connected = true; });
    bad.start();
    io.run_for(2500ms);  // attempts at 0 s and after the 1 s back-off
    EXPECT_FALSE(connected);
    EXPECT_FALSE(bad.connected());
    EXPECT_GE(refused_logs, 2) << "a refused connect is retried";
  }
  settings.password = "s3cret";
  MqttClient good(io, settings, "deskd-good", "deskd/test/availability");
  good.set_on_connected([&] { connected = true; });
  good.start();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!connected && std::chrono::steady_clock::now() < deadline) io.run_for(10ms);
  EXPECT_TRUE(connected);
  EXPECT_TRUE(good.connected());
}

TEST_F(MqttClientTest, FloodIsBoundedByDroppingAndCountingWhileTheLoopIsBusy) {
  auto c = make_client();
  c->set_subscriptions({"flood/#"});
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  constexpr int kSent = 3000;
  RawClient raw(broker_.uri());
  paho::delivery_token_ptr last;
  for (int i = 0; i < kSent; ++i) {
    last = raw.publish_async(paho::make_message("flood/x", std::to_string(i), 0, false));
    if (i % 50 == 49) last->wait_for(5s);  // paho buffers at most 100 unsent messages
  }
  last->wait_for(5s);
  // The loop is not running: exactly kMaxPendingMessages wait, the rest are dropped.
  const std::uint64_t expected_drops = kSent - MqttClient::kMaxPendingMessages;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (c->dropped_messages() < expected_drops && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(c->dropped_messages(), expected_drops);
  run_until([&] { return received_.size() >= MqttClient::kMaxPendingMessages; });
  run_until([] { return false; }, 100ms);
  EXPECT_EQ(received_.size(), MqttClient::kMaxPendingMessages);
  EXPECT_EQ(received_.front().payload, "0");
  EXPECT_EQ(count_logs("MQTT flood"), 1) << "drops are logged at most once a second";
  // Once drained, messages flow again.
  raw.publish("flood/x", "after");
  ASSERT_TRUE(run_until([&] { return received_.back().payload == "after"; }));
}

// Issue 19, finding 6: paho refused publications ("No more messages can be buffered"), B/state
// and discovery among them, and said so only at debug level; the refused state stayed lost.
TEST_F(MqttClientTest, when_paho_refuses_a_publication_expect_a_warning_and_the_latest_sent_later) {
  auto c = make_client();
  c->start();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  broker_.pause();  // nothing is acknowledged or read: paho's buffer fills up
  const std::string padding(32 * 1024, '.');
  int sent = 0;
  while (sent < 2000 && c->refused_publications() == 0) {
    c->publish("deskd/test/state", std::to_string(sent++) + padding, 1, true);
  }
  ASSERT_GT(c->refused_publications(), 0u) << "paho took " << sent << " messages";
  for (int i = 0; i < 50; ++i) c->publish("deskd/test/event", "e", 1, false);
  // Paho may find room for a moment (the socket took some bytes, more so on a loaded machine):
  // the state is published again until paho refuses it and deskd holds it (the latest only).
  int tries = 0;
  do {
    c->publish("deskd/test/state", "latest", 1, true);
  } while (c->held_publications() == 0 && ++tries < 2000);
  EXPECT_EQ(c->held_publications(), 1u);
  EXPECT_EQ(count_logs("No more messages can be buffered"), 1);
  EXPECT_EQ(count_logs("refused by the MQTT client"), 1)
      << "one warning, then at most one per " << MqttClient::kRefusalLogInterval.count() << " s";
  for (const auto& [level, msg] : logs_) {
    if (msg.find("refused") != std::string::npos) {
      std::cout << msg << "\n";
      EXPECT_EQ(level, MqttClient::kLogWarning) << msg;
    }
  }
  broker_.resume();
  ASSERT_TRUE(run_until([&] { return c->held_publications() == 0; }, 30s));
  run_until([] { return false; }, 300ms);
  RawClient raw(broker_.uri());
  raw.subscribe("deskd/test/state");
  auto m = raw.next("deskd/test/state");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->get_payload_str(), "latest");
}

}  // namespace
}  // namespace deskd::mqtt
