// Power cuts: deskd is SIGKILLed again and again while it saves under load (moves, schedule and
// preset changes, statistics), often exactly inside the write / fsync / rename of a state file
// (the crash shim, tests/support/crash_shim.c, kills it at a chosen call). After every cut the
// state directory must parse cleanly and hold nothing older than the last save deskd completed,
// as far as the test can know that from what deskd published before the cut.
//
// DESKD_POWER_CUTS sets the number of cuts (default 24, ~25 s: each kill point twice, plus random
// kills). The long run (not in CI, ~4 min):
//   DESKD_POWER_CUTS=200 build/tests/deskd_integration_tests --gtest_filter='PowerCut.*'
// DESKD_POWER_CUT_SEED repeats a run's random choices.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "config/scheduler_memory_file.h"
#include "config/state_store.h"
#include "core/stats_codec.h"
#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kDefaultSitMinutes = 30;

// Where the shim kills: one file-system call on a state file, before or after it runs (torn:
// half a write). "external" is a SIGKILL from the test at a random moment, with every state-file
// call slowed by 2 ms so that a share of those land inside a save too.
struct KillPoint {
  std::string op;  // write | fsync | rename | dirfsync | external
  std::string when;
};
const std::vector<KillPoint> kKillPoints = {
    {"write", "before"},   {"write", "torn"},    {"write", "after"},  {"fsync", "before"},
    {"fsync", "after"},    {"rename", "before"}, {"rename", "after"}, {"dirfsync", "before"},
    {"dirfsync", "after"}, {"external", ""},     {"external", ""},    {"external", ""}};

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// A value the test sent and whether deskd is known to have saved it.
struct Sent {
  std::string transaction;
  int value = 0;
  bool completed = false;
};

// The values a restart may find: the last completed one or any sent after it (none completed:
// also the value before the first send).
std::vector<int> acceptable(const std::vector<Sent>& sent, int initial) {
  std::vector<int> ok;
  std::size_t from = 0;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (sent[i].completed) from = i;
  }
  const bool any = std::any_of(sent.begin(), sent.end(), [](const Sent& s) { return s.completed; });
  if (!any) ok.push_back(initial);
  for (std::size_t i = any ? from : 0; i < sent.size(); ++i) ok.push_back(sent[i].value);
  return ok;
}

bool contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string history(const std::vector<Sent>& sent) {
  std::string s;
  for (const auto& x : sent)
    s += x.transaction + "=" + std::to_string(x.value) + (x.completed ? "* " : " ");
  return s;
}

