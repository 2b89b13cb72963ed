// MQTT benchmarks (DESIGN.md §11, issue 4), printed as numbers, not asserted:
//  1. Command latency: publishing B/set (real paho client -> loopback mosquitto -> the real deskd
//     binary) to the motor output change, over 1000 commands with mosquitto's set_tcp_nodelay,
//     and 200 more with its default (Nagle) for comparison. deskd's debug log stamps every
//     output change with CLOCK_MONOTONIC; the publish time is taken on the same clock.
//  2. Idle cost: deskd connected to the broker and serving the dashboard, left alone for 60 s
//     (20 s with DESKD_BENCH_SHORT): RSS, private dirty memory, CPU and wake-ups (voluntary +
//     involuntary context switches of all its threads), and the time from exec to " ready: ".
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/broker.h"
#include "support/deskd_process.h"
#include "support/mqtt_test_client.h"
#include "support/process.h"

namespace {

using namespace deskd::testing;
using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC on Linux, as deskd's log stamps

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// ---- 1. Command latency -------------------------------------------------------------------------

struct OutputChange {
  std::string drive;  // up | down | stopped
  std::int64_t ns;
};

// "... outputs <drive> at monotonic <ns> ns" lines of deskd's debug log, in order.
std::vector<OutputChange> output_changes(const std::string& log) {
  std::vector<OutputChange> out;
  std::istringstream in(log);
  std::string line;
  const std::string key = " outputs ";
  while (std::getline(in, line)) {
    const auto k = line.find(key);
    const auto m = line.find(" at monotonic ");
    if (k == std::string::npos || m == std::string::npos || m < k) continue;
    OutputChange c;
    c.drive = line.substr(k + key.size(), m - k - key.size());
    c.ns = std::stoll(line.substr(m + 14));
    out.push_back(c);
  }
  return out;
}

struct Command {
  std::string payload;
  std::string expect;  // the output the command must produce
  std::int64_t published_ns = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// A broker, a deskd on a fast simulated desk without coast or speed noise (a stopped desk stays
// put, so every go command starts the motor at once; no reverse dead time unless the direction
// changes), and a client without Nagle (as a browser or Home Assistant), connected.
struct BenchDesk {
  std::unique_ptr<Broker> broker;
  std::unique_ptr<DeskdProcess> deskd;
  std::unique_ptr<MqttTestClient> client;
};

std::optional<BenchDesk> start_bench_desk(const std::string& id, bool broker_nodelay) {
  BenchDesk b;
  Broker::Options bo;
  bo.tcp_nodelay = broker_nodelay;
  b.broker = std::make_unique<Broker>(bo);
  DeskdOptions o;
  o.desk_id = id;
  o.mqtt_port = b.broker->port();
  o.extra_toml =
      "[sim]\nup_speed_mm_s = 150\ndown_speed_mm_s = 150\nspeed_noise = 0\ncoast_min_mm = 0\n"
      "coast_max_mm = 0\n";
  b.deskd = std::make_unique<DeskdProcess>(o);
  if (!b.deskd->start() ||
      !b.deskd->process().wait_for_log("MQTT connected to", std::chrono::seconds(10))) {
    std::fprintf(stderr, "mqtt_bench: deskd did not start/connect:\n%s\n", b.deskd->log().c_str());
    return std::nullopt;
  }
  b.client = std::make_unique<MqttTestClient>(b.broker->port());
  if (!b.client->connect()) {
    std::fprintf(stderr, "mqtt_bench: client: %s\n", b.client->last_error().c_str());
    return std::nullopt;
  }
  b.client->set_tcp_nodelay();
  return b;
}

int latency_bench(bool nodelay, int pairs) {
  auto bench = start_bench_desk("bench", nodelay);
  if (!bench) return 1;
  DeskdProcess& deskd = *bench->deskd;
  MqttTestClient& client = *bench->client;
  const std::string set = deskd.topic("set");
  // Start mid-range, so that both directions have room (each go/stop pair moves ~1 mm).
  client.publish(set, R"({"height_mm":900})", false, 1);
  if (!deskd.process().wait_for_log("move finished at", std::chrono::seconds(20))) {
    std::fprintf(stderr, "mqtt_bench: the desk did not reach 900 mm:\n%s\n", deskd.log().c_str());
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));

