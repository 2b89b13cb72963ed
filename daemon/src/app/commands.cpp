#include "app/commands.h"

#include <malloc.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <exception>
#include <iostream>

#include "app/daemon.h"
#include "ble/desk_scan.h"
#include "config/config_loader.h"
#include "config/file_modes.h"
#include "hw/safe_stop.h"
#include "mqtt/discovery.h"
#include "mqtt/mqtt_client.h"
#include "mqtt/topics.h"
#include "platform/log.h"
#include "version.h"

namespace deskd::app {
namespace {

// Loads the config or prints "FILE:LINE:COL: what is wrong".
std::optional<config::Config> load_or_report(const std::string& path) {
  auto r = config::load_config(path);
  if (auto* e = std::get_if<config::ConfigError>(&r)) {
    std::cerr << e->to_string() << "\n";
    return std::nullopt;
  }
  return std::get<config::Config>(std::move(r));
}

// A huge MQTT message (a 4 MiB command) passes through a few copies, on paho's threads and on
// the loop. glibc raises its mmap threshold to the largest block freed (up to 32 MiB), after
// which such copies come from the heaps and stay resident when freed (11 -> 27 MiB after three
// 4 MiB commands). A fixed threshold keeps every large block mmap'ed, returned at free.
void keep_large_allocations_returnable() {
  constexpr int kMmapThreshold = 128 * 1024;  // glibc's initial value
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
}

// Publishes an empty retained message on every topic deskd may have left retained for the desk;
// returns how many.
std::size_t clear_retained(mqtt::MqttClient& client, const mqtt::Topics& topics) {
  std::vector<std::string> topics_to_clear = {topics.availability, topics.state,
                                              topics.schedule,     topics.stats,
                                              topics.progress,     topics.timeline};
  for (const auto& [topic, payload] : mqtt::removal_messages(topics)) {
    topics_to_clear.push_back(topic);
  }
  for (const auto& t : topics_to_clear) client.publish(t, "", 1, true);
  return topics_to_clear.size();
}

enum class ForgetOutcome { kUnreached, kCleared, kOnline };

int report_forget(ForgetOutcome outcome, const config::Config& c) {
  switch (outcome) {
    case ForgetOutcome::kCleared:
      return kExitOk;
    case ForgetOutcome::kOnline:
      std::cerr << "deskd: forget: desk '" << c.desk.id
                << "' is online (its retained availability is 'online'): its deskd is running "
                   "and would publish everything again. Stop it first (systemctl stop deskd), "
                   "or add --force to remove its retained messages anyway\n";
      return kExitFailure;
    case ForgetOutcome::kUnreached:
      break;
  }
  std::cerr << "deskd: forget: could not reach the broker at " << c.mqtt.uri << "\n";
  return kExitFailure;
}

}  // namespace

int run_command_line(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = parse_cli(args);
  if (auto* e = std::get_if<CliError>(&parsed)) {
    std::cerr << "deskd: " << e->message << "\n";
    return e->exit_code;
  }
  const auto& o = std::get<CliOptions>(parsed);
  platform::set_log_level(o.log_level);
  switch (o.mode) {
    case CliOptions::Mode::kHelp:
      std::cout << usage();
      return kExitOk;
    case CliOptions::Mode::kVersion:
      std::cout << "deskd " << kVersion << "\n";
      return kExitOk;
    case CliOptions::Mode::kCheckConfig:
      return run_check_config(o);
    case CliOptions::Mode::kSafeStop:
      return run_safe_stop(o);
    case CliOptions::Mode::kForget:
      return run_forget(o);
    case CliOptions::Mode::kScan:
      return run_scan(o);
    case CliOptions::Mode::kRun:
      return run_daemon(o);
  }
  return kExitFailure;
}

int run_check_config(const CliOptions& o) {
  auto c = load_or_report(o.config_path);
  if (!c) return kExitConfig;
  std::cout << config::effective_config_toml(*c);
  std::cerr << o.config_path << ": configuration OK\n";
  return kExitOk;
}

int run_scan(const CliOptions& o) {
  ble::ScanOptions scan;
  if (!o.config_path.empty()) {
    auto c = load_or_report(o.config_path);
    if (!c) return kExitConfig;
    if (c->ble) scan.adapter = c->ble->adapter;
  }
  scan.duration = std::chrono::seconds(o.scan_seconds);
  scan.pair = o.pair;
  return ble::scan_desks(scan, std::cout, std::cerr);
}

int run_safe_stop(const CliOptions& o) {
  auto c = load_or_report(o.config_path);
  if (!c) return kExitConfig;
  if (o.simulate || c->gpio.backend == config::Backend::kSim) {
    std::cerr << "deskd: safe-stop: the simulated desk has no outputs to release\n";
    return kExitOk;
  }
  if (c->ble) {  // deskd's own exit sent stop; without commands the desk stops by itself
    std::cerr << "deskd: safe-stop: a Bluetooth desk has no outputs to release (it stops by "
                 "itself about a second after its last command)\n";
    return kExitOk;
  }
  if (auto e = hw::safe_stop(c->gpio)) {
    std::cerr << "deskd: safe-stop: " << *e << "\n";
    return kExitFailure;
  }
  std::cerr << "deskd: motor outputs driven inactive\n";
  return kExitOk;
}

// --forget: clears the desk's retained messages, unless its retained availability says its
// deskd is running (that deskd would publish them again, and its "online" would be gone while
// it runs) and --force was not given. The broker sends the retained availability right after
// the SUBACK; kAvailabilityWait bounds how long to wait for it.
int run_forget(const CliOptions& o) {
  constexpr auto kAvailabilityWait = std::chrono::milliseconds(1000);
  auto c = load_or_report(o.config_path);
  if (!c) return kExitConfig;
  boost::asio::io_context io;
  const mqtt::Topics topics =
      mqtt::make_topics(c->mqtt.base_topic, c->desk.id, c->mqtt.discovery_prefix);
  mqtt::MqttClient client(
      io, c->mqtt,
      (c->mqtt.client_id.empty() ? "deskd-" + c->desk.id : c->mqtt.client_id) + "-forget", "");
  auto outcome = ForgetOutcome::kUnreached;
  std::optional<std::string> availability;
  boost::asio::steady_timer settle(io);
  auto finish = [&] {
    if (availability == "online" && !o.force) {
      outcome = ForgetOutcome::kOnline;
    } else {
      outcome = ForgetOutcome::kCleared;
      std::cerr << "deskd: removed " << clear_retained(client, topics)
                << " retained topics of desk '" << c->desk.id << "'\n";
    }
    client.stop(std::chrono::seconds(5));
    io.stop();
  };
  client.set_subscriptions({topics.availability});
  client.set_message_handler([&](const mqtt::InMessage& m) {
    if (m.topic != topics.availability || !m.retained || availability) return;
    availability = m.payload;
    settle.cancel();
  });
  client.set_on_connected([&] {
    if (availability) return finish();
    settle.expires_after(kAvailabilityWait);
    settle.async_wait([&](const boost::system::error_code&) { finish(); });
  });
  boost::asio::steady_timer timeout(io, std::chrono::seconds(10));
  timeout.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) io.stop();
  });
  client.start();
  io.run();
  return report_forget(outcome, *c);
}

int run_daemon(const CliOptions& o) {
  auto c = load_or_report(o.config_path);
  if (!c) return kExitConfig;
  for (const auto& w : config::secret_file_warnings(*c)) platform::log_warning(w);
  keep_large_allocations_returnable();
  const bool simulate = o.simulate || c->gpio.backend == config::Backend::kSim;
  if (o.time_scale && !simulate) {
    std::cerr << "deskd: --time-scale is refused without simulation (use --simulate or "
                 "[gpio] backend = \"sim\")\n";
    return kExitFailure;  // a command-line error, not one in the file (78 names FILE:LINE:COL)
  }
  try {
    Daemon daemon(std::move(*c), o);
    return daemon.run();
  } catch (const std::exception& e) {
    // The Daemon's destructor (and the backend's) already made the outputs inactive.
    platform::log_error(std::string("fatal: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace deskd::app
