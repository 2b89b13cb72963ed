#pragma once

#include <optional>
#include <vector>

#include "core/day_timeline.h"
#include "core/desk_events.h"
#include "core/motion_controller.h"
#include "core/posture_rules.h"
#include "core/posture_stats.h"
#include "core/scheduler.h"

namespace deskd::core {

// deskd's logic in one place: owns the motion controller, the schedule, the statistics, the
// run-time settings (presets, posture heights) and what is known of presence. Typed events in,
// typed effects out; time is an argument. The runner (app/coordinator) queues the events, writes
// the drive steps, logs and publishes the notices, arms the alarms and saves.
//
// One event is handled at a time and never inside another. What an event makes due (the
// schedule's re-planning after a move, a command or a presence change) is the runner's next
// Continue while pending(), after it has applied this event's effects: the schedule then sees
// the outputs as they were written.
class Desk {
 public:
  struct Restored {
    RestoredPosition position;  // height only after a clean shutdown
    std::vector<DayStats> stats;
    SchedulerMemory memory;
  };

  // `settings.schedule` must be valid (validate()); `inputs` are the desk's inputs now.
  Desk(MotionSettings motion, DeskSettings settings, const InputSnapshot& inputs, Restored restored,
       const Now& now);

  DeskEffects handle(const DeskEvent& event, const Now& now);

  // The runner wrote the outputs of a SetDrive step (MotionController::outputs_written).
  void outputs_written(SteadyTime at, Drive written,
                       std::optional<SteadyTime> last_frame = std::nullopt);

  // Something is due (the schedule's turn): send Continue.
  bool pending() const { return schedule_due_ && !stopping_; }
  // The motor runs or the handset moves the desk: saves and settings changes wait until not.
  bool in_motion() const;
  // Why a reload cannot be applied now (a latched fault, or anything pending in the motion);
  // nullopt when it can.
  std::optional<std::string> reload_refusal() const;
  // The schedule needs a synchronised clock (the runner reads the clock's trust only then).
  bool requires_time_sync() const { return settings_.schedule.require_time_sync; }

  const MotionController& motion() const { return *motion_; }
  const Scheduler& scheduler() const { return *scheduler_; }
  const PostureStats& stats() const { return stats_; }
  // Today's postures, period by period (B/timeline).
  const DayTimeline& timeline() const { return timeline_; }
  const DeskSettings& settings() const { return settings_; }
  const InputSnapshot& inputs() const { return inputs_; }
  PostureRules posture_rules() const;
  Posture posture() const { return last_posture_; }
  Posture posture_at(SteadyTime t) const {
    return posture_rules().posture_of(motion_->height_mm(t));
  }
  // Someone is at the desk: the presence topic (unknown counts as absent) and, with an activity
  // topic, a session that is not locked.
  bool present() const;
  // In a call or a meeting: with a busy topic, busy or unknown (no message yet, broker
  // unreachable); never without one.
  bool person_busy() const;
  // What the schedule is told now (presence, busy, activity, posture, motion).
  ScheduleInputs schedule_inputs(const Now& now) const;
  ScheduleStatus schedule_status(const Now& now) const;
  std::vector<PlannedChange> preview(const Now& now) const;
  // When to send ScheduleWakeup, also in every DeskEffects::schedule_alarm.
  std::optional<SteadyTime> schedule_wakeup(const Now& now) const;

 private:
  // Events (desk.cpp).
  void on(const Started&, const Now& now, DeskEffects& fx);
  void on(const InputsRead& e, const Now& now, DeskEffects& fx);
  void on(const MotionDeadline&, const Now& now, DeskEffects& fx);
  void on(const ScheduleWakeup&, const Now& now, DeskEffects& fx);
  void on(const Minute&, const Now& now, DeskEffects& fx);
  void on(const AccountTime&, const Now& now, DeskEffects& fx);
  void on(const OutputFailed& e, const Now& now, DeskEffects& fx);
  void on(const PresenceChanged& e, const Now& now, DeskEffects& fx);
  void on(const BusyChanged& e, const Now& now, DeskEffects& fx);
  void on(const ActivityChanged& e, const Now& now, DeskEffects& fx);
  void on(const BrokerLink& e, const Now& now, DeskEffects& fx);
  void on(const Command& e, const Now& now, DeskEffects& fx);
  void on(const ScheduleSaved& e, const Now& now, DeskEffects& fx);
  void on(const HeightsSaved& e, const Now& now, DeskEffects& fx);
  void on(const Reloaded& e, const Now& now, DeskEffects& fx);
  void on(const Shutdown&, const Now& now, DeskEffects& fx);
  void on(const Continue&, const Now& now, DeskEffects& fx);

  // Motion (desk_motion.cpp).
  void run_motion(const MotionInput& input, MoveSource source, const std::string& text,
                  SteadyTime at, const Now& now, DeskEffects& fx);
  void on_notice(const MotionNotice& n, const Now& now, DeskEffects& fx);
  void on_move_finished(const MotionNotice& n, const Now& now, DeskEffects& fx);
  void end_auto_move(MoveOutcome outcome, const Now& now);
  void notice_manual_use(const Now& now, DeskEffects& fx);
  void posture_may_have_changed(const Now& now, DeskEffects& fx);
  SteadyTime motion_time(SteadyTime at);
  void go_to(int mm, const std::string& text, const Now& now, DeskEffects& fx);
  void run_action(DeskAction action, const std::string& text, const Now& now, DeskEffects& fx);

  // Schedule, presence, the local button and the statistics (desk_schedule.cpp).
  void update_schedule(const Now& now, DeskEffects& fx);
  void on_handset_and_button(const InputSnapshot& before, const InputSnapshot& after,
                             const Now& now, DeskEffects& fx);
  void on_button_released(SteadyTime::duration held, const Now& now, DeskEffects& fx);
  void manual_override(OverrideBy by, const Now& now, DeskEffects& fx);
  void schedule_command(std::optional<std::string> error, const std::string& text, DeskEffects& fx);
  void update_stats(const Now& now);
  void observe_timeline(const Now& now);

  std::optional<MotionController> motion_;
  std::optional<Scheduler> scheduler_;
  PostureStats stats_;
  DayTimeline timeline_;
  DeskSettings settings_;
  InputSnapshot inputs_;           // the last inputs seen (button and handset edges)
  SteadyTime last_motion_time_{};  // the latest time handed to the controller
  std::optional<SteadyTime> button_down_at_;
  bool manual_motion_ = false;  // the controller's manual_motion() after the last input
  bool present_ = true;
  bool broker_connected_ = false;
  std::optional<bool> busy_;            // the busy topic's last message (nullopt: none yet)
  std::optional<Activity> activity_;    // the activity topic's last message (nullopt: none yet)
  std::optional<WallTime> idle_since_;  // kIdle: no input since then
  bool stopping_ = false;
  bool schedule_due_ = false;
  Posture last_posture_ = Posture::kUnknown;
  std::optional<Posture> auto_move_posture_;  // an automatic move is in progress
};

}  // namespace deskd::core