  // Pairs "go" / "stop": each changes the outputs. The direction flips every kRun pairs, after
  // a pause longer than the reverse dead time (500 ms), so the desk stays within its range.
  constexpr int kRun = 100;
  std::vector<Command> commands;
  bool up = true;
  for (int i = 0; i < pairs; ++i) {
    if (i > 0 && i % kRun == 0) {
      // Reverse only once deskd has carried out every command so far (a loaded machine may
      // lag), then wait out the dead time.
      const std::size_t done = 2 + commands.size();  // + the move to 900 mm: up, stopped
      const auto until = Clock::now() + std::chrono::seconds(5);
      while (output_changes(deskd.log()).size() < done && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      up = !up;
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
    }
    Command go{up ? R"({"height_mm":1270})" : R"({"height_mm":620})", up ? "up" : "down"};
    go.published_ns = now_ns();
    client.publish(set, go.payload, false, 1);
    commands.push_back(go);
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    Command stop{R"({"action":"stop"})", "stopped"};
    stop.published_ns = now_ns();
    client.publish(set, stop.payload, false, 1);
    commands.push_back(stop);
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto changes = output_changes(deskd.log());

  // Every command changes the outputs once, in order: the i-th change answers the i-th command.
  // A command whose change is missing (e.g. a stop that found the desk already stopped) is
  // skipped by looking a couple of changes ahead for the expected one.
  std::vector<double> ms;
  // Skip the changes of the set-up move to 900 mm (however many: it may end with a correcting
  // step), so that the look-ahead window starts at the first command's change.
  std::size_t p = 0;
  while (!commands.empty() && p < changes.size() && changes[p].ns < commands.front().published_ns) {
    ++p;
  }
  int unmatched = 0;
  for (const auto& c : commands) {
    std::size_t found = changes.size();
    for (std::size_t q = p; q < changes.size() && q < p + 3; ++q) {
      if (changes[q].drive == c.expect && changes[q].ns >= c.published_ns) {
        found = q;
        break;
      }
    }
    if (found == changes.size()) {
      ++unmatched;
      continue;
    }
    ms.push_back(static_cast<double>(changes[found].ns - c.published_ns) / 1e6);
    p = found + 1;
  }
  const bool faulted = deskd.log().find(" fault ") != std::string::npos;
  std::printf(
      "MQTT command latency (B/set publish -> motor output change), %zu commands, mosquitto "
      "set_tcp_nodelay %s%s:\n",
      commands.size(), nodelay ? "true" : "false (its default: Nagle)",
      faulted ? " [deskd reported a fault]" : "");
  std::printf("  matched %zu, unmatched %d\n", ms.size(), unmatched);
  std::printf("  p50 %.3f ms (target <= 2 ms)\n", percentile(ms, 0.50));
  std::printf("  p99 %.3f ms (target <= 10 ms)\n", percentile(ms, 0.99));
  std::printf("  max %.3f ms\n", ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()));
  deskd.terminate();
  return ms.empty() ? 1 : 0;
}

// ---- 1b. Command -> state feedback at the sender ------------------------------------------------

// The value of `"motion":"..."` in a B/state payload ("" when absent).
std::string motion_of(const std::string& state) {
  const std::string key = "\"motion\":\"";
  const auto k = state.find(key);
  if (k == std::string::npos) return "";
  const auto e = state.find('"', k + key.size());
  return e == std::string::npos ? "" : state.substr(k + key.size(), e - k - key.size());
}

// What the dashboard or Home Assistant sees: B/set published by a client at `qos`, until that
// same client receives the B/state whose "motion" shows the command's effect (up/down for a go,
// stopped for a stop). The clock starts before the publish call and stops in paho's message
// callback, both on the steady clock of this process.
int feedback_bench(int qos, int pairs) {
  auto bench = start_bench_desk("feedback", true);
  if (!bench) return 1;
  DeskdProcess& deskd = *bench->deskd;
  MqttTestClient& client = *bench->client;
  const std::string set = deskd.topic("set");
  const std::string state = deskd.topic("state");
  client.subscribe(state);
  client.publish(set, R"({"height_mm":900})", false, 1);
  if (!deskd.process().wait_for_log("move finished at", std::chrono::seconds(20))) {
    std::fprintf(stderr, "mqtt_bench: the desk did not reach 900 mm:\n%s\n", deskd.log().c_str());
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));

