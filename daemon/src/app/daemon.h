#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>

#include "app/cli.h"
#include "app/deadline_timer.h"
#include "app/systemd_notifier.h"
#include "config/config.h"
#include "config/state_store.h"
#include "core/motion_controller.h"
#include "core/posture_stats.h"
#include "core/scheduler.h"
#include "hw/desk_io_factory.h"
#include "mqtt/command_codec.h"
#include "mqtt/mqtt_client.h"
#include "mqtt/state_view.h"
#include "mqtt/topics.h"
#include "ports/clock.h"

namespace deskd::http {
class HttpServer;
}

namespace deskd::app {

// The daemon: one io_context, one thread, owning every piece of state. Hardware, MQTT and HTTP
// adapters call back into it on that thread only. Construction does the start-up work that may
// throw (hardware); run() serves until SIGTERM/SIGINT or request_stop().
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
  // Start-up and shutdown.
  void start();
  void shutdown();
  void on_signal(int signo);
  void reload();

  // Motion.
  void on_inputs(const ports::InputState& inputs);
  void on_motion_deadline();
  void motion(const core::MotionInput& input, const std::string& command_text = {});
  void apply(const core::MotionEffects& fx, const std::string& command_text);
  void on_notice(const core::MotionNotice& n);
  std::optional<std::string> go_to(int mm, const std::string& source);

  // Schedule and statistics.
  core::ScheduleInputs schedule_inputs();
  void update_schedule();
  void on_schedule_events(std::vector<core::ScheduleEvent>& events);
  void on_save_timer();
  core::Posture posture_of(std::optional<double> height) const;
  void posture_may_have_changed();
  void update_stats();

  // MQTT.
  void on_mqtt_connected();
  void on_mqtt_message(const mqtt::InMessage& m);
  void execute(const mqtt::Command& c, const std::string& text);
  void on_request(const std::string& op, const mqtt::InMessage& m);
  void on_sim_set(const std::string& payload);
  void on_presence(const std::string& payload);
  void publish_state_soon();
  void publish_state_now();
  void publish_event(const std::string& type, boost::json::object fields);
  void publish_error(const std::string& message, const std::string& command);
  void publish_schedule();
  void publish_stats();
  void publish_discovery();
  mqtt::StateView state_view();

  // Persistence.
  void save_desk_state(bool clean_shutdown);
  void save_settings();
  void save_stats();

  config::Config config_;
  CliOptions options_;
  boost::asio::io_context io_;
  ports::Clock clock_;
  SystemdNotifier notifier_;
  config::StateStore store_;
  hw::DeskIoHandle desk_;
  std::optional<core::MotionController> motion_;
  std::optional<core::Scheduler> scheduler_;
  core::PostureStats stats_;
  mqtt::Topics topics_;
  std::unique_ptr<mqtt::MqttClient> mqtt_;
  std::unique_ptr<http::HttpServer> http_;
  boost::asio::signal_set signals_;

  DeadlineTimer motion_timer_;
  DeadlineTimer schedule_timer_;
  DeadlineTimer publish_timer_;
  boost::asio::steady_timer save_timer_;
  boost::asio::steady_timer watchdog_timer_;

  // Run-time settings (persisted in the state directory).
  core::ScheduleSettings schedule_settings_;
  std::map<std::string, int> presets_;
  int sit_height_mm_;
  int stand_height_mm_;

  bool present_ = true;            // the last presence payload (or the start-up assumption)
  bool broker_connected_ = false;  // with a presence topic: presence is unknown while false
  bool present() const {
    return present_ && (schedule_settings_.presence_topic.empty() || broker_connected_);
  }
  bool simulated_clock_ = false;
  bool stopping_ = false;
  bool desk_state_dirty_ = false;  // a save waits for the motor to stop
  bool settings_dirty_ = false;
  core::Posture last_posture_ = core::Posture::kUnknown;
  std::optional<core::Posture> auto_move_posture_;  // an automatic move is in progress
  std::string last_state_payload_;
  std::string last_discrete_state_;  // motion/posture/fault/phase last published
  core::SteadyTime last_state_publish_{};
  std::optional<double> last_saved_height_;
};

}  // namespace deskd::app
