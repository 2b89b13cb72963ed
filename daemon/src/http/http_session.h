#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <unordered_set>

#include "http/dashboard_responder.h"

namespace deskd::http {

struct SessionLimits {
  std::size_t max_header_bytes = 8192;
  std::chrono::seconds idle_timeout{30};
};

// An open connection of the server (an HTTP session or an MQTT WebSocket bridge).
class Closable {
 public:
  virtual ~Closable() = default;
  // Closes the sockets; pending handlers finish with an error and release the connection.
  virtual void close() = 0;
};

// The open connections of one server, so that they can be counted and closed together.
class SessionRegistry {
 public:
  std::size_t size() const { return sessions_.size(); }
  void add(Closable* session) { sessions_.insert(session); }
  void remove(Closable* session) { sessions_.erase(session); }
  void close_all();

 private:
  std::unordered_set<Closable*> sessions_;
};

struct MqttBridgeTarget;

// One HTTP/1.x connection: reads a request header (bounded by `max_header_bytes`, else 431),
// answers with the responder, and keeps the connection for the next request while both sides
// want keep-alive. Each read or write must finish within `idle_timeout`, else the connection is
// closed. A request the server does not read fully (a body, an unparsable header) is answered
// with "Connection: close". The session keeps itself alive through its pending handlers and is
// registered in `registry` for its whole life. With a `bridge` target, a WebSocket upgrade
// request for the bridge's path is handed to an MqttWsBridge, which takes the connection over.
class HttpSession : public Closable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket,
              std::shared_ptr<const DashboardResponder> responder,
              std::shared_ptr<SessionRegistry> registry, SessionLimits limits,
              std::shared_ptr<const MqttBridgeTarget> bridge = nullptr);
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
  std::shared_ptr<const DashboardResponder> responder_;
  std::shared_ptr<SessionRegistry> registry_;
  SessionLimits limits_;
  std::shared_ptr<const MqttBridgeTarget> bridge_;
  bool closed_ = false;
};

}  // namespace deskd::http
