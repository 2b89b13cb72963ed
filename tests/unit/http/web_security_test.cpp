// Who the web server answers (issue 19): Host and Origin checks, the security headers, the
// per-address connection budget, the header deadline, and the /mqtt bridge's refusal to widen a
// broker that accepts anonymous clients. A real HttpServer on 127.0.0.1:0; another host is played
// by a client bound to 127.0.0.2 (deskd counts only 127.0.0.1 and ::1 as this machine).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/host_check.h"
#include "http/http_server.h"
#include "http/peer_budget.h"
#include "http/request_guard.h"
#include "http_test_client.h"

namespace deskd::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using testing::HttpTestClient;

const auto kLocal = asio::ip::make_address("127.0.0.1");
const auto kLan = asio::ip::make_address("192.168.1.20");

HostHeader host(const std::string& value) {
  auto parsed = parse_host_header(value);
  EXPECT_TRUE(parsed) << value;
  return parsed.value_or(HostHeader{});
}

// ---- pure checks ----

TEST(HostCheck, MalformedHostHeadersAreRefused) {
  for (const char* bad :
       {"", ":80", "a b", "evil.com:", "evil.com:99999", "[::1", "[nope]:80", "x/y", "a@b",
        "desk:80:80", ".localhost", "a..localhost", ".", "[::f%eth0]", "[::f%ft /x]", "..:80"}) {
    EXPECT_FALSE(parse_host_header(bad)) << bad;
  }
  EXPECT_EQ(host("Desk.Local.:8080").name, "desk.local");
  EXPECT_EQ(host("[::1]:8080").name, "[::1]");
  EXPECT_EQ(*host("[::1]:8080").port, 8080);
}

TEST(HostCheck, OwnNamesAndTheArrivalAddressAreAllowedOthersNot) {
  const HostAllowList none;
  EXPECT_TRUE(host_allowed(host("localhost:8080"), "deskpi", kLocal, none));
  EXPECT_TRUE(host_allowed(host("deskpi"), "deskpi", kLan, none));
  EXPECT_TRUE(host_allowed(host("deskpi.local:8080"), "deskpi", kLan, none));
  EXPECT_TRUE(host_allowed(host("192.168.1.20:8080"), "deskpi", kLan, none));
  EXPECT_TRUE(host_allowed(host("127.0.0.1:8080"), "deskpi", kLocal, none));
  // DNS rebinding: an attacker's name resolving to the Pi, or another address's literal.
  EXPECT_FALSE(host_allowed(host("attacker.example:8080"), "deskpi", kLan, none));
  EXPECT_FALSE(host_allowed(host("deskpi.attacker.example"), "deskpi", kLan, none));
  EXPECT_FALSE(host_allowed(host("192.168.1.21:8080"), "deskpi", kLan, none));
  EXPECT_FALSE(host_allowed(host("127.0.0.2:8080"), "deskpi", kLocal, none));
  EXPECT_FALSE(host_allowed(host("deskpi"), "", kLan, none));  // name unknown: not matched
  const HostAllowList proxy{{"desk.example.com"}, {}};
  EXPECT_TRUE(host_allowed(host("desk.example.com"), "deskpi", kLan, proxy));
}

TEST(HostCheck, OnlyThePagesOwnOriginOrAConfiguredOneMayUseTheBridge) {
  const HostAllowList none;
  const HostHeader h = host("deskpi.local:8080");
  EXPECT_EQ(check_origin(std::nullopt, h, none), OriginVerdict::kNoOrigin);
  EXPECT_EQ(check_origin("http://deskpi.local:8080", h, none), OriginVerdict::kSameOrigin);
  EXPECT_EQ(check_origin("HTTP://DeskPi.local:8080", h, none), OriginVerdict::kSameOrigin);
  EXPECT_EQ(check_origin("http://attacker.example", h, none), OriginVerdict::kForeign);
  EXPECT_EQ(check_origin("http://deskpi.local:3000", h, none), OriginVerdict::kForeign);
  EXPECT_EQ(check_origin("http://deskpi.local", h, none), OriginVerdict::kForeign);
  EXPECT_EQ(check_origin("null", h, none), OriginVerdict::kForeign);
  EXPECT_EQ(check_origin("", h, none), OriginVerdict::kForeign);
  EXPECT_EQ(check_origin("https://deskpi.local", host("deskpi.local"), none),
            OriginVerdict::kSameOrigin);
  const HostAllowList proxy{{}, {"https://desk.example.com"}};
  EXPECT_EQ(check_origin("https://desk.example.com", h, proxy), OriginVerdict::kConfigured);
}

