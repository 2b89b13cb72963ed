// Safety invariant 9 on the real binary with the simulated desk and a real broker: command streams
// neither defeat supervision nor wear the outputs (issue 20, section 1). The motor's output
// changes are read from deskd's debug log ("outputs <drive> at monotonic <ns> ns").
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr long long kMinOffMs = 300;  // core::MotionSettings::min_off
constexpr long long kMinOnMs = 300;   // core::MotionSettings::min_on
constexpr int kStartBudget = 20;      // core::MotionSettings::start_budget
constexpr long long kStallTimeoutMs = 800;

struct MotorRun {
  std::string dir;
  long long start_ns = 0;
  long long end_ns = 0;          // 0: still running at the end of the log
  long long off_before_ns = -1;  // -1: no stop logged before it
  double on_ms() const { return (end_ns - start_ns) / 1e6; }
};

class MqttCommandStream : public MqttDeskTest {
 protected:
  // The runs in deskd's log after byte `from`.
  std::vector<MotorRun> runs(std::size_t from) const {
    static const std::regex kLine("outputs (up|down|stopped) at monotonic ([0-9]+) ns");
    const std::string log = deskd_->log().substr(from);
    std::vector<MotorRun> out;
    long long last_stop = -1;
    for (auto it = std::sregex_iterator(log.begin(), log.end(), kLine);
         it != std::sregex_iterator(); ++it) {
      const std::string what = (*it)[1];
      const long long ns = std::stoll((*it)[2]);
      if (what == "stopped") {
        if (!out.empty() && out.back().end_ns == 0) out.back().end_ns = ns;
        last_stop = ns;
        continue;
      }
      if (!out.empty() && out.back().end_ns == 0) out.back().end_ns = ns;  // never happens
      out.push_back({what, ns, 0, last_stop < 0 ? -1 : ns - last_stop});
    }
    return out;
  }

  bool saw_fault(std::size_t since) const {
    return count_json(
               "event",
               [](const object& e) {
                 const std::string f = json_string(e, "fault");
                 return json_string(e, "type") == "fault" && (f == "stall" || f == "obstruction");
               },
               since) > 0;
  }

  // Sends {"height_mm":650} and {"action":"stop"} in turn every `period` for up to 20 s onto an
  // obstruction at 800 mm (the desk starts just above it); returns the down-driving time in ms.
  double press_with_stream(milliseconds period, std::size_t& since) {
    EXPECT_TRUE(move_to(830, 6)) << deskd_->log();  // stopped: settled, min_off over
    since = mark();
    const std::size_t log_from = deskd_->log().size();
    send("sim/set", R"({"obstruction_at_mm":800})");
    const auto end = Clock::now() + seconds(20);
    for (int i = 0; Clock::now() < end && !saw_fault(since); ++i) {
      send("set", i % 2 == 0 ? R"({"height_mm":650})" : R"({"action":"stop"})");
      std::this_thread::sleep_for(period);  // the stream's period is the stimulus, not a wait
    }
    // The last run (or a back-off) has ended: at rest, nothing pending.
    EXPECT_TRUE(wait_until_state(at_rest, seconds(10))) << deskd_->log();
    double down_ms = 0;
    int starts = 0;
    for (const MotorRun& r : runs(log_from)) {
      if (r.dir != "down") continue;
      ++starts;
      down_ms += r.end_ns ? r.on_ms() : 0;
    }
    std::printf("period %lld ms: %d starts down, %.1f ms driving down, fault %s\n",
                static_cast<long long>(period.count()), starts, down_ms,
                saw_fault(since) ? "latched" : "none");
    EXPECT_LE(starts, kStartBudget);
    return down_ms;
  }
};

// The desk starts 30 mm above the obstruction, reaches it in ~0.2 s of driving, creeps 8 mm into
// it in ~0.36 s and is then blocked. Whatever the stream, driving down in all stays below the
// approach, the creep and stall_timeout (+ one run), and a stream that presses that long latches
// stall or obstruction.
constexpr double kApproachAndCreepMs = 200 + 360;

// The issue's stream: every 150 ms. The off-time and the start budget leave little of it.
TEST_F(MqttCommandStream, StartStopStreamCannotDefeatObstructionDetection) {
  ASSERT_TRUE(start_all());
  std::size_t since = 0;
  const double down_ms = press_with_stream(milliseconds(150), since);
  EXPECT_LT(down_ms, kApproachAndCreepMs + kStallTimeoutMs + 150) << deskd_->log();
  if (down_ms >= kApproachAndCreepMs + kStallTimeoutMs) EXPECT_TRUE(saw_fault(since));
}

