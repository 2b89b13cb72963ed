#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/status.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "http/dashboard_responder.h"
#include "http/host_check.h"

namespace deskd::http {

// Why a request is not answered as asked: the status and a sentence for the error page.
struct Refusal {
  boost::beast::http::status status;
  std::string detail;
};

// The server's front door: every request must name this server in Host (DNS rebinding), and a
// /mqtt upgrade must come from the page's own origin or a configured one (cross-site WebSocket
// hijacking). Refusals are logged through `warn`, at most one line per kind every 10 s.
class RequestGuard {
 public:
  RequestGuard(HostAllowList allow, std::function<void(const std::string&)> warn);

  // nullopt when the request may go on; else 400 (no or malformed Host) or 403 (another name).
  std::optional<Refusal> check_host(const Request& request,
                                    const boost::asio::ip::address& local_address,
                                    const std::string& peer);
  // For a WebSocket upgrade to the bridge, after check_host: nullopt, or 403 for a foreign Origin.
  std::optional<Refusal> check_origin(const Request& request, const std::string& peer);
  // Logs `text` unless a line of the same `kind` went out less than 10 s ago; the next line that
  // goes out says how many were left out.
  void warn(const std::string& kind, const std::string& text);

 private:
  struct Throttle {
    std::chrono::steady_clock::time_point last{};
    unsigned suppressed = 0;
  };

  HostAllowList allow_;
  std::function<void(const std::string&)> warn_;
  std::map<std::string, Throttle> throttles_;
};

// True when the request came through a proxy (Forwarded or X-Forwarded-For): its client is then
// some other host, whatever the connection's address.
bool is_proxied(const Request& request);

}  // namespace deskd::http
