#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace deskd::config {

// Where a broker URI of [mqtt] uri points: tcp://host[:port], ssl://host[:port],
// ws://host[:port][/path], wss://host[:port][/path] (host may be "[v6]").
struct BrokerEndpoint {
  enum class Transport { kTcp, kTls, kWebSocket, kSecureWebSocket };
  Transport transport = Transport::kTcp;
  std::string host;  // without the IPv6 brackets
  int port = 0;      // the URI's port, else the scheme's default (1883, 8883, 80, 443)
  friend bool operator==(const BrokerEndpoint&, const BrokerEndpoint&) = default;
};

// nullopt for a URI the config loader would refuse (unknown scheme, no host, bad port).
std::optional<BrokerEndpoint> parse_broker_endpoint(std::string_view uri);

}  // namespace deskd::config
