#include "mqtt/tcp_nodelay.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace deskd::mqtt {
namespace {

// A listening socket on 127.0.0.1 with an ephemeral port.
struct Listener {
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(fd, 4), 0);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~Listener() { close(fd); }
  int connect_client() const {
    const int c = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    EXPECT_EQ(connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    return c;
  }
  int fd = -1;
  int port = 0;
};

bool nodelay(int fd) {
  int v = 0;
  socklen_t len = sizeof v;
  getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len);
  return v != 0;
}

TEST(TcpNodelay, SetsItOnlyOnConnectedSocketsToThatPeerPort) {
  Listener broker, other;
  const int to_broker = broker.connect_client();
  const int to_other = other.connect_client();
  const int accepted = accept(broker.fd, nullptr, nullptr);  // its peer port is ephemeral
  ASSERT_FALSE(nodelay(to_broker));
  EXPECT_EQ(set_tcp_nodelay_to_peer_port(broker.port), 1);
  EXPECT_TRUE(nodelay(to_broker));
  EXPECT_FALSE(nodelay(to_other));
  EXPECT_FALSE(nodelay(accepted));
  close(accepted);
  close(to_other);
  close(to_broker);
}

TEST(TcpNodelay, FindsNothingWhenNoSocketIsConnectedToThePort) {
  Listener broker;  // listening only: no peer
  EXPECT_EQ(set_tcp_nodelay_to_peer_port(broker.port), 0);
}

}  // namespace
}  // namespace deskd::mqtt
