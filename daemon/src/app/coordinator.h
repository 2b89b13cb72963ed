#pragma once

#include <boost/json/object.hpp>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/state_persistence.h"
#include "config/config.h"
#include "core/motion_controller.h"
#include "core/posture_rules.h"
#include "core/posture_stats.h"
#include "core/scheduler.h"
#include "mqtt/command_codec.h"
#include "mqtt/request_codec.h"
#include "mqtt/state_view.h"
#include "ports/alarm.h"
#include "ports/clock.h"
#include "ports/desk_io.h"
#include "ports/publisher.h"

namespace deskd::app {

// What the coordinator drives and how it reaches the outside. All references must outlive it.
struct CoordinatorPorts {
  ports::Clock& clock;
  ports::DeskIo& desk;
  ports::Publisher& publisher;
  ports::Alarm& motion_alarm;    // -> on_motion_deadline()
  ports::Alarm& schedule_alarm;  // -> on_schedule_wakeup()
  ports::Alarm& publish_alarm;   // -> on_publish_due()
  ports::Alarm& retry_alarm;     // -> on_storage_retry()
};

// How the clock trust is read (check_clock_trust in production; tests inject their own).
using ClockTrustFn = std::function<bool(core::WallTime)>;

// The daemon's logic: owns the motion controller, the schedule, the statistics and the run-time
// settings, and is the only one that asks StatePersistence to save.
//
// Every entry point is one event. Motion inputs are queued and handled one at a time; what they
// cause (schedule updates, saves, publications) is collected and applied after the event, so no
// handler ever runs inside another (no re-entrancy, also when the desk calls back
// synchronously from sync_inputs()). No disk write happens while the motor runs or the handset
// moves the desk: those saves (and requests that must save before they answer) wait until the
// desk is idle.
class Coordinator {
 public:
  using Respond = std::function<void(const std::string& payload)>;

  Coordinator(config::Config config, CoordinatorPorts ports, StatePersistence& persistence,
              const StatePersistence::Loaded& loaded, bool simulated_clock,
              ClockTrustFn clock_trust);

  // Start-up: saves the desk state as "not shut down cleanly", starts statistics and schedule.
  void start();
  // Stops the motor, saves everything and stops publishing. Idempotent.
  void shutdown();
  // SIGHUP with a loaded config; refuses (false, and logs why) while moving or with a latched
  // fault.
  bool reload(config::Config next);

  // Events from the desk and the timers.
  void on_inputs(const ports::InputState& inputs);
  void on_output_error(const std::string& message);
  void on_motion_deadline();
  void on_schedule_wakeup();
  void on_publish_due();
  void on_storage_retry();
  void on_minute();  // the periodic save / stats publication

  // Events from MQTT (already decoded).
  void on_command(const mqtt::Command& c, const std::string& text);
  void on_request(const std::string& op, const std::string& payload, Respond respond);
  void on_presence(const std::string& payload);
  void on_broker(bool connected);  // presence is unknown while the broker is unreachable
  // Publishes the retained documents again (after a (re)connect or B/get).
  void republish();
  void reject(const std::string& message, const std::string& command);

  mqtt::StateView state_view();
  const core::MotionController& motion() const { return *motion_; }
  const StorageHealth& storage() const { return persistence_.health(); }

 private:
  // The one event loop: handles queued motion inputs, then the follow-ups they asked for.
  void post(core::MotionInput input, core::MoveSource source = core::MoveSource::kOther,
            std::string command_text = {});
  void drain();
  // The one place that applies motion effects (outputs, errors, notices).
  void apply(const core::MotionEffects& fx, core::MoveSource source,
             const std::string& command_text);
  bool write_drive(core::Drive drive, core::StopStyle stop = core::StopStyle::kNow);
  void on_notice(const core::MotionNotice& n);
  void on_move_started(const core::MotionNotice& n);
  void on_move_finished(const core::MotionNotice& n);
  void end_auto_move(core::MoveOutcome outcome);
  bool busy() const;  // the motor runs or the handset moves the desk
  void after_idle();
  void apply_runtime(const config::RuntimeSettings& s);

  // Local button and handset (DESIGN.md §3, §4.6).
  void on_handset_and_button(const ports::InputState& before, const ports::InputState& after);
  void on_button_released(core::SteadyTime::duration held);
  void notice_manual_use();
  void manual_override(const char* what);  // `what` the user did, for the log

