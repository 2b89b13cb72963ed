#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "http/broker_login_probe.h"
#include "http/dashboard_responder.h"
#include "http/http_session.h"

namespace deskd::http {

// Where the dashboard's MQTT-over-WebSocket connections are relayed to: the broker's plain TCP
// listener (the one deskd itself uses), and the path the page connects to on deskd's own port.
struct MqttBridgeTarget {
  std::string host;  // an IP address or a name (resolved per connection)
  unsigned short port = 0;
  std::string path = "/mqtt";
};

// One page's MQTT session, relayed byte for byte between a WebSocket on deskd's HTTP port
// ("mqtt" subprotocol, binary frames) and a TCP connection to the broker. The bridge reads no
// MQTT: the page's CONNECT (client id, credentials) reaches the broker unchanged, so the
// broker's authentication and ACL apply to the page exactly as on its own WebSocket listener.
//
// Why it exists: mosquitto 2.0.11 services its WebSocket listener (libwebsockets) only between
// 100 ms waits of its main loop, which costs a browser 100-300 ms per connect (two loop turns:
// accept, then the HTTP upgrade); its TCP listener answers at once.
//
// Who may use it: the page's own origin (checked by HttpSession). A client from another host
// (anything but 127.0.0.1/::1, or a request through a proxy: Forwarded, X-Forwarded-For) is
// relayed only to a broker that refuses anonymous logins (BrokerLoginProbe): deskd never widens
// a broker that trusts its local clients (Debian's mosquitto 2.0 default) to the network; such a
// client gets 403, and the refusal is logged.
//
// Order: the broker connection is made first (a broker that is down gets HTTP 502, so the
// page's MQTT client retries as for any refused connection), then the upgrade is accepted.
// Both sockets have TCP_NODELAY. One read and one write are in flight per direction; a message
// is forwarded before the next is read (the slower side paces the faster). Beast pings an idle
// page after 60 s and closes a page that stays silent for 60 s more; a session in which nothing
// but MQTT PINGREQ/PINGRESP has passed for `bridge_ping_only_limit` (15 min) is closed, so that
// held sessions cost a client its slots (a live page's MQTT.js reconnects at once). Everything runs
// on the loop; the bridge is registered in `registry` (counted, and closed by HttpServer::stop()).
class MqttWsBridge : public Closable, public std::enable_shared_from_this<MqttWsBridge> {
 public:
  static constexpr std::size_t kMaxMessageBytes = 256 * 1024;  // one WebSocket message

  // `peer` keys the bridge budget; `local_peer`: the client is this machine (is_local_peer()).
  MqttWsBridge(boost::beast::tcp_stream stream, std::shared_ptr<const ServerShared> shared,
               std::string peer, bool local_peer);
  ~MqttWsBridge() override;
  MqttWsBridge(const MqttWsBridge&) = delete;
  MqttWsBridge& operator=(const MqttWsBridge&) = delete;

  // `request` is the page's upgrade request (already checked: GET, Upgrade: websocket, path).
  void start(Request request);
  void close() override;

 private:
  void on_login_answer(AnonymousLogin answer);
  void connect_broker();
  void on_broker_connected(const boost::system::error_code& ec);
  void refuse(boost::beast::http::status status, std::string_view why);
  void on_accepted(const boost::system::error_code& ec);
  // Closes the session once nothing but PINGREQ/PINGRESP has passed for the ping-only limit.
  void watch_idle();
  void read_page();
  void on_page_message(const boost::system::error_code& ec);
  void read_broker();
  void on_broker_bytes(const boost::system::error_code& ec, std::size_t n);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::asio::ip::tcp::socket broker_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer idle_timer_;
  std::chrono::steady_clock::time_point last_activity_{};
  std::shared_ptr<const ServerShared> shared_;
  std::string peer_;
  bool local_peer_;
  Request request_;
  boost::beast::flat_buffer page_in_;
  std::array<char, 16 * 1024> broker_in_{};
  bool closed_ = false;
};

}  // namespace deskd::http