TEST(PeerBudget, OneAddressCannotTakeEverySlot) {
  PeerBudget budget(ConnectionBudget{4, 2, 2, 1});
  budget.add("10.0.0.9", ConnectionKind::kPage);
  budget.add("10.0.0.9", ConnectionKind::kPage);
  EXPECT_TRUE(budget.refusal("10.0.0.9", ConnectionKind::kPage));
  EXPECT_FALSE(budget.refusal("10.0.0.8", ConnectionKind::kPage));
  EXPECT_FALSE(budget.refusal("10.0.0.9", ConnectionKind::kBridge));  // a separate budget
  budget.remove("10.0.0.9", ConnectionKind::kPage);
  EXPECT_FALSE(budget.refusal("10.0.0.9", ConnectionKind::kPage));
}

TEST(PeerBudget, AnIpv6DeviceIsOnePeerAcrossItsPrefix) {
  EXPECT_EQ(peer_key(asio::ip::make_address("2001:db8:1:2::5")),
            peer_key(asio::ip::make_address("2001:db8:1:2:aaaa::7")));
  EXPECT_EQ(peer_key(asio::ip::make_address("::ffff:192.168.1.5")), "192.168.1.5");
  EXPECT_TRUE(is_local_peer(asio::ip::make_address("::ffff:127.0.0.1")));
  EXPECT_FALSE(is_local_peer(asio::ip::make_address("127.0.0.2")));
}

// ---- a stand-in broker: answers every CONNECT, anonymous ones as `anonymous_rc` says ----

class ScriptedBroker {
 public:
  explicit ScriptedBroker(unsigned char anonymous_rc)
      : anonymous_rc_(anonymous_rc),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ScriptedBroker() {
    io_.stop();
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int anonymous_connects() const { return anonymous_connects_; }

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      auto socket = std::make_shared<tcp::socket>(std::move(s));
      auto head = std::make_shared<std::array<unsigned char, 2>>();
      asio::async_read(*socket, asio::buffer(*head), [this, socket, head](auto e, std::size_t) {
        if (!e) read_connect(socket, (*head)[1]);
      });
      accept();
    });
  }
  void read_connect(std::shared_ptr<tcp::socket> socket, std::size_t length) {
    auto body = std::make_shared<std::vector<unsigned char>>(length);
    asio::async_read(*socket, asio::buffer(*body), [this, socket, body](auto e, std::size_t) {
      if (e || body->size() < 8) return;
      const bool anonymous = ((*body)[7] & 0x80) == 0;  // the user name flag
      if (anonymous) ++anonymous_connects_;
      auto reply = std::make_shared<std::array<unsigned char, 4>>(std::array<unsigned char, 4>{
          0x20, 0x02, 0x00, anonymous ? anonymous_rc_ : static_cast<unsigned char>(0)});
      asio::async_write(*socket, asio::buffer(*reply),
                        [this, socket, reply](auto, std::size_t) { drain(socket); });
    });
  }

  // Reads and drops whatever the client sends until it goes away; the session stays open.
  void drain(std::shared_ptr<tcp::socket> socket) {
    auto sink = std::make_shared<std::array<char, 256>>();
    socket->async_read_some(asio::buffer(*sink), [this, socket, sink](auto ec, std::size_t) {
      if (!ec) drain(socket);
    });
  }

  unsigned char anonymous_rc_;
  std::atomic<int> anonymous_connects_{0};
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

// ---- the server ----

class WebSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        (std::filesystem::temp_directory_path() / ("deskd-websec-" + std::to_string(::getpid())))
            .string();
    std::filesystem::create_directories(root_ + "/assets");
    std::ofstream(root_ + "/index.html") << "<!doctype html><title>deskd</title>";
    std::ofstream(root_ + "/assets/app-1a2b.js") << "console.log(1)";
  }
  void TearDown() override {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  HttpServerOptions options(std::optional<unsigned short> broker = std::nullopt) {
    HttpServerOptions o;
    o.listen = "127.0.0.1:0";
    o.root = root_;
    if (broker) o.mqtt_bridge = MqttBridgeTarget{"127.0.0.1", *broker, "/mqtt"};
    o.warn = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex_);
      warnings_.push_back(line);
    };
    return o;
  }
  void start(HttpServerOptions o) {
    server_ = std::make_unique<HttpServer>(io_, std::move(o), [] { return std::string("{}"); });
    ASSERT_FALSE(server_->start());
    thread_ = std::thread([this] { io_.run(); });
  }
  void stop() {
    if (!thread_.joinable()) return;
    std::promise<void> stopped;
    asio::post(io_, [&] {
      server_->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    work_.reset();
    thread_.join();
  }
  std::optional<testing::HttpReply> request(const std::string& target, const std::string& headers,
                                            const char* source = nullptr) {
    HttpTestClient client(port(), source);
    if (!client.send("GET " + target + " HTTP/1.1\r\n" + headers + "\r\n")) return std::nullopt;
    return client.read_reply();
  }
  // The status of a /mqtt upgrade with `headers` (Host included) from `source`.
  int upgrade(const std::string& headers, const char* source = nullptr) {
    HttpTestClient client(port(), source);
    const std::string req =
        "GET /mqtt HTTP/1.1\r\n" + headers +
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
    if (!client.send(req)) return 0;
    const auto reply = client.read_reply(true);
    return reply ? reply->status : 0;
  }
  std::string host_header() const { return "Host: 127.0.0.1:" + std::to_string(port()) + "\r\n"; }
  std::string own_origin() const {
    return "Origin: http://127.0.0.1:" + std::to_string(port()) + "\r\n";
  }
  unsigned short port() const { return server_->port(); }
  std::vector<std::string> warnings() {
    std::lock_guard<std::mutex> lock(mutex_);
    return warnings_;
  }

  std::string root_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> warnings_;
};

TEST_F(WebSecurityTest, AForeignHostGetsNoSettingsAndNoBridgeOnlyThePublicFiles) {
  ScriptedBroker broker(0x05);
  start(options(broker.port()));
  for (const char* path : {"/config.json", "/config.json?x=1", "/%2e%2e/etc/passwd"}) {
    const auto reply = request(path, "Host: attacker.example:8080\r\n");
    ASSERT_TRUE(reply) << path;
    EXPECT_NE(reply->status, 200) << path;
    EXPECT_EQ(reply->body.find("attacker"), std::string::npos) << "the name is not echoed";
  }
  EXPECT_EQ(request("/config.json", "Host: attacker.example:8080\r\n")->status, 403);
  EXPECT_EQ(upgrade("Host: attacker.example\r\n"), 403) << "no bridge without an Origin either";
  // The dashboard's files are the package's public bytes: served to any name, with the headers.
  const auto page = request("/", "Host: x\r\n");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->header("x-frame-options"), "DENY");
  const auto missing = request("/config.json", "");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(request("/config.json", host_header())->status, 200);
  EXPECT_EQ(request("/config.json", "Host: localhost\r\n")->status, 200);
  ASSERT_FALSE(warnings().empty());
  EXPECT_NE(warnings().front().find("attacker.example"), std::string::npos);
  EXPECT_EQ(warnings().size(), 1u) << "refusals are logged at most once per 10 s";
}

TEST_F(WebSecurityTest, AConfiguredHostNameIsServed) {
  auto o = options();
  o.allow.hosts = {"desk.example.com"};
  start(o);
  EXPECT_EQ(request("/config.json", "Host: desk.example.com\r\n")->status, 200);
  EXPECT_EQ(request("/config.json", "Host: other.example.com\r\n")->status, 403);
}

