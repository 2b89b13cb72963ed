#include "http/mqtt_ws_bridge.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <exception>
#include <utility>

#include "http/request_guard.h"

namespace deskd::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

constexpr std::chrono::seconds kBrokerConnectTimeout{5};
constexpr std::chrono::seconds kIdleCheckEvery{60};
constexpr unsigned char kPingRequest = 0xC0;   // MQTT PINGREQ, then remaining length 0
constexpr unsigned char kPingResponse = 0xD0;  // PINGRESP

// True when `bytes` are nothing but MQTT keep-alive packets of `type` (PINGREQ or PINGRESP).
bool only_keep_alive(const unsigned char* bytes, std::size_t n, unsigned char type) {
  if (n == 0 || n % 2 != 0) return false;
  for (std::size_t i = 0; i < n; i += 2) {
    if (bytes[i] != type || bytes[i + 1] != 0x00) return false;
  }
  return true;
}

// True when the page offered the "mqtt" subprotocol (MQTT.js does; the broker requires it).
bool offers_mqtt(const Request& request) {
  const auto offered = request[bhttp::field::sec_websocket_protocol];
  std::string_view rest(offered.data(), offered.size());
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "mqtt") return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

MqttWsBridge::MqttWsBridge(beast::tcp_stream stream, std::shared_ptr<const ServerShared> shared,
                           std::string peer, bool local_peer)
    : ws_(std::move(stream)),
      broker_(ws_.get_executor()),
      resolver_(ws_.get_executor()),
      idle_timer_(ws_.get_executor()),
      shared_(std::move(shared)),
      peer_(std::move(peer)),
      local_peer_(local_peer) {
  shared_->registry->add(this, peer_, ConnectionKind::kBridge);
}

MqttWsBridge::~MqttWsBridge() { shared_->registry->remove(this); }

void MqttWsBridge::start(Request request) {
  request_ = std::move(request);
  if (!offers_mqtt(request_)) {
    refuse(bhttp::status::bad_request, "The WebSocket subprotocol \"mqtt\" is required.");
    return;
  }
  if (local_peer_ && !is_proxied(request_)) {
    connect_broker();
    return;
  }
  auto& page = beast::get_lowest_layer(ws_);
  page.expires_after(kBrokerConnectTimeout);  // the probe has its own, shorter deadline
  shared_->login_probe->ask(
      [self = shared_from_this()](AnonymousLogin answer) { self->on_login_answer(answer); });
}

void MqttWsBridge::on_login_answer(AnonymousLogin answer) {
  if (closed_) return;
  if (answer == AnonymousLogin::kRefused) {
    connect_broker();
    return;
  }
  if (answer == AnonymousLogin::kUnknown) {
    refuse(bhttp::status::bad_gateway,
           "The MQTT broker cannot be asked whether it requires a password, so this bridge "
           "relays no other device to it.");
    return;
  }
  shared_->guard->warn(
      "anonymous-broker",
      "web: refused the dashboard's MQTT bridge to " + peer_ + ": the broker at " +
          shared_->bridge->host + ":" + std::to_string(shared_->bridge->port) +
          " accepts clients without a password, so deskd relays only this machine's own browsers "
          "to it. Fix: give the broker a password file and an ACL (systemd/README.md, \"Securing "
          "the dashboard\"), or set [web] listen = \"127.0.0.1:8080\"");
  refuse(bhttp::status::forbidden,
         "The MQTT broker accepts clients without a password, so deskd does not relay other "
         "devices to it. Its owner can require a password in the broker (see deskd's "
         "systemd/README.md).");
}

void MqttWsBridge::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  resolver_.cancel();
  idle_timer_.cancel();
  broker_.shutdown(tcp::socket::shutdown_both, ignored);
  broker_.close(ignored);
  beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).close();
}

void MqttWsBridge::connect_broker() {
  auto& page = beast::get_lowest_layer(ws_);
  page.expires_after(kBrokerConnectTimeout);  // also bounds the connect below
  auto self = shared_from_this();
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(shared_->bridge->host, ec);
  if (!ec) {
    broker_.async_connect(
        tcp::endpoint(address, shared_->bridge->port),
        [self](const boost::system::error_code& e) { self->on_broker_connected(e); });
    return;
  }
  resolver_.async_resolve(
      shared_->bridge->host, std::to_string(shared_->bridge->port),
      [self](const boost::system::error_code& e, const tcp::resolver::results_type& results) {
        if (e || self->closed_) {
          self->on_broker_connected(e ? e : asio::error::operation_aborted);
          return;
        }
        asio::async_connect(self->broker_, results,
                            [self](const boost::system::error_code& e2, const tcp::endpoint&) {
                              self->on_broker_connected(e2);
                            });
      });
}

