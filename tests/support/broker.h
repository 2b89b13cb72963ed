#pragma once

#include <memory>
#include <string>

#include "support/process.h"

namespace deskd::testing {

// A real mosquitto started by a test on free loopback ports, stopped by pid.
class Broker {
 public:
  struct Options {
    bool websockets = false;
    bool tcp_nodelay = true;  // set_tcp_nodelay, as the shipped mosquitto example has it
    std::string username;     // set: anonymous access is refused, this user/password is allowed
    std::string password;
    std::string extra_config;  // appended to mosquitto.conf verbatim
  };
  explicit Broker(Options options);
  Broker() : Broker(Options{}) {}
  ~Broker();

  int port() const { return port_; }
  int ws_port() const { return ws_port_; }
  // Stops the broker (SIGTERM) / starts it again on the same ports.
  void stop();
  void start();
  void kill9();
  bool running() const { return process_ != nullptr; }

 private:
  Options options_;
  std::string dir_;
  int port_;
  int ws_port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace deskd::testing
