#include "config/broker_endpoint.h"

#include <gtest/gtest.h>

namespace deskd::config {
namespace {

using Transport = BrokerEndpoint::Transport;

TEST(BrokerEndpoint, ReadsHostAndPortOfEachScheme) {
  EXPECT_EQ(parse_broker_endpoint("tcp://localhost:1884"),
            (BrokerEndpoint{Transport::kTcp, "localhost", 1884}));
  EXPECT_EQ(parse_broker_endpoint("ssl://broker.example:8884"),
            (BrokerEndpoint{Transport::kTls, "broker.example", 8884}));
  EXPECT_EQ(parse_broker_endpoint("ws://10.0.0.2:9002/mqtt"),
            (BrokerEndpoint{Transport::kWebSocket, "10.0.0.2", 9002}));
  EXPECT_EQ(parse_broker_endpoint("wss://b.example/mqtt"),
            (BrokerEndpoint{Transport::kSecureWebSocket, "b.example", 443}));
}

TEST(BrokerEndpoint, DefaultsThePortByScheme) {
  EXPECT_EQ(parse_broker_endpoint("tcp://pi")->port, 1883);
  EXPECT_EQ(parse_broker_endpoint("ssl://pi")->port, 8883);
  EXPECT_EQ(parse_broker_endpoint("ws://pi")->port, 80);
}

TEST(BrokerEndpoint, ReadsBracketedIpv6Hosts) {
  EXPECT_EQ(parse_broker_endpoint("tcp://[::1]:1885"),
            (BrokerEndpoint{Transport::kTcp, "::1", 1885}));
  EXPECT_EQ(parse_broker_endpoint("tcp://[fe80::1]")->port, 1883);
}

TEST(BrokerEndpoint, RefusesWhatTheConfigLoaderRefuses) {
  for (const char* bad :
       {"", "mqtt://pi:1883", "tcp://", "tcp://:1883", "tcp://pi:", "tcp://pi:0", "tcp://pi:65536",
        "tcp://pi:12x", "tcp://pi/path", "tcp://[::1", "tcp://[::1]x"}) {
    EXPECT_FALSE(parse_broker_endpoint(bad)) << bad;
  }
}

}  // namespace
}  // namespace deskd::config
