#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deskd::http {

// What the web server answers to besides its own names: `[web] allowed_hosts` (host names or
// "[v6]" addresses, lower-case) and `[web] allowed_origins` ("http(s)://host[:port]").
struct HostAllowList {
  std::vector<std::string> hosts;
  std::vector<std::string> origins;
};

// A Host header split into its name (lower-case, brackets kept for IPv6, one trailing dot
// dropped) and port; nullopt when malformed (empty, bad port, characters a name cannot have).
struct HostHeader {
  std::string name;
  std::optional<unsigned short> port;
};
std::optional<HostHeader> parse_host_header(std::string_view value);

// True when a request's Host names this server, which defeats DNS rebinding: "localhost" (and
// "*.localhost"), the machine's `machine_name` (also "<name>.local" and its first label), the
// address the request arrived on (`local_address`, as an IP literal), or a configured name.
bool host_allowed(const HostHeader& host, std::string_view machine_name,
                  const boost::asio::ip::address& local_address, const HostAllowList& allow);

// Whether a WebSocket upgrade may use the /mqtt bridge, judged by its Origin header (browsers
// always send one; a page of another site is refused: cross-site WebSocket hijacking).
enum class OriginVerdict {
  kNoOrigin,    // not a browser: nothing to hijack, the Host check and the broker decide
  kSameOrigin,  // "http(s)://" + the request's own Host
  kConfigured,  // one of `allow.origins` (a reverse proxy's)
  kForeign,     // anything else, including "null"
};
OriginVerdict check_origin(std::optional<std::string_view> origin, const HostHeader& host,
                           const HostAllowList& allow);

// The machine's host name (gethostname), lower-case; empty if it cannot be read.
std::string machine_host_name();

}  // namespace deskd::http
