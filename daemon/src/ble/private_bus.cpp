#include "ble/private_bus.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace deskd::ble {

PrivateBus::PrivateBus() {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir_template = std::string(tmp && *tmp ? tmp : "/tmp") + "/deskd-ble-XXXXXX";
  if (!::mkdtemp(dir_template.data())) throw std::runtime_error("simulated Bluetooth: no temp dir");
  dir_ = dir_template;
  const std::string socket = dir_ + "/bus";
  write_config(socket);
  const std::string config = "--config-file=" + dir_ + "/bus.conf";
  pid_ = ::fork();
  if (pid_ == 0) {
    const int null = ::open("/dev/null", O_RDWR);  // its notices are not deskd's log
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    ::execlp("dbus-daemon", "dbus-daemon", "--nofork", config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (pid_ < 0) throw std::runtime_error("simulated Bluetooth: cannot start dbus-daemon");
  wait_for(socket);
  address_ = "unix:path=" + socket;
}

PrivateBus::~PrivateBus() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void PrivateBus::write_config(const std::string& socket) const {
  std::ofstream conf(dir_ + "/bus.conf");
  conf << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
          " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
          "<busconfig>\n  <type>system</type>\n  <listen>unix:path="
       << socket
       << "</listen>\n  <auth>EXTERNAL</auth>\n  <policy context=\"default\">\n"
          "    <allow user=\"*\"/>\n    <allow own=\"*\"/>\n"
          "    <allow send_destination=\"*\"/>\n    <allow receive_sender=\"*\"/>\n"
          "  </policy>\n</busconfig>\n";
  if (!conf) throw std::runtime_error("simulated Bluetooth: cannot write " + dir_ + "/bus.conf");
}

// Start-up only: waits (at most 5 s) for the daemon's socket.
void PrivateBus::wait_for(const std::string& socket) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  struct stat st {};
  while (::stat(socket.c_str(), &st) != 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(
          "simulated Bluetooth: dbus-daemon did not start (is the dbus package installed?)");
    }
    if (std::chrono::steady_clock::now() > until) {
      throw std::runtime_error("simulated Bluetooth: dbus-daemon did not open its socket");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace deskd::ble