void MqttWsBridge::on_broker_connected(const boost::system::error_code& ec) {
  if (closed_) return;
  if (ec) {
    refuse(bhttp::status::bad_gateway, "The MQTT broker cannot be reached: " + ec.message());
    return;
  }
  boost::system::error_code ignored;
  broker_.set_option(tcp::no_delay(true), ignored);
  auto& page = beast::get_lowest_layer(ws_);
  page.socket().set_option(tcp::no_delay(true), ignored);
  page.expires_never();  // from here the WebSocket's own timeouts apply
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(10);
  timeouts.idle_timeout = std::chrono::seconds(120);
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
    res.set(bhttp::field::sec_websocket_protocol, "mqtt");
    res.set(bhttp::field::server, "deskd");
  }));
  ws_.read_message_max(kMaxMessageBytes);
  ws_.binary(true);
  ws_.async_accept(request_, [self = shared_from_this()](const boost::system::error_code& e) {
    self->on_accepted(e);
  });
}

void MqttWsBridge::refuse(bhttp::status status, std::string_view why) {
  auto& page = beast::get_lowest_layer(ws_);
  page.expires_after(std::chrono::seconds(5));
  beast::async_write(page, DashboardResponder::error_page(status, request_.version(), false, why),
                     [self = shared_from_this()](const boost::system::error_code&, std::size_t) {
                       self->close();
                     });
}

void MqttWsBridge::on_accepted(const boost::system::error_code& ec) {
  if (closed_) return;
  if (ec) {
    close();
    return;
  }
  last_activity_ = std::chrono::steady_clock::now();
  watch_idle();
  read_page();
  read_broker();
}

void MqttWsBridge::watch_idle() {
  const auto limit = shared_->limits.bridge_ping_only_limit;
  idle_timer_.expires_after(std::min<std::chrono::steady_clock::duration>(limit, kIdleCheckEvery));
  idle_timer_.async_wait([self = shared_from_this(), limit](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    if (std::chrono::steady_clock::now() - self->last_activity_ < limit) {
      self->watch_idle();
      return;
    }
    self->ws_.async_close(websocket::close_code::going_away,
                          [self](const boost::system::error_code&) { self->close(); });
  });
}

void MqttWsBridge::read_page() {
  ws_.async_read(page_in_, [self = shared_from_this()](const boost::system::error_code& ec,
                                                       std::size_t) { self->on_page_message(ec); });
}

void MqttWsBridge::on_page_message(const boost::system::error_code& ec) {
  if (closed_) return;
  if (ec) {  // closed by the page, timed out, or too large a message
    close();
    return;
  }
  asio::async_write(broker_, page_in_.data(),
                    [self = shared_from_this()](const boost::system::error_code& e, std::size_t) {
                      if (self->closed_) return;
                      if (e) {
                        self->close();
                        return;
                      }
                      const auto data = self->page_in_.data();
                      if (!only_keep_alive(static_cast<const unsigned char*>(data.data()),
                                           data.size(), kPingRequest)) {
                        self->last_activity_ = std::chrono::steady_clock::now();
                      }
                      self->page_in_.clear();
                      self->read_page();
                    });
}

void MqttWsBridge::read_broker() {
  broker_.async_read_some(
      asio::buffer(broker_in_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->on_broker_bytes(ec, n);
      });
}

void MqttWsBridge::on_broker_bytes(const boost::system::error_code& ec, std::size_t n) {
  if (closed_) return;
  if (ec) {
    // The broker closed the session (DISCONNECT, refused CONNECT, shutdown): tell the page.
    ws_.async_close(
        websocket::close_code::normal,
        [self = shared_from_this()](const boost::system::error_code&) { self->close(); });
    return;
  }
  if (!only_keep_alive(reinterpret_cast<const unsigned char*>(broker_in_.data()), n,
                       kPingResponse)) {
    last_activity_ = std::chrono::steady_clock::now();
  }
  ws_.async_write(asio::buffer(broker_in_.data(), n),
                  [self = shared_from_this()](const boost::system::error_code& e, std::size_t) {
                    if (self->closed_) return;
                    if (e) {
                      self->close();
                      return;
                    }
                    self->read_broker();
                  });
}

}  // namespace deskd::http