std::string join(const std::vector<int>& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

class PowerCut : public MqttDeskTest {
 protected:
  // Every state file, read by deskd's own readers from a copy of the directory (a reader sets a
  // corrupt file aside; the copy keeps the evidence in place). Empty when all parse cleanly.
  std::vector<std::string> parse_problems(const std::string& state_dir) {
    const std::string copy = make_temp_dir("deskd-powercut-copy");
    fs::copy(state_dir, copy, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    config::StateStore store(copy);
    std::vector<std::string> problems = store.load_desk().warnings;
    for (auto& w : store.load_settings().warnings) problems.push_back(w);
    std::string error;
    if (auto text = store.load_text("stats.txt", &problems)) {
      if (!core::parse_stats(*text, &error)) problems.push_back("stats.txt: " + error);
    }
    if (auto text = store.load_text("scheduler.txt", &problems)) {
      if (!config::parse_scheduler_memory(*text, &error))
        problems.push_back("scheduler.txt: " + error);
    }
    fs::remove_all(copy);
    return problems;
  }

  // Temporary files of interrupted saves ("<file>.tmp-<pid>-<n>"); with `except_pid`, only
  // those of other processes (a save of the running deskd may be in progress).
  static int count_temp_files(const std::string& dir, pid_t except_pid = -1) {
    int n = 0;
    const std::string own = ".tmp-" + std::to_string(except_pid) + "-";
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (name.find(".tmp-") == std::string::npos) continue;
      if (except_pid > 0 && name.find(own) != std::string::npos) continue;
      ++n;
    }
    return n;
  }

  // Scans what deskd published in this cycle, in its order (one loop thread publishes all):
  //  - a settings change answered "ok" while the motor was off was saved before the answer;
  //  - one answered while the motor ran is saved when it stops (deskd does not fsync while
  //    driving), after the stopped state goes out: it is known saved once a stopped state and
  //    then an answer to a later request (a later handler, so the stop's saves are done) follow;
  //  - the transitions of a stopped state are saved at that stop: known once an answer follows.
  void account_completed(std::size_t since) {
    const auto all = observer_->messages();
    bool driving = false;
    std::vector<Sent*> waiting_stop, waiting_handler;
    std::vector<std::pair<std::string, std::int64_t>> transitions_waiting;
    for (std::size_t i = since; i < all.size(); ++i) {
      const auto& m = all[i];
      if (m.topic.starts_with(topic("response/"))) {
        for (auto* a : waiting_handler) a->completed = true;
        waiting_handler.clear();
        for (const auto& [date, t] : transitions_waiting) {
          auto& best = transitions_completed_[date];
          best = std::max(best, t);
        }
        transitions_waiting.clear();
        const auto r = json_object(m.payload);
        const bool settings =
            m.topic == topic("response/schedule/set") || m.topic == topic("response/presets/set");
        if (!settings || json_string(r, "status") != "ok") continue;
        auto& list = m.topic == topic("response/schedule/set") ? schedule_sent_ : presets_sent_;
        for (auto& s : list) {
          if (s.transaction != json_string(r, "transaction")) continue;
          if (driving) {
            waiting_stop.push_back(&s);
          } else {
            s.completed = true;
          }
        }
      } else if (m.topic == topic("state")) {
        const auto s = json_object(m.payload);
        driving = json_string(s, "motion") != "stopped";
        if (driving) continue;
        for (auto* a : waiting_stop) waiting_handler.push_back(a);
        waiting_stop.clear();
        const std::string date = json_string(s, "now").substr(0, 10);
        if (auto t = json_int(s, "transitions_today"); t && !date.empty()) {
          transitions_waiting.emplace_back(date, *t);
        }
      }
    }
  }

  // After a restart: the saved schedule, presets and statistics are what the test expects.
  void check_restart(int cycle) {
    // An SD card must not fill up with the leftovers of power cuts.
    EXPECT_EQ(count_temp_files(deskd_->state_dir(), deskd_->process().pid()), 0)
        << "cycle " << cycle << ": temporary files of interrupted saves were left behind";
    auto sched = request("schedule/get");
    ASSERT_TRUE(sched.has_value()) << "cycle " << cycle << ": no schedule/get answer\n"
                                   << deskd_->log();
    const auto& data = (*sched)["data"].as_object();
    const int sit = static_cast<int>(json_int(data, "sit_minutes").value_or(-1));
    const auto ok_sit = acceptable(schedule_sent_, kDefaultSitMinutes);
    EXPECT_TRUE(contains(ok_sit, sit))
        << "cycle " << cycle << ": sit_minutes " << sit << " not in {" << join(ok_sit)
        << "}; sent (* known saved): " << history(schedule_sent_);

    auto state = fresh_state();
    ASSERT_TRUE(state.has_value()) << "cycle " << cycle << ": no state\n" << deskd_->log();
    int preset = 0;  // no "seq" preset yet
    if (const auto* p = state->if_contains("presets"); p && p->is_object()) {
      if (auto v = json_int(p->as_object(), "seq")) preset = static_cast<int>(*v);
    }
    const auto ok_preset = acceptable(presets_sent_, 0);
    EXPECT_TRUE(contains(ok_preset, preset))
        << "cycle " << cycle << ": preset " << preset << " not in {" << join(ok_preset)
        << "}; sent (* known saved): " << history(presets_sent_);

    auto stats = request("stats/get", Json{{"days", 7}});
    ASSERT_TRUE(stats.has_value()) << "cycle " << cycle << ": no stats/get answer";
    std::map<std::string, std::int64_t> restored;
    for (const auto& d : (*stats)["data"].as_object()["days"].as_array()) {
      restored[json_string(d.as_object(), "date")] =
          json_int(d.as_object(), "transitions").value_or(0);
    }
    for (const auto& [date, completed] : transitions_completed_) {
      EXPECT_GE(restored[date], completed)
          << "cycle " << cycle << ": transitions on " << date << " went back";
    }
  }

  // Random load until `window` has passed or deskd died (the shim killed it).
  void load(std::mt19937& rng, milliseconds window) {
    const auto end = Clock::now() + window;
    std::uniform_int_distribution<int> pick(0, 9);
    while (Clock::now() < end && deskd_->process().running()) {
      const int a = pick(rng);
      if (a <= 3) {
        send("set", "{\"height_mm\":" +
                        std::to_string(std::uniform_int_distribution<int>(650, 1200)(rng)) + "}");
      } else if (a <= 5) {
        const int v = 5 + (++seq_ % 200);
        const std::string t = "s" + std::to_string(seq_);
        schedule_sent_.push_back({t, v});
        send("request/schedule/set",
             "{\"sit_minutes\":" + std::to_string(v) + ",\"transaction\":\"" + t + "\"}");
      } else if (a <= 7) {
        const int v = 650 + (++seq_ % 600);
        const std::string t = "p" + std::to_string(seq_);
        presets_sent_.push_back({t, v});
        send("request/presets/set",
             "{\"presets\":{\"seq\":" + std::to_string(v) + "},\"transaction\":\"" + t + "\"}");
      } else if (a == 8) {
        send("request/stats/get", "{\"days\":3}");
      } else {
        send("get", "");
      }
      // random gaps between requests: the load's pace, not a wait for a result
      std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, 120)(rng)));
    }
  }

  std::vector<Sent> schedule_sent_;
  std::vector<Sent> presets_sent_;
  std::map<std::string, std::int64_t> transitions_completed_;
  int seq_ = 0;
};

