#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/dashboard_responder.h"
#include "http/peer_budget.h"

namespace deskd::http {

struct SessionLimits {
  std::size_t max_header_bytes = 8192;
  std::chrono::seconds idle_timeout{30};  // per response write
  // From the start of a read to the end of the request's header, also between keep-alive
  // requests: a client that trickles its header in (slowloris) is closed after it.
  std::chrono::seconds header_timeout{10};
  // A bridged MQTT session with nothing but keep-alive pings for this long is closed.
  std::chrono::seconds bridge_ping_only_limit{15 * 60};
};

// An open connection of the server (an HTTP session or an MQTT WebSocket bridge).
class Closable {
 public:
  virtual ~Closable() = default;
  // Closes the sockets; pending handlers finish with an error and release the connection.
  virtual void close() = 0;
};

// The open connections of one server, counted by kind and peer against its budget, so that they
// can be limited and closed together.
class SessionRegistry {
 public:
  explicit SessionRegistry(ConnectionBudget budget = {}) : budget_(budget) {}
  std::size_t size() const { return sessions_.size(); }
  // Why one more connection of `kind` from `peer` does not fit, or nullopt.
  std::optional<std::string> refusal(const std::string& peer, ConnectionKind kind) const {
    return budget_.refusal(peer, kind);
  }
  void add(Closable* session, const std::string& peer, ConnectionKind kind);
  void remove(Closable* session);
  void close_all();

 private:
  struct Entry {
    std::string peer;
    ConnectionKind kind;
  };
  std::unordered_map<Closable*, Entry> sessions_;
  PeerBudget budget_;
};

struct MqttBridgeTarget;
class RequestGuard;
class BrokerLoginProbe;

// What every connection of one server shares.
struct ServerShared {
  std::shared_ptr<const DashboardResponder> responder;
  std::shared_ptr<SessionRegistry> registry;
  std::shared_ptr<RequestGuard> guard;
  SessionLimits limits;
  std::shared_ptr<const MqttBridgeTarget> bridge;  // null: no /mqtt bridge
  std::shared_ptr<BrokerLoginProbe> login_probe;   // with a bridge
};

// One HTTP/1.x connection: reads a request header (bounded by `max_header_bytes`, else 431,
// and by `header_timeout`), checks its Host (RequestGuard: 400/403), answers with the responder,
// and keeps the connection for the next request while both sides want keep-alive. Each write
// must finish within `idle_timeout`, else the connection is closed. A request the server does not
// read fully (a body, an unparsable header) is answered with "Connection: close". The session keeps
// itself alive through its pending handlers and is registered in `registry` for its whole life.
// With a `bridge` target, a WebSocket upgrade request for the bridge's path from an allowed Origin,
// within the peer's bridge budget, is handed to an MqttWsBridge, which takes the connection over.
class HttpSession : public Closable, public std::enable_shared_from_this<HttpSession> {
 public:
  // `peer` is the client's address (peer_key() keys the budget by it).
  HttpSession(boost::asio::ip::tcp::socket socket, const boost::asio::ip::address& peer,
              std::shared_ptr<const ServerShared> shared);
  ~HttpSession() override;
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void start();
  // Closes the socket; pending handlers finish with an error and release the session.
  void close() override;

 private:
  void read_request();
  // True (and the connection handed over) when `request` is an upgrade for the bridge.
  bool hand_over_to_bridge();
  // The answer to a bridge upgrade that may not have the bridge (foreign Origin, over budget).
  std::optional<Response> bridge_refusal();
  // For /config.json: why the bridge would not relay this client (a broker that accepts
  // anonymous clients, and a client that is not this machine), else empty.
  std::string bridge_notice(const Request& request) const;
  // True for what only the machine's own names may have (RequestGuard::check_host): /config.json
  // (the broker, the desk's id and name) and every upgrade (the /mqtt bridge). The dashboard's
  // static files are the package's public bytes and go to any Host, under the same headers; a
  // page loaded by a foreign name gets no settings and no bridge, so it can do nothing.
  bool needs_own_name(const Request& request) const;
  void on_header(boost::beast::error_code ec);
  void write(Response response);
  void on_write(boost::beast::error_code ec, bool keep_alive);
  // Half-closes, then discards what the client still sends for a moment so that the response
  // is not lost to a TCP reset, then closes.
  void linger_and_close();
  void drain();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> parser_;
  std::shared_ptr<const ServerShared> shared_;
  boost::asio::ip::address peer_;
  std::string peer_key_;
  boost::asio::ip::address local_address_;
  bool closed_ = false;
};

}  // namespace deskd::http
