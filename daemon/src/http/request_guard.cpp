#include "http/request_guard.h"

#include <boost/beast/http/field.hpp>
#include <utility>

#include "core/untrusted_text.h"

namespace deskd::http {
namespace {

namespace bhttp = boost::beast::http;

constexpr std::chrono::seconds kWarnInterval{10};

std::optional<std::string_view> header(const Request& request, bhttp::field field) {
  const auto it = request.find(field);
  if (it == request.end()) return std::nullopt;
  return std::string_view(it->value().data(), it->value().size());
}

}  // namespace

bool is_proxied(const Request& request) {
  return request.find(bhttp::field::forwarded) != request.end() ||
         request.find("X-Forwarded-For") != request.end();
}

RequestGuard::RequestGuard(HostAllowList allow, std::function<void(const std::string&)> warn)
    : allow_(std::move(allow)), warn_(std::move(warn)) {}

std::optional<Refusal> RequestGuard::check_host(const Request& request,
                                                const boost::asio::ip::address& local_address,
                                                const std::string& peer) {
  const auto value = header(request, bhttp::field::host);
  const auto host = value ? parse_host_header(*value) : std::nullopt;
  if (!host) {
    return Refusal{bhttp::status::bad_request, "The request has no valid Host header."};
  }
  if (host_allowed(*host, machine_host_name(), local_address, allow_)) return std::nullopt;
  warn("host", "web: refused a request from " + peer + " for the host name \"" +
                   core::printable_excerpt(*value) +
                   "\", which is not one of this machine's (a DNS rebinding attempt, or a name of "
                   "yours: add it to [web] allowed_hosts)");
  return Refusal{bhttp::status::forbidden,
                 "This server does not answer to that host name. Its owner can allow it in "
                 "[web] allowed_hosts."};
}

std::optional<Refusal> RequestGuard::check_origin(const Request& request, const std::string& peer) {
  const auto host = parse_host_header(header(request, bhttp::field::host).value_or(""));
  if (!host) return Refusal{bhttp::status::bad_request, "The request has no valid Host header."};
  const auto origin = header(request, bhttp::field::origin);
  if (http::check_origin(origin, *host, allow_) != OriginVerdict::kForeign) return std::nullopt;
  warn("origin", "web: refused the dashboard's MQTT bridge to a page of another site (Origin \"" +
                     core::printable_excerpt(origin.value_or("")) + "\", from " + peer +
                     "); a reverse proxy's origin can be allowed in [web] allowed_origins");
  return Refusal{bhttp::status::forbidden,
                 "Only the dashboard's own page may use this MQTT bridge. Its owner can allow "
                 "another origin in [web] allowed_origins."};
}

void RequestGuard::warn(const std::string& kind, const std::string& text) {
  if (!warn_) return;
  const auto now = std::chrono::steady_clock::now();
  Throttle& t = throttles_[kind];
  if (t.last != std::chrono::steady_clock::time_point{} && now - t.last < kWarnInterval) {
    ++t.suppressed;
    return;
  }
  std::string line = text;
  if (t.suppressed > 0) {
    line += " (" + std::to_string(t.suppressed) + " more like it in the last " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now - t.last).count()) +
            " s)";
  }
  t = Throttle{now, 0};
  warn_(line);
}

}  // namespace deskd::http
