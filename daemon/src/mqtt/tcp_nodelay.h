#pragma once

namespace deskd::mqtt {

// Turns off Nagle's algorithm (TCP_NODELAY) on every connected TCP socket of this process whose
// peer port is `peer_port`, and returns how many it set.
//
// Why: paho-mqtt-c 1.3 (and paho-mqtt-cpp 1.2 above it) opens its socket without TCP_NODELAY
// and offers no socket-option callback or accessor for the descriptor. Without it, a PUBLISH
// written right after the PUBACK of an incoming QoS 1 command waits for the broker's delayed
// ACK of that PUBACK (~40 ms on Linux). The client's socket is found by scanning /proc/self/fd;
// setting the option on another socket to that port (there is none in deskd) would be harmless.
int set_tcp_nodelay_to_peer_port(int peer_port);

}  // namespace deskd::mqtt
