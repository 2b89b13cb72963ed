#include "mqtt/paho_wake.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

namespace deskd::mqtt {
namespace {

void ignore_wake(int) {}

int wake_signal() { return SIGRTMIN + 7; }

void install_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = ignore_wake;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: the point is to end a sleep
    sigaction(wake_signal(), &sa, nullptr);
  });
}

bool is_sleep_syscall(long nr) {
  if (nr == SYS_clock_nanosleep) return true;
#ifdef SYS_nanosleep
  if (nr == SYS_nanosleep) return true;
#endif
#ifdef SYS_clock_nanosleep_time64
  if (nr == SYS_clock_nanosleep_time64) return true;
#endif
  return false;
}

// True when thread `tid` of this process is blocked in a sleep system call now
// (/proc/self/task/<tid>/syscall starts with the number of the call it is blocked in).
bool sleeping(const std::string& tid) {
  std::ifstream in("/proc/self/task/" + tid + "/syscall");
  long nr = -1;
  return static_cast<bool>(in >> nr) && is_sleep_syscall(nr);
}

}  // namespace

int wake_sleeping_threads() {
  install_handler();
  const pid_t self = static_cast<pid_t>(syscall(SYS_gettid));
  int woken = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    const std::string tid = entry.path().filename().string();
    const long id = std::strtol(tid.c_str(), nullptr, 10);
    if (id <= 0 || id == self || !sleeping(tid)) continue;
    if (syscall(SYS_tgkill, getpid(), static_cast<pid_t>(id), wake_signal()) == 0) ++woken;
  }
  return woken;
}

}  // namespace deskd::mqtt
