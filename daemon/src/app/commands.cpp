#include "app/commands.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <exception>
#include <iostream>

#include "app/daemon.h"
#include "app/log.h"
#include "config/config_loader.h"
#include "hw/safe_stop.h"
#include "mqtt/discovery.h"
#include "mqtt/mqtt_client.h"
#include "mqtt/topics.h"
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

}  // namespace

int run_command_line(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = parse_cli(args);
  if (auto* e = std::get_if<CliError>(&parsed)) {
    std::cerr << "deskd: " << e->message << "\n";
    return e->exit_code;
  }
  const auto& o = std::get<CliOptions>(parsed);
  set_log_level(o.log_level);
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

int run_safe_stop(const CliOptions& o) {
  auto c = load_or_report(o.config_path);
  if (!c) return kExitConfig;
  if (o.simulate || c->gpio.backend == config::Backend::kSim) {
    std::cerr << "deskd: safe-stop: the simulated desk has no outputs to release\n";
    return kExitOk;
  }
  if (auto e = hw::safe_stop(c->gpio)) {
    std::cerr << "deskd: safe-stop: " << *e << "\n";
    return kExitFailure;
  }
  std::cerr << "deskd: motor outputs driven inactive\n";
  return kExitOk;
}

int run_forget(const CliOptions& o) {
  auto c = load_or_report(o.config_path);
  if (!c) return kExitConfig;
  boost::asio::io_context io;
  const mqtt::Topics topics =
      mqtt::make_topics(c->mqtt.base_topic, c->desk.id, c->mqtt.discovery_prefix);
  mqtt::MqttClient client(
      io, c->mqtt,
      (c->mqtt.client_id.empty() ? "deskd-" + c->desk.id : c->mqtt.client_id) + "-forget", "");
  bool done = false;
  client.set_on_connected([&] {
    std::vector<std::string> topics_to_clear = {topics.availability, topics.state, topics.schedule,
                                                topics.stats, topics.progress};
    for (const auto& [topic, payload] : mqtt::removal_messages(topics)) {
      topics_to_clear.push_back(topic);
    }
    for (const auto& t : topics_to_clear) client.publish(t, "", 1, true);
    std::cerr << "deskd: removed " << topics_to_clear.size() << " retained topics of desk '"
              << c->desk.id << "'\n";
    done = true;
    client.stop(std::chrono::seconds(5));
    io.stop();
  });
  boost::asio::steady_timer timeout(io, std::chrono::seconds(10));
  timeout.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) io.stop();
  });
  client.start();
  io.run();
  if (!done) {
    std::cerr << "deskd: forget: could not reach the broker at " << c->mqtt.uri << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

int run_daemon(const CliOptions& o) {
  auto c = load_or_report(o.config_path);
  if (!c) return kExitConfig;
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
    log_error(std::string("fatal: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace deskd::app
