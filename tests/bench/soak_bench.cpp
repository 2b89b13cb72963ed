// Soak (issue 13 §5): the real deskd on the simulated desk for DESKD_SOAK_DAYS simulated days
// (default 30; 0.25 with DESKD_BENCH_SHORT, as ctest runs it: 22 s) at --time-scale 1000 (the CLI's
// maximum: 30 days take 43 minutes). The schedule runs on working hours every day, presence flips,
// the broker restarts every few simulated hours, random commands and injected faults (stall, sensor
// dropout, obstruction, a handset press, a bad payload) arrive all the time. Printed: RSS, open fds
// and threads at the start, every simulated day and at the end; the statistics checked against what
// deskd published. Exit status 1 when something grew without bound or the books do not add up.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "support/broker.h"
#include "support/deskd_process.h"
#include "support/json_fields.h"
#include "support/mqtt_test_client.h"

namespace {

using namespace deskd::testing;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr double kScale = 1000;
constexpr const char* kPresence = "office/presence";

struct Usage {
  long rss_kib = 0;
  int fds = 0;
  int threads = 0;
  long state_bytes = 0;
  int state_files = 0;
};

Usage usage(pid_t pid, const std::string& state_dir) {
  Usage u;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") in >> u.rss_kib;
    if (key == "Threads:") in >> u.threads;
  }
  std::error_code ec;
  for (const auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    (void)e;
    ++u.fds;
  }
  for (const auto& e : std::filesystem::directory_iterator(state_dir, ec)) {
    ++u.state_files;
    u.state_bytes += static_cast<long>(e.file_size(ec));
  }
  return u;
}

void print_usage(const char* when, double day, const Usage& u) {
  std::printf("soak %-6s day %5.1f: RSS %6ld KiB, fds %3d, threads %2d, state dir %d files %ld B\n",
              when, day, u.rss_kib, u.fds, u.threads, u.state_files, u.state_bytes);
  std::fflush(stdout);
}

// What deskd published, counted across observers (a new one after every broker restart).
struct Tally {
  int posture_changes = 0;
  int schedule_moves = 0;
  int moves = 0;
  int faults = 0;
  int errors = 0;
  std::string posture;
  void take(const std::vector<ReceivedMessage>& all, std::size_t& seen, const std::string& base) {
    for (; seen < all.size(); ++seen) {
      const auto& m = all[seen];
      const auto j = json_object(m.payload);
      if (m.topic == base + "/state") {
        const auto p = json_string(j, "posture");
        if (p == "sitting" || p == "standing") {
          if (!posture.empty() && p != posture) ++posture_changes;
          posture = p;
        }
      } else if (m.topic == base + "/event") {
        const auto t = json_string(j, "type");
        if (t == "move_started") {
          ++moves;
          if (json_string(j, "source") == "schedule") ++schedule_moves;
        }
        if (t == "fault") ++faults;
        if (t == "error") ++errors;
      }
    }
  }
};

