// deskd under systemd: sd_notify READY / WATCHDOG / STOPPING on NOTIFY_SOCKET, and journald
// priority prefixes on stderr when JOURNAL_STREAM is set.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "support/deskd_process.h"
#include "support/notify_socket.h"

namespace deskd::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

bool has_line(const std::string& datagram, const std::string& line) {
  std::istringstream in(datagram);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

TEST(DaemonSystemd, NotifiesReadyThenWatchdogAtHalfTheIntervalThenStopping) {
  NotifySocket socket;
  DeskdOptions o;
  o.env = {{"NOTIFY_SOCKET", socket.path()}, {"WATCHDOG_USEC", "400000"}};
  DeskdProcess d(o);
  ASSERT_TRUE(d.start()) << d.log();

  // READY=1 arrives once start-up is done (watchdog pings may come before it).
  bool ready = false;
  for (int i = 0; i < 20 && !ready; ++i) {
    auto m = socket.receive(seconds(5));
    ASSERT_TRUE(m.has_value()) << "no READY=1";
    ready = has_line(*m, "READY=1");
  }
  ASSERT_TRUE(ready);

  // WATCHDOG=1 every 200 ms (half of WATCHDOG_USEC): collect for 2 s.
  std::vector<Clock::time_point> pings;
  const auto until = Clock::now() + seconds(2);
  while (Clock::now() < until) {
    auto m = socket.receive(milliseconds(500));
    ASSERT_TRUE(m.has_value()) << "watchdog pings stopped";
    if (has_line(*m, "WATCHDOG=1")) pings.push_back(Clock::now());
  }
  // 10 expected; a loaded machine may delay a few, never skip to under half the rate, and
  // never ping faster than asked.
  EXPECT_GE(pings.size(), 6u);
  EXPECT_LE(pings.size(), 12u);
  std::vector<double> gaps;
  for (std::size_t i = 1; i < pings.size(); ++i) {
    gaps.push_back(std::chrono::duration<double, std::milli>(pings[i] - pings[i - 1]).count());
  }
  ASSERT_FALSE(gaps.empty());
  std::sort(gaps.begin(), gaps.end());
  const double median = gaps[gaps.size() / 2];
  EXPECT_GT(median, 150.0);
  EXPECT_LT(median, 300.0);
  // Always well inside systemd's 400 ms timeout.
  EXPECT_LT(gaps.back(), 400.0);

  ASSERT_TRUE(d.process().signal(SIGTERM));
  bool stopping = false;
  for (int i = 0; i < 50 && !stopping; ++i) {
    auto m = socket.receive(seconds(5));
    if (!m) break;
    stopping = has_line(*m, "STOPPING=1");
  }
  EXPECT_TRUE(stopping) << "no STOPPING=1 on SIGTERM";
  EXPECT_EQ(Process::exit_code(d.process().wait(seconds(10))), 0) << d.log();
}

TEST(DaemonSystemd, WithoutWatchdogUsecThereAreNoWatchdogPings) {
  NotifySocket socket;
  DeskdOptions o;
  o.env = {{"NOTIFY_SOCKET", socket.path()}};
  DeskdProcess d(o);
  ASSERT_TRUE(d.start()) << d.log();
  std::vector<std::string> got;
  while (auto m = socket.receive(milliseconds(700))) got.push_back(*m);
  ASSERT_FALSE(got.empty());
  EXPECT_TRUE(std::any_of(got.begin(), got.end(),
                          [](const std::string& m) { return has_line(m, "READY=1"); }));
  EXPECT_TRUE(std::none_of(got.begin(), got.end(),
                           [](const std::string& m) { return has_line(m, "WATCHDOG=1"); }));
  EXPECT_EQ(d.terminate(), 0);
}

TEST(DaemonSystemd, UnderJournaldEveryLogLineStartsWithItsPriority) {
  DeskdOptions o;
  o.env = {{"JOURNAL_STREAM", "8:12345"}};
  DeskdProcess d(o);
  ASSERT_TRUE(d.start()) << d.log();
  EXPECT_EQ(d.terminate(), 0);
  std::istringstream in(d.log());
  int lines = 0;
  bool ready_seen = false;
  bool stopped_seen = false;
  for (std::string l; std::getline(in, l);) {
    ++lines;
    ASSERT_GE(l.size(), 3u) << l;
    EXPECT_EQ(l[0], '<') << l;
    EXPECT_TRUE(l[1] >= '0' && l[1] <= '7') << l;
    EXPECT_EQ(l[2], '>') << l;
    // Info lines carry <6>, with nothing (no time stamp: journald adds its own) before the text.
    if (l.rfind("<6>deskd ", 0) == 0 && l.find(" ready: ") != std::string::npos) ready_seen = true;
    if (l == "<6>stopped; outputs inactive, state saved") stopped_seen = true;
  }
  EXPECT_GT(lines, 2);
  EXPECT_TRUE(ready_seen) << d.log();
  EXPECT_TRUE(stopped_seen) << d.log();
}

TEST(DaemonSystemd, OutsideJournaldLogLinesCarryATimeAndTheLevelName) {
  DeskdOptions o;
  o.env["JOURNAL_STREAM"] = "";  // even if the test itself runs under journald
  DeskdProcess d(o);
  ASSERT_TRUE(d.start()) << d.log();
  EXPECT_EQ(d.terminate(), 0);
  const std::string log = d.log();
  EXPECT_EQ(log.find("<6>"), std::string::npos) << log;
  const auto ready = log.find(" ready: ");
  ASSERT_NE(ready, std::string::npos);
  const auto line_start =
      log.rfind('\n', ready) == std::string::npos ? 0 : log.rfind('\n', ready) + 1;
  const std::string line = log.substr(line_start, ready - line_start);
  // "HH:MM:SS.mmm info    deskd ..."
  ASSERT_GE(line.size(), 13u) << line;
  EXPECT_EQ(line[2], ':');
  EXPECT_EQ(line[5], ':');
  EXPECT_EQ(line[8], '.');
  EXPECT_NE(line.find(" info "), std::string::npos) << line;
}

}  // namespace
}  // namespace deskd::testing
