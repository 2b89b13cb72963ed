#include "platform/systemd_notifier.h"

#include <systemd/sd-daemon.h>

#include <string>

namespace deskd::platform {

SystemdNotifier::SystemdNotifier() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    interval_ = std::chrono::microseconds(usec / 2);
  }
}

void SystemdNotifier::ready() { sd_notify(0, "READY=1\nSTATUS=serving"); }
void SystemdNotifier::stopping() { sd_notify(0, "STOPPING=1"); }
void SystemdNotifier::reloading() { sd_notify(0, "RELOADING=1"); }
void SystemdNotifier::watchdog() { sd_notify(0, "WATCHDOG=1"); }
void SystemdNotifier::status(std::string_view text) {
  sd_notify(0, ("STATUS=" + std::string(text)).c_str());
}

}  // namespace deskd::platform
