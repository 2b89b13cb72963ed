// Clock trust (DESIGN.md §4 invariant 6): a clock whose sync state cannot be read counts as
// unsynchronised. The shipped unit's ProtectClock=yes (and SystemCallFilter=@system-service,
// which lacks @clock) make adjtimex() fail with EPERM; the tests apply the same seccomp rule to a
// child process and read the clock trust there.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>

#include "platform/time_sync.h"

namespace deskd::platform {
namespace {

using namespace std::chrono_literals;

#if defined(__x86_64__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_AARCH64;
#elif defined(__arm__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_ARM;
#endif

// ProtectClock=yes: the @clock system calls that can read or set the kernel clock state fail with
// EPERM (SystemCallErrorNumber=EPERM in the unit). Everything else is allowed.
bool apply_protect_clock_filter() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_adjtimex, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clock_adjtime, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

// Runs `trusted` in a child under the filter. 1 = trusted, 0 = untrusted, other = setup failed.
int trusted_under_filter(const std::function<bool()>& trusted) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (!apply_protect_clock_filter()) _exit(10);
    timex tx{};
    if (adjtimex(&tx) != -1 || errno != EPERM) _exit(11);  // the filter is in force
    _exit(trusted() ? 1 : 0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

core::WallTime now() { return std::chrono::system_clock::now(); }

TEST(ClockTrust, FailedSyncReadUnderTheUnitsClockFilterCountsAsUnsynchronised) {
  if (std::filesystem::exists("/run/systemd/timesync/synchronized")) {
    GTEST_SKIP() << "this machine has the systemd-timesyncd marker";
  }
  EXPECT_EQ(trusted_under_filter([] { return check_clock_trust(now()).trusted; }), 0);
}

TEST(ClockTrust, TimesyncdMarkerIsTrustedUnderTheUnitsClockFilter) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("deskd-marker-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string marker = (dir / "synchronized").string();
  std::ofstream(marker).flush();
  EXPECT_EQ(trusted_under_filter(
                [&] { return decide_clock_trust(now(), read_clock_sync(marker)).trusted; }),
            1);
  std::filesystem::remove(marker);
  EXPECT_EQ(trusted_under_filter(
                [&] { return decide_clock_trust(now(), read_clock_sync(marker)).trusted; }),
            0);
  std::filesystem::remove_all(dir);
}

TEST(ClockTrust, UnreadableKernelStateWithoutMarkerIsUntrustedAndSaysWhy) {
  const auto t = decide_clock_trust(now(), ClockSyncReadings{std::nullopt, false});
  EXPECT_FALSE(t.trusted);
  EXPECT_NE(t.reason.find("cannot be read"), std::string::npos) << t.reason;
}

TEST(ClockTrust, KernelReadingDecidesWhenItIsAvailable) {
  EXPECT_TRUE(decide_clock_trust(now(), ClockSyncReadings{true, false}).trusted);
  EXPECT_FALSE(decide_clock_trust(now(), ClockSyncReadings{false, false}).trusted);
  EXPECT_FALSE(decide_clock_trust(now(), ClockSyncReadings{false, true}).trusted);
  EXPECT_TRUE(decide_clock_trust(now(), ClockSyncReadings{std::nullopt, true}).trusted);
}

TEST(ClockTrust, DateBefore2024IsNeverTrusted) {
  const auto t = decide_clock_trust(core::WallTime{} + 24h * 365, ClockSyncReadings{true, true});
  EXPECT_FALSE(t.trusted);
  EXPECT_NE(t.reason.find("before 2024"), std::string::npos);
}

}  // namespace
}  // namespace deskd::platform
