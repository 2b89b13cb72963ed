#include "support/private_dbus.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace deskd::testing {

PrivateDbus::PrivateDbus() : dir_(make_temp_dir("dbus")) {
  const std::string socket = dir_ + "/bus";
  {
    std::ofstream conf(dir_ + "/bus.conf");
    conf << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
            " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
            "<busconfig>\n  <type>system</type>\n  <listen>unix:path="
         << socket
         << "</listen>\n  <auth>EXTERNAL</auth>\n"
            "  <policy context=\"default\">\n    <allow user=\"*\"/>\n"
            "    <allow own=\"*\"/>\n    <allow send_destination=\"*\"/>\n"
            "    <allow receive_sender=\"*\"/>\n  </policy>\n</busconfig>\n";
  }
  daemon_ = std::make_unique<Process>(
      std::vector<std::string>{"dbus-daemon", "--nofork", "--config-file=" + dir_ + "/bus.conf"},
      dir_ + "/dbus-daemon.log");
  struct stat st {};
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (::stat(socket.c_str(), &st) != 0) {
    if (std::chrono::steady_clock::now() > until || !daemon_->running()) {
      throw std::runtime_error("dbus-daemon did not start: " + daemon_->log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  address_ = "unix:path=" + socket;
}

}  // namespace deskd::testing
