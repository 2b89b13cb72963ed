#pragma once

#include <boost/json/object.hpp>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/state_persistence.h"
#include "core/desk.h"
#include "mqtt/desk_inbox.h"
#include "mqtt/desk_publication.h"
#include "mqtt/notice_codec.h"
#include "mqtt/request_codec.h"
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

// How the clock trust is read (platform::check_clock_trust in production; tests inject their own).
using ClockTrustFn = std::function<bool(core::WallTime)>;

// The runner around core::Desk, which holds deskd's logic: turns what happens (desk inputs,
// timers, MQTT commands and requests, signals) into core::DeskEvents with the time read once,
// applies the effects (outputs, alarms, saves) and logs and publishes the notices. The only one
// that asks config::StatePersistence to save.
//
// Events are queued and handled one at a time; the follow-ups an event makes due (Desk's
// pending()) come after its effects are applied, so no handler runs inside another (also when
// the desk calls back synchronously from sync_inputs()). No disk write happens while the motor
// runs or the handset moves the desk: those saves (and requests that must save before they
// answer) wait until the desk is idle.
class Coordinator final : public mqtt::DeskInbox {
 public:
  Coordinator(config::Config config, CoordinatorPorts ports, config::StatePersistence& persistence,
              const config::StatePersistence::Loaded& loaded, bool simulated_clock,
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
  void on_command(const core::DeskCommand& c, const std::string& text) override;
  void on_request(const std::string& op, const std::string& payload, Respond respond) override;
  void on_presence(const std::string& payload) override;
  void on_busy(const std::string& payload) override;      // schedule.busy_topic
  void on_activity(const std::string& payload) override;  // schedule.activity_topic
  void on_broker(bool connected) override;  // presence is unknown while the broker is unreachable
  // Publishes the retained documents again (after a (re)connect or B/get).
  void republish() override;
  void reject(const std::string& message, const std::string& command) override;

  mqtt::StateView state_view() const { return publication_->state_view(); }
  const core::MotionController& motion() const { return desk_->motion(); }
  const config::StorageHealth& storage() const { return persistence_.health(); }

 private:
  // The event loop (coordinator.cpp).
  core::Now now() const;
  void post(core::DeskEvent event);
  void handle_now(const core::DeskEvent& event);
  void drain();
  void apply(const core::DeskEffects& fx);
  bool write_drive(const core::SetDrive& set);
  void output_failed();
  void after_idle();

  void report(const core::DeskNotice& notice);  // its log line and B/event

  // Requests and settings (coordinator_requests.cpp).
  void set_schedule_enabled(bool enabled, const std::string& text);
  void handle_request(const std::string& op, const mqtt::Request& req, const Respond& respond);
  void request_schedule_set(const mqtt::Request& req, const Respond& respond);
  void request_presets_set(const mqtt::Request& req, const Respond& respond);
  void request_stats_get(const mqtt::Request& req, const Respond& respond);
  void request_events_get(const mqtt::Request& req, const Respond& respond);
  void refuse(const std::string& op, const std::string& error, const mqtt::Request& req,
              const Respond& respond);
  // Saves `candidate` settings before they take effect; on failure the old ones stay (also on
  // disk: what was pending is put back) and the error is returned.
  std::optional<std::string> save_settings_first(const core::DeskSettings& candidate);

  static constexpr std::size_t kPublishedStatsDays = 30;  // in B/stats; stats/get's default

  // Persistence: what waits in unsaved_ is written once the desk is idle.
  static constexpr unsigned kSaveSettings = 8;  // beside core::SaveBits
  void save_now();
  void save_desk_state(bool clean_shutdown);
  void after_save();

  void publish_stats();  // B/stats and B/progress, the time accounted first

  config::Config config_;
  CoordinatorPorts ports_;
  config::StatePersistence& persistence_;
  bool simulated_clock_;
  ClockTrustFn clock_trust_;
  std::optional<core::Desk> desk_;
  std::string last_drive_error_;  // what the backend said when write_drive() failed

  std::deque<core::DeskEvent> queue_;
  bool draining_ = false;
  std::vector<std::function<void()>> when_idle_;  // requests waiting for the motor to stop

  bool stopping_ = false;
  unsigned unsaved_ = 0;  // core::SaveBits and kSaveSettings waiting for the desk to be idle
  int minutes_since_stats_save_ = 0;
  config::StorageHealth reported_health_;
  bool retry_armed_ = false;
  std::optional<mqtt::DeskPublication> publication_;
};

}  // namespace deskd::app