  // Schedule and statistics.
  core::ScheduleInputs schedule_inputs();
  bool present() const;
  void update_schedule();
  void start_schedule_action(const core::ScheduleAction& action);
  void arm_schedule_alarm(const core::ScheduleInputs& in);
  void on_schedule_events(std::vector<core::ScheduleEvent>& events);
  void schedule_command(std::optional<std::string> error, const std::string& text);
  core::PostureRules posture_rules() const;
  core::Posture posture_of(std::optional<double> height) const;
  void posture_may_have_changed();
  void update_stats();

  // Requests and settings.
  void handle_request(const std::string& op, const mqtt::Request& req, const Respond& respond);
  void request_schedule_set(const mqtt::Request& req, const Respond& respond);
  void request_presets_set(const mqtt::Request& req, const Respond& respond);
  void request_stats_get(const mqtt::Request& req, const Respond& respond);
  void set_schedule_enabled(bool enabled, const std::string& text);
  void execute_action(mqtt::Action action, const std::string& text);
  void go_to(int mm, const std::string& text);
  std::optional<int> preset_height(const std::string& name) const;
  config::RuntimeSettings runtime_settings(const core::ScheduleSettings& schedule,
                                           const std::map<std::string, int>& presets, int sit,
                                           int stand) const;
  config::RuntimeSettings current_runtime_settings() const;
  // Saves `candidate` settings before they take effect; on failure the old ones stay (also on
  // disk: what was pending is put back) and the error is returned.
  std::optional<std::string> save_settings_first(const config::RuntimeSettings& candidate);

  // Persistence: what waits in unsaved_ is written once the desk is idle.
  static constexpr unsigned kSaveDesk = 1;
  static constexpr unsigned kSaveStats = 2;
  static constexpr unsigned kSaveMemory = 4;
  static constexpr unsigned kSaveSettings = 8;
  void save_now();
  void save_desk_state(bool clean_shutdown);
  void after_save();

  // Publishing.
  void publish_state_soon();
  void publish_state_now();
  void publish_event(const std::string& type, boost::json::object fields);
  void publish_schedule();
  void publish_stats();  // and B/progress with it
  void publish_progress();

  config::Config config_;
  CoordinatorPorts ports_;
  StatePersistence& persistence_;
  bool simulated_clock_;
  ClockTrustFn clock_trust_;
  std::optional<core::MotionController> motion_;
  std::optional<core::Scheduler> scheduler_;
  core::PostureStats stats_;
  std::string last_drive_error_;  // what the backend said when write_drive() failed

  // Run-time settings (persisted in settings.toml).
  core::ScheduleSettings schedule_settings_;
  std::map<std::string, int> presets_;
  int sit_height_mm_;
  int stand_height_mm_;

  // The event queue.
  struct Queued {
    core::MotionInput input;
    core::MoveSource source = core::MoveSource::kOther;
    std::string command_text;
    std::optional<core::SteadyTime> at;  // when it happened, if before it was read (inputs)
  };
  // The time the controller is given for an event: `at` (or now), never before the last one.
  core::SteadyTime motion_time(std::optional<core::SteadyTime> at = std::nullopt);
  std::deque<Queued> queue_;
  bool draining_ = false;
  bool schedule_due_ = false;
  std::vector<std::function<void()>> when_idle_;  // requests waiting for the motor to stop

  ports::InputState last_inputs_;
  core::SteadyTime last_motion_time_{};  // the latest time handed to the controller
  std::optional<core::SteadyTime> button_down_at_;
  bool manual_motion_ = false;  // the controller's manual_motion() after the last input
  bool present_ = true;
  bool broker_connected_ = false;
  bool stopping_ = false;
  unsigned unsaved_ = 0;  // Save bits waiting for the desk to be idle
  int minutes_since_stats_save_ = 0;
  StorageHealth reported_health_;
  bool retry_armed_ = false;
  core::Posture last_posture_ = core::Posture::kUnknown;
  std::optional<core::Posture> auto_move_posture_;  // an automatic move is in progress
  std::string last_state_payload_;
  std::string last_discrete_state_;
  core::SteadyTime last_state_publish_{};
};

}  // namespace deskd::app