std::unique_ptr<MqttTestClient> observer(const Broker& broker, const std::string& base) {
  for (int i = 0; i < 50; ++i) {
    auto c = std::make_unique<MqttTestClient>(broker.port());
    if (c->connect()) {
      c->subscribe(base + "/#");
      return c;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  return nullptr;
}

int run() {
  const bool short_mode = std::getenv("DESKD_BENCH_SHORT") != nullptr;
  const char* d = std::getenv("DESKD_SOAK_DAYS");
  const double days = d ? std::atof(d) : (short_mode ? 0.25 : 30.0);
  const auto real_total = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(days * 86400 / kScale));
  Broker broker;
  DeskdOptions o;
  o.desk_id = "soak";
  o.mqtt_port = broker.port();
  o.extra_args = {"--time-scale", "1000"};
  o.schedule_toml =
      "enabled = true\nmode = \"auto\"\nrequire_time_sync = false\npresence_topic = \"" +
      std::string(kPresence) + "\"\n";
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
    o.schedule_toml += std::string(day) + " = [\"08:00-12:00\", \"13:00-18:00\"]\n";
  }
  DeskdProcess deskd(o);
  if (!deskd.start() || !deskd.process().wait_for_log("MQTT connected to", seconds(10))) {
    std::fprintf(stderr, "deskd did not start:\n%s\n", deskd.log().c_str());
    return 1;
  }
  const std::string base = "deskd/soak";
  auto obs = observer(broker, base);
  std::size_t seen = 0;
  Tally tally;
  obs->publish(kPresence, "on");
  obs->publish(base + "/set", R"({"action":"calibrate"})");
  std::this_thread::sleep_for(seconds(1));
  const pid_t pid = deskd.process().pid();
  const Usage start = usage(pid, deskd.state_dir());
  print_usage("start", 0, start);

  std::mt19937 rng(2026);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const std::vector<std::string> commands = {
      R"({"posture":"standing"})", R"({"posture":"sitting"})", R"({"height_mm":900})",
      R"({"action":"stop"})",      R"({"action":"snooze"})",   R"({"action":"skip"})",
      R"({"action":"confirm"})",   R"({"height_mm":5000})",    "not json"};
  const auto t0 = Clock::now();
  auto next_restart = t0 + seconds(11);  // ~3 simulated hours
  int restarts = 0, presence_flips = 0, faults_injected = 0, commands_sent = 0, day_printed = 0;
  bool present = true;
  long peak_rss = start.rss_kib;
  while (Clock::now() - t0 < real_total) {
    std::this_thread::sleep_for(milliseconds(50));  // 50 s of deskd time per tick
    if (!deskd.process().running()) {
      std::fprintf(stderr, "deskd died:\n%s\n", deskd.log().c_str());
      return 1;
    }
    const double day = std::chrono::duration<double>(Clock::now() - t0).count() * kScale / 86400;
    if (obs) tally.take(obs->messages(), seen, base);
    if (Clock::now() >= next_restart) {
      obs.reset();
      broker.stop();
      std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(100, 2000)(rng)));
      broker.start();
      ++restarts;
      obs = observer(broker, base);
      seen = 0;
      if (obs) obs->publish(kPresence, present ? "on" : "off");
      next_restart =
          Clock::now() + milliseconds(std::uniform_int_distribution<int>(7000, 18000)(rng));
      continue;
    }
    if (!obs) continue;
    if (chance(0.005)) {  // a presence flip every ~3 simulated hours
      present = !present;
      obs->publish(kPresence, present ? "on" : "off");
      ++presence_flips;
    }
    if (chance(0.01)) {  // a command every ~80 simulated minutes
      obs->publish(
          base + "/set",
          commands[std::uniform_int_distribution<std::size_t>(0, commands.size() - 1)(rng)]);
      ++commands_sent;
    }
    if (chance(0.002)) {  // a fault every ~7 simulated hours, then what a user does about it
      const std::vector<std::string> faults = {R"({"fault":"stall"})", R"({"fault":"dropout"})",
                                               R"({"obstruction_at_mm":850})",
                                               R"({"handset":"up","ms":800})"};
      obs->publish(base + "/sim/set",
                   faults[std::uniform_int_distribution<std::size_t>(0, 3)(rng)]);
      obs->publish(base + "/set", R"({"height_mm":1000})");
      std::this_thread::sleep_for(milliseconds(30));
      obs->publish(base + "/sim/set", R"({"clear":true})");
      obs->publish(base + "/set", R"({"action":"clear_fault"})");
      obs->publish(base + "/set", R"({"action":"calibrate"})");
      ++faults_injected;
    }
    if (chance(0.005)) {
      obs->publish(base + "/request/presets/set",
                   "{\"presets\":{\"focus\":" +
                       std::to_string(std::uniform_int_distribution<int>(700, 1200)(rng)) + "}}");
    }
    if (static_cast<int>(day) > day_printed) {
      day_printed = static_cast<int>(day);
      const Usage u = usage(pid, deskd.state_dir());
      peak_rss = std::max(peak_rss, u.rss_kib);
      print_usage("", day, u);
    }
  }
  if (obs) tally.take(obs->messages(), seen, base);
  const Usage end = usage(pid, deskd.state_dir());
  print_usage("end", days, end);

  // The books: deskd's own statistics against what it published.
  auto final_obs = observer(broker, base);
  if (!final_obs) {
    std::fprintf(stderr, "cannot connect to the broker at the end\n");
    return 1;
  }
  // The broker may have been restarted just before the end, and deskd's reconnect back-off
  // reaches 30 s: ask again every 5 s, at most 12 times.
  std::optional<ReceivedMessage> r;
  for (int attempt = 0; attempt < 12 && !r; ++attempt) {
    const auto since = final_obs->count();
    final_obs->publish(base + "/request/stats/get", R"({"days":60,"transaction":"soak"})");
    r = final_obs->wait_for_containing(base + "/response/stats/get", "soak", seconds(5), since);
  }
  if (!r) {
    std::fprintf(stderr, "no stats answer within 60 s\n");
    return 1;
  }
  std::int64_t sit = 0, stand = 0, transitions = 0, auto_moves = 0, worst_day = 0;
  int n_days = 0;
  auto answer = json_object(r->payload);
  const auto* data = answer.if_contains("data");
  if (!data || !data->is_object() || !data->as_object().contains("days")) {
    std::fprintf(stderr, "bad stats answer: %s\n", r->payload.c_str());
    return 1;
  }
  for (const auto& v : data->as_object().at("days").as_array()) {
    const auto& day = v.as_object();
    sit += json_int(day, "sit_s").value_or(0);
    stand += json_int(day, "stand_s").value_or(0);
    transitions += json_int(day, "transitions").value_or(0);
    auto_moves += json_int(day, "auto_moves").value_or(0);
    worst_day = std::max(worst_day,
                         json_int(day, "sit_s").value_or(0) + json_int(day, "stand_s").value_or(0));
    ++n_days;
  }
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - t0).count() * kScale;
  std::printf(
      "soak: %.1f simulated days in %.0f s: %d broker restarts, %d presence flips, %d commands, "
      "%d faults injected (%d fault events, %d error events)\n",
      days, std::chrono::duration<double>(Clock::now() - t0).count(), restarts, presence_flips,
      commands_sent, faults_injected, tally.faults, tally.errors);
  std::printf(
      "soak: statistics over %d days: sit %lld s + stand %lld s = %.1f%% of %.0f s; transitions "
      "%lld (posture changes published: %d); auto moves %lld (schedule moves published: %d)\n",
      n_days, static_cast<long long>(sit), static_cast<long long>(stand),
      100.0 * static_cast<double>(sit + stand) / elapsed_s, elapsed_s,
      static_cast<long long>(transitions), tally.posture_changes,
      static_cast<long long>(auto_moves), tally.schedule_moves);
  std::printf("soak: growth: RSS %+ld KiB (peak %ld KiB), fds %+d, threads %+d, state dir %+ld B\n",
              end.rss_kib - start.rss_kib, peak_rss, end.fds - start.fds,
              end.threads - start.threads, end.state_bytes - start.state_bytes);
  int status = 0;
  auto check = [&](bool ok, const char* what) {
    if (!ok) {
      std::printf("soak: FAILED: %s\n", what);
      status = 1;
    }
  };
  check(sit + stand <= static_cast<std::int64_t>(elapsed_s) + 60, "more time counted than passed");
  check(worst_day <= 86400, "a day with more than 24 h");
  // Broker outages hide the states of moves made meanwhile; each outage can hide a pair.
  check(std::abs(transitions - tally.posture_changes) <= 2 * restarts + 2,
        "transitions differ from the posture changes published");
  check(end.fds <= start.fds + 2, "open file descriptors grew");
  check(end.threads <= start.threads + 1, "threads grew");
  check(end.rss_kib <= start.rss_kib + 2048, "RSS grew by more than 2 MiB");
  check(end.state_files <= start.state_files + 2, "files pile up in the state directory");
  if (deskd.terminate() != 0) check(false, "deskd did not stop cleanly");
  return status;
}

}  // namespace

int main() { return run(); }
