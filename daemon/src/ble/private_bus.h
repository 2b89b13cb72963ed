#pragma once

#include <sys/types.h>

#include <string>

namespace deskd::ble {

// A private D-Bus daemon for the simulated Bluetooth desk (`--simulate` with [ble]): its own
// config (everything allowed: nobody else is on it) on a unix socket in a fresh directory under
// $TMPDIR. Started at construction (throws std::runtime_error naming what is missing, e.g. the
// dbus-daemon program), stopped by its pid and its directory removed at destruction.
class PrivateBus {
 public:
  PrivateBus();
  ~PrivateBus();
  PrivateBus(const PrivateBus&) = delete;
  PrivateBus& operator=(const PrivateBus&) = delete;

  const std::string& address() const { return address_; }

 private:
  void write_config(const std::string& socket) const;
  void wait_for(const std::string& socket);

  std::string dir_;
  std::string address_;
  pid_t pid_ = -1;
};

}  // namespace deskd::ble
