#include "config/broker_endpoint.h"

#include <array>
#include <charconv>
#include <utility>

namespace deskd::config {
namespace {

using Transport = BrokerEndpoint::Transport;

struct Scheme {
  std::string_view prefix;
  Transport transport;
  int default_port;
};

constexpr std::array<Scheme, 4> kSchemes{{{"tcp://", Transport::kTcp, 1883},
                                          {"ssl://", Transport::kTls, 8883},
                                          {"ws://", Transport::kWebSocket, 80},
                                          {"wss://", Transport::kSecureWebSocket, 443}}};

std::optional<int> parse_port(std::string_view s) {
  int port = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  if (ec != std::errc() || end != s.data() + s.size() || port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

std::optional<BrokerEndpoint> parse_broker_endpoint(std::string_view uri) {
  for (const Scheme& scheme : kSchemes) {
    if (!uri.starts_with(scheme.prefix)) continue;
    std::string_view rest = uri.substr(scheme.prefix.size());
    const bool web_socket = scheme.transport == Transport::kWebSocket ||
                            scheme.transport == Transport::kSecureWebSocket;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
      if (!web_socket) return std::nullopt;
      rest = rest.substr(0, slash);
    }
    BrokerEndpoint e{scheme.transport, "", scheme.default_port};
    std::string_view port;
    if (rest.starts_with('[')) {
      const auto close = rest.find(']');
      if (close == std::string_view::npos) return std::nullopt;
      e.host = std::string(rest.substr(1, close - 1));
      const auto after = rest.substr(close + 1);
      if (!after.empty() && !after.starts_with(':')) return std::nullopt;
      if (!after.empty()) port = after.substr(1);
      if (!after.empty() && port.empty()) return std::nullopt;
    } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
      e.host = std::string(rest.substr(0, colon));
      port = rest.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    } else {
      e.host = std::string(rest);
    }
    if (e.host.empty()) return std::nullopt;
    if (!port.empty()) {
      const auto p = parse_port(port);
      if (!p) return std::nullopt;
      e.port = *p;
    }
    return e;
  }
  return std::nullopt;
}

}  // namespace deskd::config
