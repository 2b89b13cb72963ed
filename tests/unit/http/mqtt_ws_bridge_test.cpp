// MqttWsBridge on a real HttpServer (127.0.0.1:0) relaying to a stand-in broker: a TCP server
// in the test that records what it receives and answers scripted bytes. The page side is a
// Beast WebSocket client, as a browser would be.
#include "http/mqtt_ws_bridge.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "http/http_server.h"

namespace deskd::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

// The stand-in broker: accepts one connection on its own thread; the test drives it.
class FakeBroker {
 public:
  FakeBroker() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  // Blocks until a connection arrives (or `timeout`); false when none did.
  bool accept(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    pollfd p{acceptor_.native_handle(), POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) != 1) return false;
    acceptor_.accept(socket_);
    return true;
  }
  std::string read_exactly(std::size_t n) {
    std::string s(n, '\0');
    asio::read(socket_, asio::buffer(s));
    return s;
  }
  void write(const std::string& s) { asio::write(socket_, asio::buffer(s)); }
  void close() { socket_.close(); }
  // True when the other end closed the connection (a read ends with an error).
  bool closed_by_peer() {
    char byte = 0;
    boost::system::error_code ec;
    asio::read(socket_, asio::buffer(&byte, 1), ec);
    return static_cast<bool>(ec);
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  tcp::socket socket_{io_};
};

// TCP_NODELAY on this process's connected sockets to `port` (the bridge's end): all of them set.
bool all_nodelay_to(unsigned short port) {
  int seen = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::atoi(e.path().filename().c_str());
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;
    if (peer.sin_family != AF_INET || ntohs(peer.sin_port) != port) continue;
    int v = 0;
    len = sizeof v;
    getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len);
    if (v == 0) return false;
    ++seen;
  }
  return seen > 0;
}

class MqttWsBridgeTest : public ::testing::Test {
 protected:
  void start(std::optional<MqttBridgeTarget> target) {
    HttpServerOptions o;
    o.listen = "127.0.0.1:0";
    o.root = "/nonexistent";
    o.mqtt_bridge = std::move(target);
    server_ = std::make_unique<HttpServer>(io_, o, [] { return std::string("{}"); });
    ASSERT_FALSE(server_->start());
    thread_ = std::thread([this] { io_.run(); });
  }
  void start_to(unsigned short broker_port) {
    MqttBridgeTarget t;
    t.host = "127.0.0.1";
    t.port = broker_port;
    start(t);
  }
  void TearDown() override {
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

  // A page-side WebSocket client connected to the server (not yet upgraded).
  struct Page {
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};
  };
  std::unique_ptr<Page> connect_page() {
    auto p = std::make_unique<Page>();
    p->ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    return p;
  }
  // Upgrades at `path` offering `protocol`; returns the HTTP status of the answer.
  static int upgrade(Page& p, const std::string& path, const std::string& protocol = "mqtt") {
    websocket::response_type res;
    p.ws.set_option(websocket::stream_base::decorator([protocol](websocket::request_type& req) {
      if (!protocol.empty()) req.set(beast::http::field::sec_websocket_protocol, protocol);
    }));
    beast::error_code ec;
    p.ws.handshake(res, "127.0.0.1", path, ec);
    return static_cast<int>(res.result_int());
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

TEST_F(MqttWsBridgeTest, RelaysBytesBothWaysAndAnswersWithTheMqttSubprotocol) {
  FakeBroker broker;
  start_to(broker.port());
  auto page = connect_page();
  websocket::response_type res;
  page->ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
    req.set(beast::http::field::sec_websocket_protocol, "mqttv3.1, mqtt");
  }));
  page->ws.handshake(res, "127.0.0.1", "/mqtt");
  EXPECT_EQ(res.result_int(), 101);
  EXPECT_EQ(res[beast::http::field::sec_websocket_protocol], "mqtt");
  ASSERT_TRUE(broker.accept());
  EXPECT_TRUE(all_nodelay_to(broker.port()));

  // A CONNECT from the page reaches the broker unchanged (credentials are the broker's business).
  const std::string connect("\x10\x0d\x00\x04MQTT\x04\x02\x00\x3c\x00\x01x", 15);
  page->ws.binary(true);
  page->ws.write(asio::buffer(connect));
  EXPECT_EQ(broker.read_exactly(connect.size()), connect);

  // The broker's CONNACK and a retained PUBLISH come back at once, without the page sending more.
  const std::string connack("\x20\x02\x00\x00", 4);
  const std::string publish("\x31\x07\x00\x03t/sx", 9);
  broker.write(connack + publish);
  beast::flat_buffer got;
  std::string seen;
  while (seen.size() < connack.size() + publish.size()) {
    page->ws.read(got);
    EXPECT_TRUE(page->ws.got_binary());
    seen += beast::buffers_to_string(got.data());
    got.clear();
  }
  EXPECT_EQ(seen, connack + publish);
}