TEST_F(WebSecurityTest, SecurityHeadersAreOnEveryAnswer) {
  start(options());
  for (const char* path : {"/", "/config.json", "/assets/app-1a2b.js", "/nope"}) {
    for (const std::string& h : {host_header(), std::string("Host: evil.example\r\n")}) {
      const auto reply = request(path, h);
      ASSERT_TRUE(reply) << path;
      EXPECT_EQ(reply->header("x-frame-options"), "DENY") << path << " " << reply->status;
      EXPECT_EQ(reply->header("referrer-policy"), "no-referrer") << path;
      EXPECT_EQ(reply->header("x-content-type-options"), "nosniff") << path;
      const std::string csp = reply->header("content-security-policy");
      EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    }
  }
  const std::string page_csp = request("/", host_header())->header("content-security-policy");
  EXPECT_NE(page_csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(page_csp.find("connect-src 'self';"), std::string::npos) << page_csp;
  EXPECT_EQ(page_csp.find("unsafe-eval"), std::string::npos);
}

TEST_F(WebSecurityTest, ABridgeUpgradeFromAnotherOriginIsRefused) {
  ScriptedBroker broker(0x00);
  start(options(broker.port()));
  EXPECT_EQ(upgrade(host_header() + "Origin: http://attacker.example\r\n"), 403);
  EXPECT_EQ(upgrade(host_header() + "Origin: http://127.0.0.2:" + std::to_string(port()) + "\r\n"),
            403);
  EXPECT_EQ(upgrade(host_header() + "Origin: null\r\n"), 403);
  EXPECT_EQ(upgrade("Host: attacker.example\r\nOrigin: http://attacker.example\r\n"), 403);
  EXPECT_EQ(upgrade(host_header() + own_origin()), 101);
  EXPECT_EQ(upgrade(host_header()), 101) << "not a browser: no Origin to check";
}

TEST_F(WebSecurityTest, AConfiguredProxyOriginMayUseTheBridge) {
  ScriptedBroker broker(0x05);
  auto o = options(broker.port());
  o.allow.hosts = {"desk.example.com"};
  o.allow.origins = {"https://desk.example.com"};
  start(o);
  EXPECT_EQ(upgrade("Host: desk.example.com\r\nOrigin: https://desk.example.com\r\n"
                    "X-Forwarded-For: 192.168.1.40\r\n"),
            101);
}

TEST_F(WebSecurityTest, AnotherHostIsNotBridgedToABrokerThatAcceptsAnonymousClients) {
  ScriptedBroker broker(0x00);  // Debian's mosquitto 2.0 default: anonymous, local only
  start(options(broker.port()));
  const std::string lan_host = "Host: 127.0.0.1:" + std::to_string(port()) + "\r\n";
  EXPECT_EQ(upgrade(lan_host + own_origin(), "127.0.0.2"), 403);
  EXPECT_EQ(upgrade(lan_host + own_origin() + "X-Forwarded-For: 192.168.1.40\r\n"), 403)
      << "a local proxy's clients are other hosts";
  EXPECT_EQ(upgrade(lan_host + own_origin()), 101) << "this machine's own browser";
  EXPECT_GE(broker.anonymous_connects(), 1);
  bool warned = false;
  for (const auto& w : warnings()) warned |= w.find("without a password") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(WebSecurityTest, ConfigJsonTellsAnotherHostWhyTheBridgeRefusesIt) {
  ScriptedBroker broker(0x00);
  start(options(broker.port()));
  const std::string lan_host = host_header();
  EXPECT_EQ(upgrade(lan_host + own_origin(), "127.0.0.2"), 403);  // the probe has answered
  const auto lan = request("/config.json", lan_host, "127.0.0.2");
  ASSERT_TRUE(lan);
  EXPECT_NE(
      lan->body.find("\"bridge_notice\":\"the MQTT broker accepts clients without a password"),
      std::string::npos)
      << lan->body;
  const auto own = request("/config.json", lan_host);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->body.find("bridge_notice"), std::string::npos) << own->body;
}

TEST_F(WebSecurityTest, AnotherHostIsBridgedToABrokerThatRequiresAPassword) {
  ScriptedBroker broker(0x05);  // CONNACK "not authorised" without credentials
  start(options(broker.port()));
  EXPECT_EQ(upgrade(host_header() + own_origin(), "127.0.0.2"), 101);
}

TEST_F(WebSecurityTest, SlowlorisFromOneAddressDoesNotLockAnotherOut) {
  auto o = options();
  o.budget = ConnectionBudget{8, 4, 4, 2};
  start(o);
  std::vector<std::unique_ptr<HttpTestClient>> held;
  for (int i = 0; i < 20; ++i) {  // each sends half a header and waits
    held.push_back(std::make_unique<HttpTestClient>(port(), "127.0.0.2"));
    held.back()->send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: ");
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto reply = request("/", host_header());
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_LT(took, std::chrono::seconds(1));
  int open = 0;
  for (auto& c : held) open += c->closed_by_server(std::chrono::milliseconds(50)) ? 0 : 1;
  EXPECT_EQ(open, 4) << "only the per-address budget of the 20 is held";
}

TEST_F(WebSecurityTest, HeldBridgeSessionsFromOneAddressDoNotLockAnotherOut) {
  ScriptedBroker broker(0x05);
  auto o = options(broker.port());
  o.budget = ConnectionBudget{16, 8, 4, 2};
  start(o);
  std::vector<std::unique_ptr<HttpTestClient>> held;
  int upgraded = 0;
  for (int i = 0; i < 6; ++i) {
    held.push_back(std::make_unique<HttpTestClient>(port(), "127.0.0.2"));
    held.back()->send("GET /mqtt HTTP/1.1\r\n" + host_header() + own_origin() +
                      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Protocol: mqtt\r\n\r\n");
    const auto reply = held.back()->read_reply(true);
    if (reply && reply->status == 101) ++upgraded;
  }
  EXPECT_EQ(upgraded, 2);
  EXPECT_EQ(upgrade(host_header() + own_origin()), 101);
  EXPECT_EQ(request("/", host_header())->status, 200);
}

// A page-side WebSocket client upgraded on deskd's /mqtt with the page's own Origin.
std::unique_ptr<websocket::stream<tcp::socket>> open_bridge(asio::io_context& io,
                                                            unsigned short port) {
  auto ws = std::make_unique<websocket::stream<tcp::socket>>(io);
  ws->next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  ws->set_option(websocket::stream_base::decorator([port](websocket::request_type& req) {
    req.set(beast::http::field::sec_websocket_protocol, "mqtt");
    req.set(beast::http::field::origin, "http://127.0.0.1:" + std::to_string(port));
  }));
  ws->handshake("127.0.0.1:" + std::to_string(port), "/mqtt");
  ws->binary(true);
  return ws;
}

TEST_F(WebSecurityTest, ABridgeSessionThatOnlyPingsIsClosedAtTheLimitAndABusyOneIsNot) {
  ScriptedBroker broker(0x00);
  auto o = options(broker.port());
  o.bridge_ping_only_limit = std::chrono::seconds(1);
  start(o);
  asio::io_context io;
  auto idle = open_bridge(io, port());
  auto busy = open_bridge(io, port());
  const std::string ping("\xC0\x00", 2);
  const std::string connect("\x10\x0d\x00\x04MQTT\x04\x02\x00\x3c\x00\x01x", 15);
  const std::string publish("\x30\x05\x00\x01tab", 7);
  busy->write(asio::buffer(connect));
  idle->write(asio::buffer(connect));  // a logged-in session that then only pings
  for (int i = 0; i < 25; ++i) {       // 2.5 s: past the limit for the pinging one
    idle->write(asio::buffer(ping));
    busy->write(asio::buffer(publish));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Pending data, then the close; bounded: a session that stays open fails here, not hangs.
  auto closed = std::async(std::launch::async, [&idle] {
    beast::flat_buffer got;
    beast::error_code ec;
    for (int i = 0; i < 5 && !ec; ++i) idle->read(got, ec);
    return ec;
  });
  // Closed within the pings already (at 1-2 s); 0.5 s of silence after them is below the limit.
  const bool answered =
      closed.wait_for(std::chrono::milliseconds(500)) == std::future_status::ready;
  if (!answered) idle->next_layer().close();  // unblocks the read
  EXPECT_TRUE(answered) << "the session that only pings is still open";
  if (answered) {
    EXPECT_EQ(closed.get(), websocket::error::closed);
  }
  beast::error_code ec;
  EXPECT_TRUE(busy->is_open());
  busy->write(asio::buffer(publish), ec);
  EXPECT_FALSE(ec) << ec.message();
}

TEST_F(WebSecurityTest, AHeaderTrickledInIsCutOffAtTheHeaderDeadline) {
  auto o = options();
  o.header_timeout = std::chrono::seconds(1);
  start(o);
  HttpTestClient client(port());
  const auto t0 = std::chrono::steady_clock::now();
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {  // one byte every 100 ms: each read is "active"
    client.send("X");
    closed = client.closed_by_server(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(2500));
}

}  // namespace
}  // namespace deskd::http
