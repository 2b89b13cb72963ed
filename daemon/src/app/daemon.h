#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>

#include "app/cli.h"
#include "app/coordinator.h"
#include "app/sim_commands.h"
#include "config/config.h"
#include "config/state_persistence.h"
#include "hw/desk_io_factory.h"
#include "mqtt/mqtt_adapter.h"
#include "platform/deadline_timer.h"
#include "platform/systemd_notifier.h"
#include "ports/clock.h"

namespace deskd::http {
class HttpServer;
}

namespace deskd::app {

// The process: one io_context, one thread. Wires the hardware, the state directory, MQTT, HTTP,
// signals and timers to the Coordinator, which holds all the logic. Construction does the
// start-up work that may throw (hardware); run() serves until SIGTERM/SIGINT or request_stop().
class Daemon {
 public:
  Daemon(config::Config config, const CliOptions& options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Serves until stopped; returns the process exit code. Outputs are inactive when it returns.
  int run();
  // Thread-safe: asks the loop to shut down cleanly (as SIGTERM does).
  void request_stop();

  boost::asio::io_context& io() { return io_; }

 private:
  void start();
  void start_web();
  void start_watchdog();
  void arm_minute();
  void shutdown();
  void on_signal(int signo);
  void reload();
  // What the desk is, for the ready line ("GPIO backend", "Bluetooth desk AA:BB:...", ...).
  std::string backend_name() const;

  config::Config config_;
  CliOptions options_;
  boost::asio::io_context io_;
  ports::SystemClock clock_;
  platform::SystemdNotifier notifier_;
  config::StatePersistence persistence_;
  hw::DeskIoHandle desk_;
  std::optional<SimCommands> sim_commands_;  // B/sim/set, on the simulated desk only
  std::unique_ptr<mqtt::MqttAdapter> mqtt_;
  std::unique_ptr<http::HttpServer> http_;
  boost::asio::signal_set signals_;

  platform::DeadlineTimer motion_timer_;
  platform::DeadlineTimer schedule_timer_;
  platform::DeadlineTimer publish_timer_;
  platform::DeadlineTimer retry_timer_;
  boost::asio::steady_timer minute_timer_;
  boost::asio::steady_timer watchdog_timer_;
  std::optional<Coordinator> coordinator_;
  bool stopping_ = false;
};

}  // namespace deskd::app
