#pragma once

#include <memory>
#include <string>

#include "support/process.h"

namespace deskd::testing {

// A private D-Bus daemon for one test: its own config (everyone may own any name and call
// anything: it is the test's own bus) on a unix socket in a fresh temp dir, started by the test
// and stopped by its pid. address() is what DBUS_SYSTEM_BUS_ADDRESS takes.
class PrivateDbus {
 public:
  PrivateDbus();
  const std::string& address() const { return address_; }
  const std::string& dir() const { return dir_; }
  // The bus goes away (the daemon is killed): every connection on it is lost.
  void kill() { daemon_->stop(std::chrono::milliseconds(0)); }

 private:
  std::string dir_;
  std::string address_;
  std::unique_ptr<Process> daemon_;
};

}  // namespace deskd::testing