TEST_F(PowerCut, EveryRestartFindsParseableFilesAndEverySaveThatCompleted) {
  const int cuts = env_int("DESKD_POWER_CUTS", 24);
  const unsigned seed =
      static_cast<unsigned>(env_int("DESKD_POWER_CUT_SEED", std::random_device{}()));
  std::mt19937 rng(seed);
  std::cout << "power cut: seed " << seed << ", " << cuts << " cuts" << std::endl;
  start_broker();
  connect_observer();
  options_.desk_id = "itest";
  const std::string state_dir = make_temp_dir("deskd-powercut") + "/state";
  const auto deadline = Clock::now() + seconds(20 + 8 * cuts);  // bounded in time as in count

  std::map<std::string, int> hits;  // "fsync before stats.txt" -> count
  int external = 0, external_inside = 0, at_start = 0, survived = 0;
  for (int cycle = 0; cycle < cuts && Clock::now() < deadline; ++cycle) {
    const KillPoint kp = kKillPoints[static_cast<std::size_t>(cycle) % kKillPoints.size()];
    DeskdOptions o = desk_options();
    o.state_dir = state_dir;
    o.extra_args = {"--time-scale", "10"};
    o.schedule_toml = all_day_schedule_toml("sit_minutes = 30\nstand_minutes = 20\n");
    o.env = {{"LD_PRELOAD", DESKD_CRASH_SHIM}, {"DESKD_CRASH_DIR", state_dir}};
    if (kp.op == "external") {
      o.env["DESKD_CRASH_PAUSE_US"] = "2000";
    } else {
      o.env["DESKD_CRASH_OP"] = kp.op;
      o.env["DESKD_CRASH_WHEN"] = kp.when;
      o.env["DESKD_CRASH_AT"] = std::to_string(std::uniform_int_distribution<int>(1, 10)(rng));
    }
    const auto since = mark();
    deskd_ = std::make_unique<DeskdProcess>(o);
    const bool ready = deskd_->start();
    if (ready && deskd_->process().wait_for_log("MQTT connected to", seconds(10))) {
      if (cycle > 0) check_restart(cycle);
      if (::testing::Test::HasFatalFailure()) return;
      send("set", R"({"action":"calibrate"})");
      load(rng, milliseconds(std::uniform_int_distribution<int>(300, 2500)(rng)));
    } else {
      ASSERT_FALSE(deskd_->process().running()) << "deskd neither ready nor dead:\n"
                                                << deskd_->log();
    }
    const bool by_shim = !deskd_->process().running();
    const bool connected = deskd_->log().find("MQTT connected to") != std::string::npos;
    deskd_->kill9();
    // What deskd published before the cut may still be on its way through the broker: its last
    // will comes after it (the broker sends it once it has read deskd's socket to the end).
    if (connected) {
      EXPECT_TRUE(observer_->wait_for(
          topic("availability"), [](const std::string& p) { return p == "offline"; }, seconds(5),
          since))
          << "cycle " << cycle << ": no last will";
    }
    const std::string log = deskd_->log();
    const auto line = log.find("crash-shim: SIGKILL ");
    if (by_shim) {
      ASSERT_NE(line, std::string::npos) << "deskd died without the shim:\n" << log;
      std::string what = log.substr(line + 20, log.find('\n', line) - line - 20);
      // "fsync before #3 (stats.txt.tmp-123-4)" -> "fsync before stats.txt"
      const auto open = what.find('(');
      std::string file = what.substr(open + 1, what.size() - open - 2);
      file = fs::path(file).filename().string();
      file = file.substr(0, file.find(".tmp-"));
      hits[what.substr(0, what.find(" #")) + " " + file]++;
      if (!ready) ++at_start;
    } else {
      ++external;
      if (count_temp_files(state_dir) > 0) ++external_inside;
    }
    account_completed(since);
    for (const auto& p : parse_problems(state_dir)) ADD_FAILURE() << "cycle " << cycle << ": " << p;
    EXPECT_EQ(log.find("set aside"), std::string::npos) << log;
    ++survived;
  }
  // The last cut is checked like the others: one more start.
  DeskdOptions o = desk_options();
  o.state_dir = state_dir;
  o.extra_args = {"--time-scale", "10"};
  o.schedule_toml = all_day_schedule_toml("sit_minutes = 30\nstand_minutes = 20\n");
  deskd_ = std::make_unique<DeskdProcess>(o);
  ASSERT_TRUE(deskd_->start()) << deskd_->log();
  ASSERT_TRUE(deskd_->process().wait_for_log("MQTT connected to", seconds(10)));
  check_restart(survived);
  EXPECT_EQ(deskd_->log().find("set aside"), std::string::npos) << deskd_->log();
  EXPECT_EQ(deskd_->terminate(), 0);

  int inside = 0;
  for (const auto& [what, n] : hits) {
    std::cout << "power cut: killed " << n << "x at " << what << std::endl;
    inside += n;
  }
  int completed = 0;
  for (const auto& s : schedule_sent_) completed += s.completed;
  for (const auto& s : presets_sent_) completed += s.completed;
  std::cout << "power cut: " << survived << " cuts survived (" << inside
            << " by the shim inside a file call, " << at_start << " of them during start-up; "
            << external << " external at random, " << external_inside
            << " of those left a half-written temp file); "
            << schedule_sent_.size() + presets_sent_.size() << " settings sent, " << completed
            << " known saved; temp files left: " << count_temp_files(state_dir) << std::endl;
  EXPECT_GE(survived, std::min(cuts, 10));
  EXPECT_GT(completed, 0) << "the test never saw a completed save: it checked nothing";
}

}  // namespace
}  // namespace deskd::testing
