#include "http/http_session.h"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <exception>
#include <utility>
#include <vector>

#include "http/broker_login_probe.h"
#include "http/mqtt_ws_bridge.h"
#include "http/request_guard.h"
#include "http/request_target.h"

namespace deskd::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// How long a closing connection keeps reading what the client still sends.
constexpr std::chrono::seconds kLingerTime{2};

// A request line or header the parser refused (as opposed to a connection that went away).
bool is_malformed_request(const beast::error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::end_of_stream).category()) {
    return false;
  }
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::need_more && ec != bhttp::error::need_buffer;
}

}  // namespace

void SessionRegistry::add(Closable* session, const std::string& peer, ConnectionKind kind) {
  sessions_.emplace(session, Entry{peer, kind});
  budget_.add(peer, kind);
}

void SessionRegistry::remove(Closable* session) {
  const auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  budget_.remove(it->second.peer, it->second.kind);
  sessions_.erase(it);
}

void SessionRegistry::close_all() {
  std::vector<Closable*> open;
  open.reserve(sessions_.size());
  for (const auto& [session, entry] : sessions_) open.push_back(session);
  for (Closable* session : open) session->close();
}

HttpSession::HttpSession(asio::ip::tcp::socket socket, const asio::ip::address& peer,
                         std::shared_ptr<const ServerShared> shared)
    : stream_(std::move(socket)),
      // The parser enforces the header limit; the buffer limit only bounds pipelined input.
      buffer_(shared->limits.max_header_bytes + 4096),
      shared_(std::move(shared)),
      peer_(peer),
      peer_key_(peer_key(peer)) {
  beast::error_code ec;
  local_address_ = stream_.socket().local_endpoint(ec).address();
  shared_->registry->add(this, peer_key_, ConnectionKind::kPage);
}

HttpSession::~HttpSession() { shared_->registry->remove(this); }

void HttpSession::start() { read_request(); }

void HttpSession::close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

void HttpSession::read_request() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.max_header_bytes));
  stream_.expires_after(shared_->limits.header_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code ec) {
  if (closed_) return;
  try {
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      write(DashboardResponder::error_page(bhttp::status::request_header_fields_too_large, 11,
                                           false, "The request header is too large."));
      return;
    }
    if (is_malformed_request(ec)) {
      write(DashboardResponder::error_page(bhttp::status::bad_request, 11, false,
                                           "Malformed request."));
      return;
    }
    if (ec) {  // the client went away, timed out, or the server is stopping
      close();
      return;
    }
    const Request& request = parser_->get();
    const bool has_body = !parser_->is_done();
    const bool get_or_head =
        request.method() == bhttp::verb::get || request.method() == bhttp::verb::head;
    if (has_body && get_or_head) {
      write(DashboardResponder::error_page(bhttp::status::bad_request, request.version(), false,
                                           "A GET or HEAD request has no body."));
      return;
    }
    if (auto refused = needs_own_name(request)
                           ? shared_->guard->check_host(request, local_address_, peer_key_)
                           : std::nullopt) {
      write(DashboardResponder::error_page(refused->status, request.version(), false,
                                           refused->detail));
      return;
    }
    if (!has_body && hand_over_to_bridge()) return;
    write(shared_->responder->respond(request, request.keep_alive() && !has_body,
                                      bridge_notice(request)));
  } catch (const std::exception&) {
    close();
  }
}

bool HttpSession::hand_over_to_bridge() {
  const Request& request = parser_->get();
  if (!shared_->bridge || !boost::beast::websocket::is_upgrade(request)) return false;
  const std::string_view target(request.target().data(), request.target().size());
  if (target.substr(0, target.find('?')) != shared_->bridge->path) return false;
  if (auto refused = bridge_refusal()) {
    write(std::move(*refused));
    return true;
  }
  // The bridge takes the socket; this session ends with no handler pending. (A client sends
  // nothing after an upgrade request before the 101, so the buffer holds nothing more.)
  closed_ = true;
  auto bridge =
      std::make_shared<MqttWsBridge>(std::move(stream_), shared_, peer_key_, is_local_peer(peer_));
  bridge->start(parser_->release());
  return true;
}

bool HttpSession::needs_own_name(const Request& request) const {
  if (boost::beast::websocket::is_upgrade(request)) return true;
  const auto target = decode_request_target(request.target());
  return target.status != TargetStatus::kOk || target.path == "config.json";
}

std::string HttpSession::bridge_notice(const Request& request) const {
  const auto& probe = shared_->login_probe;
  if (!probe || (is_local_peer(peer_) && !is_proxied(request))) return {};
  probe->ask([](AnonymousLogin) {});  // keeps the answer fresh for this client's bridge attempt
  if (probe->last_answer() != AnonymousLogin::kAccepted) return {};
  return "the MQTT broker accepts clients without a password, so deskd lets only a browser on "
         "the desk's own computer move the desk. Its owner can give the broker logins (deskd's "
         "systemd/README.md, \"Securing the dashboard\").";
}

std::optional<Response> HttpSession::bridge_refusal() {
  const Request& request = parser_->get();
  if (auto refused = shared_->guard->check_origin(request, peer_key_)) {
    return DashboardResponder::error_page(refused->status, request.version(), false,
                                          refused->detail);
  }
  if (auto full = shared_->registry->refusal(peer_key_, ConnectionKind::kBridge)) {
    shared_->guard->warn("bridge-budget",
                         "web: refused a dashboard MQTT session from " + peer_key_ + ": " + *full);
    return DashboardResponder::error_page(bhttp::status::service_unavailable, request.version(),
                                          false, "Too many dashboard sessions: " + *full + ".");
  }
  return std::nullopt;
}

void HttpSession::write(Response response) {
  const bool keep_alive = response.keep_alive();
  stream_.expires_after(shared_->limits.idle_timeout);
  beast::async_write(stream_, std::move(response),
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                       self->on_write(ec, keep_alive);
                     });
}

void HttpSession::on_write(beast::error_code ec, bool keep_alive) {
  if (closed_) return;
  if (ec) {
    close();
  } else if (keep_alive) {
    read_request();
  } else {
    linger_and_close();
  }
}

void HttpSession::linger_and_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kLingerTime);
  drain();
}

void HttpSession::drain() {
  static std::array<char, 4096> discard;  // never read, so every session may share it
  stream_.async_read_some(asio::buffer(discard),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec || self->closed_) {
                              self->close();
                              return;
                            }
                            self->drain();
                          });
}

}  // namespace deskd::http
