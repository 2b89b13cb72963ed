#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace deskd::testing {

// A unix datagram socket standing in for systemd's NOTIFY_SOCKET: a process started with
// NOTIFY_SOCKET=path() sends its sd_notify(3) messages here.
class NotifySocket {
 public:
  NotifySocket();
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }
  // The next datagram, or nullopt after `timeout`.
  std::optional<std::string> receive(std::chrono::milliseconds timeout);

 private:
  std::string dir_;
  std::string path_;
  int fd_ = -1;
};

}  // namespace deskd::testing
