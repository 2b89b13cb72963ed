#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/host_check.h"
#include "http/mqtt_ws_bridge.h"
#include "http/peer_budget.h"

namespace deskd::http {

struct HttpServerOptions {
  std::string listen;  // "host:port", "[v6]:port" or ":port" (all IPv4 interfaces); port 0: any
  std::string root;    // the built dashboard (web/dist)
  // HTTP connections and bridged MQTT sessions, in all and per client address; further
  // connections are closed at once (HTTP) or answered 503 (bridge).
  ConnectionBudget budget;
  std::size_t max_header_bytes = 8192;      // request line + headers; beyond: 431 and close
  std::chrono::seconds idle_timeout{30};    // per response write
  std::chrono::seconds header_timeout{10};  // per request header (slowloris), keep-alive wait
  std::chrono::seconds bridge_ping_only_limit{15 * 60};  // a bridge session that only pings
  // When set, WebSocket upgrades for its path are relayed to the broker (MqttWsBridge).
  std::optional<MqttBridgeTarget> mqtt_bridge = std::nullopt;
  HostAllowList allow;  // names and page origins besides the machine's own
  // The Content-Security-Policy of the dashboard's answers (dashboard_csp()).
  std::string content_security_policy;
  // Where refusals are logged (rate-limited): foreign hosts and origins, budgets, a broker that
  // accepts anonymous clients. May be empty.
  std::function<void(const std::string&)> warn;
};

class Listener;
struct ServerShared;

// Serves the dashboard (see DashboardResponder) on `io` with HTTP/1.1 keep-alive. Everything
// runs in handlers on `io`; the server starts no threads, and no handler lets an exception out.
// REQUIRES: `io` is run by one thread, which is also the one calling start(), stop() and the
// destructor; `config_json` is called on that thread.
class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options,
             std::function<std::string()> config_json);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Returns an error message ("cannot listen on HOST:PORT: why") if the
  // address is malformed or cannot be bound. A missing root is not an error (pages say so).
  // With a bridge and a listen address other than loopback, asks the broker whether it takes
  // anonymous clients and warns (through `warn`) if it does: the bridge then relays only this
  // machine's own browsers.
  std::optional<std::string> start();
  // Closes the listening socket and every open connection. Idempotent.
  void stop();
  // The bound port (useful with port 0); 0 before a successful start().
  unsigned short port() const;

 private:
  void warn_if_anonymous(const std::shared_ptr<const ServerShared>& shared);

  boost::asio::io_context& io_;
  HttpServerOptions options_;
  std::function<std::string()> config_json_;
  std::shared_ptr<Listener> listener_;
};

}  // namespace deskd::http
