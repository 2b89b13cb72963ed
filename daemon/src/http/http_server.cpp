#include "http/http_server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <exception>
#include <utility>

#include "http/broker_login_probe.h"
#include "http/dashboard_responder.h"
#include "http/http_session.h"
#include "http/request_guard.h"

namespace deskd::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// How long to wait before accepting again after a failed accept (e.g. out of descriptors).
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

struct HostPort {
  std::string host;
  unsigned short port = 0;
};

std::optional<HostPort> split_listen(const std::string& listen) {
  HostPort out;
  std::string port_text;
  if (!listen.empty() && listen.front() == '[') {
    const auto close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return std::nullopt;
    }
    out.host = listen.substr(1, close - 1);
    port_text = listen.substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    out.host = listen.substr(0, colon);
    port_text = listen.substr(colon + 1);
  }
  if (out.host.empty()) out.host = "0.0.0.0";
  unsigned value = 0;
  const auto* end = port_text.data() + port_text.size();
  const auto [ptr, ec] = std::from_chars(port_text.data(), end, value);
  if (port_text.empty() || ec != std::errc() || ptr != end || value > 65535) return std::nullopt;
  out.port = static_cast<unsigned short>(value);
  return out;
}

// True when `listen` ("host:port") binds only a loopback address.
bool listens_on_loopback(const std::string& listen) {
  const auto host_port = split_listen(listen);
  if (!host_port) return false;
  if (host_port->host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host_port->host, ec);
  return !ec && address.is_loopback();
}

}  // namespace

// The listening socket and what every accepted connection shares. Owned jointly by the server
// and its pending accept, so that handlers never outlive it.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& io, std::shared_ptr<const ServerShared> shared)
      : acceptor_(io), retry_timer_(io), shared_(std::move(shared)) {}

  std::optional<std::string> open(const std::string& listen) {
    const auto fail = [&](const std::string& why) {
      return std::optional<std::string>("cannot listen on " + listen + ": " + why);
    };
    const auto host_port = split_listen(listen);
    if (!host_port) return fail("expected HOST:PORT");
    boost::system::error_code ec;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(host_port->host, ec);
    if (!ec) {
      endpoint = tcp::endpoint(address, host_port->port);
    } else {
      tcp::resolver resolver(acceptor_.get_executor());
      const auto results = resolver.resolve(host_port->host, std::to_string(host_port->port),
                                            tcp::resolver::passive, ec);
      if (ec || results.empty()) return fail(ec ? ec.message() : "host not found");
      endpoint = results.begin()->endpoint();
    }
    if (acceptor_.open(endpoint.protocol(), ec) ||
        acceptor_.set_option(asio::socket_base::reuse_address(true), ec) ||
        acceptor_.bind(endpoint, ec) ||
        acceptor_.listen(asio::socket_base::max_listen_connections, ec)) {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      return fail(ec.message());
    }
    port_ = acceptor_.local_endpoint(ec).port();
    accept();
    return std::nullopt;
  }

  void stop() {
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
    shared_->registry->close_all();
  }

  unsigned short port() const { return port_; }

 private:
  void accept() {
    acceptor_.async_accept(
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
          self->on_accept(ec, std::move(socket));
        });
  }

  void on_accept(boost::system::error_code ec, tcp::socket socket) {
    if (stopped_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
        if (!wait_ec && !self->stopped_) self->accept();
      });
      return;
    }
    try {
      const auto peer = socket.remote_endpoint(ec).address();
      const auto full = ec ? std::optional<std::string>("gone")
                           : shared_->registry->refusal(peer_key(peer), ConnectionKind::kPage);
      if (full) {
        boost::system::error_code ignored;
        socket.close(ignored);  // over the budget: refuse by closing at once
        if (!ec) {
          shared_->guard->warn("budget",
                               "web: refused a connection from " + peer_key(peer) + ": " + *full);
        }
      } else {
        std::make_shared<HttpSession>(std::move(socket), peer, shared_)->start();
      }
    } catch (const std::exception&) {
      // Could not set up this connection (out of memory); the socket closes with it.
    }
    accept();
  }

  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::shared_ptr<const ServerShared> shared_;
  unsigned short port_ = 0;
  bool stopped_ = false;
};

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options,
                       std::function<std::string()> config_json)
    : io_(io), options_(std::move(options)), config_json_(std::move(config_json)) {}

HttpServer::~HttpServer() { stop(); }

std::optional<std::string> HttpServer::start() {
  if (listener_) return "the dashboard server is already started";
  auto shared = std::make_shared<ServerShared>();
  shared->responder = std::make_shared<const DashboardResponder>(options_.root, config_json_,
                                                                 options_.content_security_policy);
  shared->registry = std::make_shared<SessionRegistry>(options_.budget);
  shared->guard = std::make_shared<RequestGuard>(options_.allow, options_.warn);
  shared->limits = SessionLimits{options_.max_header_bytes, options_.idle_timeout,
                                 options_.header_timeout, options_.bridge_ping_only_limit};
  if (options_.mqtt_bridge) {
    shared->bridge = std::make_shared<const MqttBridgeTarget>(*options_.mqtt_bridge);
    shared->login_probe = std::make_shared<BrokerLoginProbe>(io_, options_.mqtt_bridge->host,
                                                             options_.mqtt_bridge->port);
  }
  auto listener = std::make_shared<Listener>(io_, shared);
  if (auto error = listener->open(options_.listen)) return error;
  listener_ = std::move(listener);
  if (shared->login_probe && !listens_on_loopback(options_.listen)) warn_if_anonymous(shared);
  return std::nullopt;
}

void HttpServer::warn_if_anonymous(const std::shared_ptr<const ServerShared>& shared) {
  shared->login_probe->ask([shared](AnonymousLogin answer) {
    if (answer != AnonymousLogin::kAccepted) return;
    shared->guard->warn(
        "anonymous-broker-start",
        "web: the MQTT broker at " + shared->bridge->host + ":" +
            std::to_string(shared->bridge->port) +
            " accepts clients without a password. The dashboard is served to the network, but "
            "its MQTT bridge relays only this machine's own browsers, so that no other device "
            "can move the desk. To use the dashboard from other devices, give the broker a "
            "password file and an ACL (systemd/README.md, \"Securing the dashboard\")");
  });
}

void HttpServer::stop() {
  if (listener_) listener_->stop();
}

unsigned short HttpServer::port() const { return listener_ ? listener_->port() : 0; }

}  // namespace deskd::http
