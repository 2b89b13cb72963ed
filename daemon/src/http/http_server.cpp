#include "http/http_server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <exception>
#include <utility>

#include "http/dashboard_responder.h"
#include "http/http_session.h"

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

}  // namespace

// The listening socket and what every accepted connection shares. Owned jointly by the server
// and its pending accept, so that handlers never outlive it.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& io, std::shared_ptr<const DashboardResponder> responder,
           std::size_t max_connections, SessionLimits limits,
           std::shared_ptr<const MqttBridgeTarget> bridge)
      : acceptor_(io),
        retry_timer_(io),
        responder_(std::move(responder)),
        registry_(std::make_shared<SessionRegistry>()),
        max_connections_(max_connections),
        limits_(limits),
        bridge_(std::move(bridge)) {}

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
    registry_->close_all();
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
      if (registry_->size() >= max_connections_) {
        boost::system::error_code ignored;
        socket.close(ignored);  // over the limit: refuse by closing at once
      } else {
        std::make_shared<HttpSession>(std::move(socket), responder_, registry_, limits_, bridge_)
            ->start();
      }
    } catch (const std::exception&) {
      // Could not set up this connection (out of memory); the socket closes with it.
    }
    accept();
  }

  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::shared_ptr<const DashboardResponder> responder_;
  std::shared_ptr<SessionRegistry> registry_;
  std::size_t max_connections_;
  SessionLimits limits_;
  std::shared_ptr<const MqttBridgeTarget> bridge_;
  unsigned short port_ = 0;
  bool stopped_ = false;
};

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options,
                       std::function<std::string()> config_json)
    : io_(io), options_(std::move(options)), config_json_(std::move(config_json)) {}

HttpServer::~HttpServer() { stop(); }

std::optional<std::string> HttpServer::start() {
  if (listener_) return "the dashboard server is already started";
  auto responder = std::make_shared<const DashboardResponder>(options_.root, config_json_);
  std::shared_ptr<const MqttBridgeTarget> bridge;
  if (options_.mqtt_bridge)
    bridge = std::make_shared<const MqttBridgeTarget>(*options_.mqtt_bridge);
  auto listener = std::make_shared<Listener>(
      io_, std::move(responder), options_.max_connections,
      SessionLimits{options_.max_header_bytes, options_.idle_timeout}, std::move(bridge));
  if (auto error = listener->open(options_.listen)) return error;
  listener_ = std::move(listener);
  return std::nullopt;
}

void HttpServer::stop() {
  if (listener_) listener_->stop();
}

unsigned short HttpServer::port() const { return listener_ ? listener_->port() : 0; }

}  // namespace deskd::http