TEST_F(MqttWsBridgeTest, BrokerClosingTheSessionClosesThePageWebSocket) {
  FakeBroker broker;
  start_to(broker.port());
  auto page = connect_page();
  ASSERT_EQ(upgrade(*page, "/mqtt"), 101);
  ASSERT_TRUE(broker.accept());
  broker.write(std::string("\x20\x02\x00\x05", 4));  // CONNACK "not authorized", then close
  broker.close();
  beast::flat_buffer got;
  page->ws.read(got);
  EXPECT_EQ(beast::buffers_to_string(got.data()), std::string("\x20\x02\x00\x05", 4));
  got.clear();
  beast::error_code ec;
  page->ws.read(got, ec);
  EXPECT_EQ(ec, websocket::error::closed);
}

TEST_F(MqttWsBridgeTest, UnreachableBrokerIsRefusedWith502) {
  unsigned short dead_port = 0;
  {
    FakeBroker gone;  // a port that was free a moment ago, now closed
    dead_port = gone.port();
  }
  start_to(dead_port);
  auto page = connect_page();
  EXPECT_EQ(upgrade(*page, "/mqtt"), 502);
}

TEST_F(MqttWsBridgeTest, UpgradeWithoutTheMqttSubprotocolIsRefused) {
  FakeBroker broker;
  start_to(broker.port());
  auto page = connect_page();
  EXPECT_EQ(upgrade(*page, "/mqtt", ""), 400);
  EXPECT_FALSE(broker.accept(std::chrono::milliseconds(200)));
}

TEST_F(MqttWsBridgeTest, OtherPathsAndABridgeThatIsOffAreNotUpgraded) {
  FakeBroker broker;
  start_to(broker.port());
  auto page = connect_page();
  EXPECT_NE(upgrade(*page, "/other"), 101);
  EXPECT_FALSE(broker.accept(std::chrono::milliseconds(200)));
}

TEST_F(MqttWsBridgeTest, NoUpgradeWhenTheBridgeIsOff) {
  start(std::nullopt);
  auto page = connect_page();
  EXPECT_NE(upgrade(*page, "/mqtt"), 101);
}

TEST_F(MqttWsBridgeTest, ServerStopClosesOpenBridges) {
  FakeBroker broker;
  start_to(broker.port());
  auto page = connect_page();
  ASSERT_EQ(upgrade(*page, "/mqtt"), 101);
  ASSERT_TRUE(broker.accept());
  TearDown();  // HttpServer::stop() on its loop
  beast::flat_buffer got;
  beast::error_code ec;
  page->ws.read(got, ec);
  EXPECT_TRUE(ec) << "the page's WebSocket stays open after stop()";
  EXPECT_TRUE(broker.closed_by_peer()) << "the broker connection stays open after stop()";
}

}  // namespace
}  // namespace deskd::http
