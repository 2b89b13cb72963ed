#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace deskd::platform {

// sd_notify(3) for Type=notify units. Without NOTIFY_SOCKET every call does nothing.
class SystemdNotifier {
 public:
  SystemdNotifier();
  void ready();
  void stopping();
  void reloading();
  void watchdog();
  void status(std::string_view text);
  // Half of WATCHDOG_USEC when systemd asked for watchdog pings, else nullopt.
  std::optional<std::chrono::microseconds> watchdog_interval() const { return interval_; }

 private:
  std::optional<std::chrono::microseconds> interval_;
};

}  // namespace deskd::platform