  constexpr int kRun = 25;  // pairs per direction, then a pause past the reverse dead time
  std::vector<double> go_ms, stop_ms;
  int missing = 0;
  bool up = true;
  // After a stop deskd saves its statistics and schedule memory (atomic writes with fsync, on the
  // loop thread: 20-40 ms on a loaded disk); a go sent during that save waits for it. The pause
  // after each feedback keeps that out of this measurement of the MQTT path.
  auto one = [&](const std::string& payload, const std::string& expect, std::vector<double>& out,
                 std::chrono::milliseconds pause) {
    const std::size_t since = client.count();
    const auto t0 = Clock::now();
    client.publish(set, payload, false, qos);
    auto m = client.wait_for(
        state, [&](const std::string& p) { return motion_of(p) == expect; },
        std::chrono::seconds(2), since);
    if (!m) {
      ++missing;
      return;
    }
    out.push_back(std::chrono::duration<double, std::milli>(m->at - t0).count());
    std::this_thread::sleep_for(pause);
  };
  for (int i = 0; i < pairs; ++i) {
    if (i > 0 && i % kRun == 0) {
      up = !up;
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
    }
    one(up ? R"({"height_mm":1270})" : R"({"height_mm":620})", up ? "up" : "down", go_ms,
        std::chrono::milliseconds(5));
    one(R"({"action":"stop"})", "stopped", stop_ms, std::chrono::milliseconds(100));
  }
  // The floor, under the same load: the client's own publish back through the broker to itself
  // (one broker crossing; deskd's path crosses it twice).
  std::vector<double> floor_ms;
  const std::string echo = "bench/floor";
  client.subscribe(echo);
  for (int i = 0; i < 2 * pairs; ++i) {
    const std::size_t since = client.count();
    const auto t0 = Clock::now();
    client.publish(echo, "x", false, qos);
    auto m = client.wait_for(
        echo, [](const std::string&) { return true; }, std::chrono::seconds(2), since);
    if (m) floor_ms.push_back(std::chrono::duration<double, std::milli>(m->at - t0).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::vector<double> all = go_ms;
  all.insert(all.end(), stop_ms.begin(), stop_ms.end());
  std::printf(
      "MQTT command -> state feedback at the sender (B/set at QoS %d -> B/state showing the "
      "motion), %d commands:\n",
      qos, 2 * pairs);
  std::printf("  received %zu, missing %d\n", all.size(), missing);
  std::printf("  go   -> up/down: p50 %.3f ms, p99 %.3f ms\n", percentile(go_ms, 0.5),
              percentile(go_ms, 0.99));
  std::printf("  stop -> stopped: p50 %.3f ms, p99 %.3f ms\n", percentile(stop_ms, 0.5),
              percentile(stop_ms, 0.99));
  std::printf(
      "  all: p50 %.3f ms (target <= 2 ms), p90 %.3f ms, p99 %.3f ms (target <= 5 ms), "
      "max %.3f ms\n",
      percentile(all, 0.5), percentile(all, 0.9), percentile(all, 0.99),
      all.empty() ? 0.0 : *std::max_element(all.begin(), all.end()));
  std::printf(
      "  floor (the client's own publish back to itself, same QoS): p50 %.3f ms, p90 %.3f ms, "
      "p99 %.3f ms\n",
      percentile(floor_ms, 0.5), percentile(floor_ms, 0.9), percentile(floor_ms, 0.99));
  deskd.terminate();
  return all.empty() ? 1 : 0;
}

// ---- 1c. Start-up -> retained "online" at a client ----------------------------------------------

// Milliseconds from the " at <HH:MM:SS.mmm>" stamp of the first log line containing `a` to the
// one containing `b` (-1 when either is missing).
double log_gap_ms(const std::string& log, const std::string& a, const std::string& b) {
  auto stamp = [&](const std::string& needle) -> double {
    const auto k = log.find(needle);
    if (k == std::string::npos) return -1;
    const auto line = log.rfind('\n', k);
    const std::string s = log.substr(line == std::string::npos ? 0 : line + 1, 12);
    if (s.size() < 12 || s[2] != ':' || s[8] != '.') return -1;
    return ((std::stoi(s.substr(0, 2)) * 60 + std::stoi(s.substr(3, 2))) * 60 +
            std::stoi(s.substr(6, 2))) *
               1000.0 +
           std::stoi(s.substr(9, 3));
  };
  const double ta = stamp(a), tb = stamp(b);
  return ta < 0 || tb < 0 ? -1 : tb - ta;
}

int startup_bench(int runs) {
  Broker::Options bo;
  bo.tcp_nodelay = true;
  Broker broker(bo);
  MqttTestClient client(broker.port());
  if (!client.connect()) {
    std::fprintf(stderr, "mqtt_bench: client: %s\n", client.last_error().c_str());
    return 1;
  }
  std::vector<double> online_ms, connect_ms;
  for (int i = 0; i < runs; ++i) {
    DeskdOptions o;
    o.desk_id = "startup" + std::to_string(i);  // a fresh desk: no retained "offline" before
    o.mqtt_port = broker.port();
    o.http_port = free_port();
    DeskdProcess writer(o);  // writes the config; deskd is started by hand for the timing
    const std::string topic = writer.topic("availability");
    client.subscribe(topic);
    const std::string dir = make_temp_dir("deskd-bench-startup");
    const std::size_t since = client.count();
    const auto t0 = Clock::now();
    Process deskd({DESKD_BINARY, "--config", writer.config_path()}, dir + "/deskd.log");
    auto m = client.wait_for(
        topic, [](const std::string& p) { return p == "online"; }, std::chrono::seconds(10), since);
    if (m) online_ms.push_back(std::chrono::duration<double, std::milli>(m->at - t0).count());
    deskd.wait_for_log(" ready: ", std::chrono::seconds(2));
    const double gap = log_gap_ms(deskd.log(), "MQTT: connecting", "MQTT: connected");
    if (gap >= 0) connect_ms.push_back(gap);
    deskd.stop(std::chrono::milliseconds(5000));
  }
  std::printf("deskd start-up -> retained \"online\" at a subscribed client, %d runs:\n", runs);
  std::printf("  received %zu; median %.1f ms (target <= 50 ms), max %.1f ms\n", online_ms.size(),
              percentile(online_ms, 0.5),
              online_ms.empty() ? 0.0 : *std::max_element(online_ms.begin(), online_ms.end()));
  std::printf("  deskd's log \"MQTT: connecting\" -> \"connected\": median %.0f ms (1 ms stamps)\n",
              percentile(connect_ms, 0.5));
  return online_ms.empty() ? 1 : 0;
}

// ---- 2. Idle cost -------------------------------------------------------------------------------

// A numeric field "<key>: <n> ..." of a /proc status-like file (0 when missing).
long proc_field(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
  }
  return 0;
}

// utime + stime of the whole process, in clock ticks.
long cpu_ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = all.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(all.substr(close + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; rest >> field; ++i) {  // field 3 is the state
    if (i == 14) utime = std::stol(field);
    if (i == 15) {
      stime = std::stol(field);
      break;
    }
  }
  return utime + stime;
}

// Context switches (voluntary + involuntary) per thread, keyed by "tid comm".
std::map<std::string, long> switches(pid_t pid) {
  std::map<std::string, long> out;
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  for (const auto& t : std::filesystem::directory_iterator(dir, ec)) {
    const std::string status = t.path().string() + "/status";
    std::string comm;
    std::ifstream(t.path().string() + "/comm") >> comm;
    out[t.path().filename().string() + " " + comm] =
        proc_field(status, "voluntary_ctxt_switches") +
        proc_field(status, "nonvoluntary_ctxt_switches");
  }
  return out;
}

bool http_get_ok(int port) {
  std::string out;
  const int rc = run_command({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                              "http://127.0.0.1:" + std::to_string(port) + "/"},
                             out, std::chrono::seconds(5));
  return rc == 0 && out.find("200") != std::string::npos;
}

int idle_bench() {
  const bool short_run = std::getenv("DESKD_BENCH_SHORT") != nullptr;
  const int window_s = short_run ? 20 : 60;
  Broker broker;
  DeskdOptions o;
  o.desk_id = "benchidle";
  o.mqtt_port = broker.port();
  o.http_port = free_port();
  // deskd itself at its default log level: the debug log is for the latency benchmark only.
  const std::string dir = make_temp_dir("deskd-bench-idle");
  DeskdProcess config_writer(o);  // writes the config; started by hand below for precise timing
  const auto t0 = Clock::now();
  Process deskd({DESKD_BINARY, "--config", config_writer.config_path()}, dir + "/deskd.log");
  double ready_ms = -1;
  while (Clock::now() - t0 < std::chrono::seconds(10) && deskd.running()) {
    if (deskd.log().find(" ready: ") != std::string::npos) {
      ready_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  if (ready_ms < 0 || !deskd.wait_for_log("MQTT connected to", std::chrono::seconds(10))) {
    std::fprintf(stderr, "mqtt_bench: idle deskd did not start/connect:\n%s\n",
                 deskd.log().c_str());
    return 1;
  }
  long self_us = -1;
  {
    const std::string log = deskd.log();
    const auto k = log.find("(start-up ");
    if (k != std::string::npos) self_us = std::stol(log.substr(k + 10));
  }
  const bool serving = http_get_ok(o.http_port);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // connection and first publishes done

  const pid_t pid = deskd.pid();
  const std::string proc = "/proc/" + std::to_string(pid);
  const long ticks0 = cpu_ticks(pid);
  const auto sw0 = switches(pid);
  const auto w0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(window_s));
  const double elapsed = std::chrono::duration<double>(Clock::now() - w0).count();
  const long ticks1 = cpu_ticks(pid);
  const auto sw1 = switches(pid);
  const long rss_kib = proc_field(proc + "/status", "VmRSS");
  const long dirty_kib = proc_field(proc + "/smaps_rollup", "Private_Dirty");

  const double cpu_pct = 100.0 * static_cast<double>(ticks1 - ticks0) /
                         static_cast<double>(sysconf(_SC_CLK_TCK)) / elapsed;
  long total = 0;
  std::string per_thread;
  for (const auto& [name, n] : sw1) {
    const auto it = sw0.find(name);
    const long d = n - (it == sw0.end() ? 0 : it->second);
    total += d;
    char buf[96];
    std::snprintf(buf, sizeof buf, "    %-28s %.2f/s\n", name.c_str(),
                  static_cast<double>(d) / elapsed);
    per_thread += buf;
  }
  std::printf("deskd idle over %.0f s (connected to MQTT, dashboard %s on :%d):\n", elapsed,
              serving ? "serving" : "NOT serving", o.http_port);
  std::printf("  RSS            %.2f MiB (target <= 12 MiB)\n", rss_kib / 1024.0);
  std::printf("  private dirty  %.2f MiB (target <= 3 MiB)\n", dirty_kib / 1024.0);
  std::printf("  CPU            %.3f %% (target <= 0.3 %%)\n", cpu_pct);
  std::printf("  wake-ups       %.2f /s (target <= 4/s); per thread:\n%s",
              static_cast<double>(total) / elapsed, per_thread.c_str());
  std::printf(
      "  start-up       %.1f ms exec -> \" ready: \" (target <= 100 ms); deskd's own "
      "start-up %.1f ms\n",
      ready_ms, self_us / 1000.0);
  deskd.stop(std::chrono::milliseconds(5000));
  return 0;
}

// A numeric field "<key> <n>" of the fault shim's counter file (0 when missing).
long shim_count(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string k;
  long v = 0;
  while (in >> k >> v) {
    if (k == key) return v;
  }
  return 0;
}

// The state directory's wear while the desk stands idle (someone sitting, the schedule off):
// deskd at --time-scale 60, so 60 real seconds are one deskd hour. Counts file writes and fsyncs
// in the state directory (the fault shim, no faults armed) and the process's write_bytes and
// wchar from /proc/PID/io, per idle deskd hour. DESKD_BENCH_BINARY measures another build.
int storage_idle_bench() {
  const bool short_run = std::getenv("DESKD_BENCH_SHORT") != nullptr;
  const int window_s = short_run ? 20 : 60;
  constexpr double kScale = 60;
  Broker broker;
  const std::string dir = make_temp_dir("deskd-bench-storage");
  DeskdOptions o;
  o.desk_id = "benchstorage";
  o.mqtt_port = broker.port();
  o.state_dir = dir + "/state";
  std::filesystem::create_directories(o.state_dir);
  DeskdProcess config_writer(o);
  const char* binary = std::getenv("DESKD_BENCH_BINARY");
  const std::string counts = dir + "/io-counts";
  Process deskd({binary ? binary : DESKD_BINARY, "--config", config_writer.config_path(),
                 "--time-scale", "60"},
                dir + "/deskd.log",
                {{"LD_PRELOAD", DESKD_FAULT_SHIM},
                 {"DESKD_FAULT_DIR", o.state_dir},
                 {"DESKD_FAULT_STATS", counts}});
  if (!deskd.wait_for_log("MQTT connected to", std::chrono::seconds(10))) {
    std::fprintf(stderr, "mqtt_bench: storage deskd did not start:\n%s\n", deskd.log().c_str());
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));  // start-up saves done
  const std::string io = "/proc/" + std::to_string(deskd.pid()) + "/io";
  auto io_field = [&](const char* key) {
    std::ifstream in(io);
    std::string k;
    long v = 0;
    while (in >> k >> v) {
      if (k == std::string(key) + ":") return v;
    }
    return 0L;
  };
  const long fsyncs0 = shim_count(counts, "fsyncs"), bytes0 = shim_count(counts, "write_bytes");
  const long wb0 = io_field("write_bytes"), wchar0 = io_field("wchar");
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(window_s));
  const double hours = std::chrono::duration<double>(Clock::now() - t0).count() * kScale / 3600;
  const long fsyncs = shim_count(counts, "fsyncs") - fsyncs0;
  const long bytes = shim_count(counts, "write_bytes") - bytes0;
  const long wb = io_field("write_bytes") - wb0, wchar = io_field("wchar") - wchar0;
  std::printf(
      "state directory, idle desk (someone sitting, schedule off), per deskd hour "
      "(x60, %.2f h measured)%s:\n",
      hours, binary ? (std::string(" of ") + binary).c_str() : "");
  std::printf("  file bytes written   %.0f /h\n", bytes / hours);
  std::printf("  fsyncs               %.0f /h (%.0f /day)\n", fsyncs / hours, fsyncs / hours * 24);
  std::printf("  /proc write_bytes    %.0f /h (block layer)\n", wb / hours);
  std::printf("  /proc wchar          %.0f /h (all write() calls, MQTT included)\n", wchar / hours);
  deskd.stop(std::chrono::milliseconds(5000));
  return 0;
}

}  // namespace

int main() {
  if (std::getenv("DESKD_BENCH_STORAGE_ONLY")) return storage_idle_bench();
  // The measurement: 1000 commands through a broker that sends without delay. Then, for
  // comparison, mosquitto's default (Nagle's algorithm on its sockets): a command can wait for
  // the TCP acknowledgement of the broker's previous PUBACK to deskd (delayed ACK, up to 40 ms).
  const bool short_run = std::getenv("DESKD_BENCH_SHORT") != nullptr;
  // DESKD_BENCH_FEEDBACK_ONLY: just the sender's view (feedback at QoS 1 and 0, start-up).
  const bool feedback_only = std::getenv("DESKD_BENCH_FEEDBACK_ONLY") != nullptr;
  int rc = feedback_only ? 0 : latency_bench(true, 500);
  rc |= feedback_bench(1, short_run ? 50 : 100);
  rc |= feedback_bench(0, short_run ? 50 : 100);
  rc |= startup_bench(short_run ? 5 : 10);
  if (feedback_only || std::getenv("DESKD_BENCH_LATENCY_ONLY")) return rc;
  rc |= latency_bench(false, 100);
  rc |= idle_bench();
  rc |= storage_idle_bench();
  return rc;
}