// Every 400 ms: runs long enough to press on the obstruction; the no-progress time adds up across
// the runs and the fault latches.
TEST_F(MqttCommandStream, SlowerStartStopStreamOntoAnObstructionLatchesTheFault) {
  ASSERT_TRUE(start_all());
  std::size_t since = 0;
  const double down_ms = press_with_stream(milliseconds(400), since);
  EXPECT_LT(down_ms, kApproachAndCreepMs + kStallTimeoutMs + 400) << deskd_->log();
  EXPECT_TRUE(saw_fault(since)) << deskd_->log();
}

// 500 B/set commands in 2 s, alternating up and down targets: few starts (within the budget),
// never an off-time before a start shorter than min_off, never a run cut shorter than min_on.
TEST_F(MqttCommandStream, FiveHundredAlternatingTargetsInTwoSecondsDoNotChatterTheOutputs) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(move_to(800)) << deskd_->log();  // far from both targets: runs end by commands
  const auto since = mark();
  const std::size_t log_from = deskd_->log().size();
  const auto t0 = Clock::now();
  for (int batch = 0; batch < 20; ++batch) {  // 25 commands every 100 ms, back to back
    std::vector<std::string> commands;
    for (int i = 0; i < 25; ++i) {  // the last of a batch: up, then down in the next one
      commands.push_back((batch + i) % 2 == 0 ? R"({"height_mm":1250})" : R"({"height_mm":650})");
    }
    ASSERT_TRUE(observer_->publish_all(topic("set"), commands, 1, seconds(5)));
    std::this_thread::sleep_for(milliseconds(100));  // the batches' pace is the stimulus
  }
  const double send_s = std::chrono::duration<double>(Clock::now() - t0).count();
  // Runs that ended before this were cut short by commands; later ones end at the last target.
  const long long stream_end_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
  // Stopped, no target (it may have stopped before the last command): the log has every run.
  ASSERT_TRUE(wait_until_state(at_rest, seconds(20))) << deskd_->log();
  const std::vector<MotorRun> r = runs(log_from);
  ASSERT_FALSE(r.empty()) << deskd_->log();
  double min_off_ms = 1e9, min_on_ms = 1e9;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r[i].off_before_ns >= 0) min_off_ms = std::min(min_off_ms, r[i].off_before_ns / 1e6);
    if (r[i].end_ns && r[i].end_ns < stream_end_ns) min_on_ms = std::min(min_on_ms, r[i].on_ms());
  }
  std::printf(
      "500 commands in %.2f s: %zu starts, shortest off-time %.2f ms, shortest run %.2f ms\n",
      send_s, r.size(), min_off_ms, min_on_ms);
  EXPECT_LE(static_cast<int>(r.size()), kStartBudget);
  EXPECT_GE(min_off_ms, kMinOffMs - 1.0);
  EXPECT_GE(r.size(), 3u);  // the stream was coalesced, not swallowed
  EXPECT_GE(min_on_ms, kMinOnMs - 1.0);
  for (const MotorRun& m : r) {
    std::printf("  %s after %.2f ms off, for %.2f ms\n", m.dir.c_str(), m.off_before_ns / 1e6,
                m.on_ms());
  }
  EXPECT_EQ(count_json(
                "event", [](const object& e) { return json_string(e, "type") == "fault"; }, since),
            0u);
}

// A stop/start stream that keeps the desk moving freely uses up the start budget: the command
// that needs one start too many gets a clear B/event, and a stop is still obeyed at once.
TEST_F(MqttCommandStream, StartsBeyondTheBudgetAreRejectedWithAnEventAndStopsStillWork) {
  ASSERT_TRUE(start_all());
  // Only a starting point between the stream's two targets: how close it lands is not the claim
  // (a loaded host once ended this first move 13 mm off).
  ASSERT_TRUE(move_to(900, 50)) << deskd_->log();
  const auto since = mark();
  for (int i = 0; i < 2 * (kStartBudget + 2); ++i) {
    send("set", i % 2 == 0 ? (i % 4 == 0 ? R"({"height_mm":1000})" : R"({"height_mm":800})")
                           : R"({"action":"stop"})");
    std::this_thread::sleep_for(milliseconds(i % 2 == 0 ? 60 : 700));  // the stream's pace
  }
  auto refused = wait_error("start budget used up", since);
  ASSERT_TRUE(refused) << deskd_->log();
  EXPECT_NE(json_string(*refused, "error").find("try again in"), std::string::npos);
  std::printf("budget: %s\n", json_string(*refused, "error").c_str());
}

}  // namespace
}  // namespace deskd::testing
