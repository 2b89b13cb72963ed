#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/comfort.h"
#include "core/comfort_checkin.h"
#include "core/motion_types.h"
#include "core/schedule_io.h"
#include "core/schedule_settings.h"
#include "core/schedule_windows.h"
#include "core/time.h"

namespace deskd::core {

// The sit/stand schedule (DESIGN.md §5) as a pure state machine. Time is always an argument.
//
// Use: call update() whenever an input changes (posture, presence, clock trust, motion, fault)
// and when next_wakeup() is reached, and once after every command or setter; apply the returned
// action and publish the events it appends. Commands queue their events (e.g. "snoozed") and the
// next update() delivers them.
//
// Rules:
// - A period is the time spent in one posture; it ends sit_minutes / stand_minutes (progression
//   applied) after it started. A period starts fresh, matching the current posture, whenever the
//   schedule becomes active (entering working hours, presence back, clock trusted, resume,
//   position known again, enabled), after a clock jump, and at every manual posture change (the
//   schedule never fights the user). Between / unknown postures keep the current period.
// - auto: the warning starts warn_seconds before the change and the move happens at the change
//   (a warning always lasts warn_seconds, even if it has to start late). confirm: at the change
//   a prompt (and a nudge if enabled), re-prompted after 2, 4, 8, 16, 16 ... minutes; the desk
//   moves only after confirm(). remind: a reminder, repeated with the same back-off, never a move.
// - No automatic change (phase + reason say why): disabled; clock not trusted or obviously wrong
//   (before 2020); outside the windows or a skip date; paused for today; nobody present; and for
//   auto/confirm also fault latched, position unknown, max_auto_moves_per_day reached.
// - At most one move per update() and a fresh period after every move, so a late update or a
//   clock jump never causes a burst of changes; each jump yields a "clock_jump" event.
// - Busy (busy_topic): a change that falls due waits ("deferred", cause kBusy), at most
//   busy_max_defer_minutes, then is skipped. Natural breaks (activity_topic): a change that
//   falls due waits ("deferred", cause kPause) up to break_wait_minutes for break_idle_seconds
//   without input, then is warned (or prompted) at once; no pause in time: as without it.
// - Undoing an automatic move within kUndoWindow is a "declined" event.
// - Movement breaks: every every_minutes of active working time a "break" event; break_due
//   stays true for duration_minutes; with ask_walked, its end asks "Did you walk?"
//   ("walk_question", open for kWalkAnswerWindow; answer_walked() counts the answer). The break
//   timer restarts whenever the schedule becomes active (an absence counts as a break).
// - Comfort check-in (comfort_checkin; rules in core/comfort_checkin.h): "comfort_question"
//   while the schedule is on, someone is present and the clock is trusted; answer_comfort()
//   takes an answer at any time ("comfort", counted per day). The progression listens to the
//   answers set_comfort() hands in (core/progression.h).
class Scheduler {
 public:
  static constexpr std::chrono::seconds kClockJumpTolerance{60};
  static constexpr std::chrono::minutes kUndoWindow{2};
  static constexpr std::chrono::minutes kWalkAnswerWindow{30};  // "Did you walk?" stays open

  // `settings` must be valid (validate()). `memory` is what memory() returned before a restart.
  // Without a progression start_date (in the settings or the memory) progression starts on the
  // first local day seen with a trusted clock.
  explicit Scheduler(ScheduleSettings settings, SchedulerMemory memory = {});

  ScheduleAction update(const ScheduleInputs& in, std::vector<ScheduleEvent>& events);
  // The wall time at which update() must be called next if no input changes; nullopt when
  // nothing is pending (disabled, clock untrusted, no windows, waiting for a move to finish).
  // The daemon waits (wakeup - wall now) on a steady timer; waking early or late is harmless.
  std::optional<WallTime> next_wakeup() const { return wakeup_; }

  // Commands. nullopt = done; otherwise why it does not apply now (nothing changes).
  std::optional<std::string> snooze(const ScheduleInputs& in);  // postpone by snooze_minutes
  // One more period as now; beyond max_skips_per_day a snooze instead (event `snoozed`, detail
  // "daily skip limit reached").
  std::optional<std::string> skip(const ScheduleInputs& in);
  std::optional<std::string> pause_today(const ScheduleInputs& in);  // until local midnight
  std::optional<std::string> resume(const ScheduleInputs& in);
  std::optional<std::string> confirm(const ScheduleInputs& in);  // confirm mode; auto: move now
  // The answer to "Did you walk?" (an event `walked`, counted); refused when no question is open.
  std::optional<std::string> answer_walked(bool walked, const ScheduleInputs& in);
  // A comfort answer 1..5 (an event `comfort`, counted; closes an open check-in). Accepted with
  // or without a question; refused outside 1..5 or while the clock is not trusted (its day is
  // not known).
  std::optional<std::string> answer_comfort(int value, const ScheduleInputs& in);
  // The comfort answers so far (comfort_log() of the statistics): the progression listens, and
  // the daily check-in does not ask a date that has an answer (also after a restart).
  void set_comfort(ComfortLog log);
  const ComfortLog& comfort() const { return comfort_; }

  // The user took the desk over during a warning (a handset press): that is the answer to the
  // warning. The announced change is cancelled ("declined", detail "cancelled", counted as
  // declined) and a fresh period starts in the current posture. false: no warning was running.
  bool manual_override(const ScheduleInputs& in);
  // A posture change not made by the schedule (handset, dashboard, Home Assistant). update()
  // also notices posture changes by itself; calling both is harmless.
  void manual_posture_change(Posture p, const ScheduleInputs& in);
  // Reports the end of the move returned by update().
  void auto_move_finished(MoveOutcome outcome, const ScheduleInputs& in);
  // `settings` must be valid (validate()). The running period keeps its start; its end follows
  // the new durations; a pending warning or prompt is dropped.
  void set_settings(ScheduleSettings settings, const ScheduleInputs& in);
  void set_enabled(bool enabled);

  const ScheduleSettings& settings() const { return settings_; }
  ScheduleStatus status(const ScheduleInputs& in) const;
  // The planned changes within `horizon` from in.wall, assuming the user follows them and
  // nothing blocks: empty when disabled or the clock is untrusted.
  std::vector<PlannedChange> preview(const ScheduleInputs& in,
                                     std::chrono::hours horizon = std::chrono::hours(168)) const;
  // Standing minutes on local date `d`, progression applied.
  int stand_minutes_on(CivilDate d) const;
  // The progression's first day: the settings' start_date, else the first local day seen with a
  // trusted clock (kept in memory()); nullopt before that day.
  std::optional<CivilDate> progression_start() const;
  SchedulerMemory memory() const;

 private:
  enum class Stage { kIdle, kCounting, kWarning, kAwaiting, kMoving };
  struct Gate {
    SchedulePhase phase;
    std::string reason;
    bool working;  // active working time (breaks run), even if moves are blocked
  };

  Gate gate(const ScheduleInputs& in) const;
  bool moves_blocked_by_cap(WallTime now) const;
  int skips_today(WallTime now) const;
  void postpone(const ScheduleInputs& in, std::string detail);
  std::chrono::seconds period_length(Posture p, WallTime at) const;
  void start_period(Posture p, WallTime now);
  void handle_posture_change(Posture p, WallTime now);
  void stop_running();
  Posture current_posture(const ScheduleInputs& in) const;
  void roll_day(WallTime now);
  bool note_clock(const ScheduleInputs& in, std::vector<ScheduleEvent>& events);
  void note_day(const ScheduleInputs& in);
  void update_breaks(const ScheduleInputs& in, bool working, bool jumped,
                     std::vector<ScheduleEvent>& events);
  void ask_comfort(const ScheduleInputs& in, bool jumped, std::vector<ScheduleEvent>& events);
  bool change_due(const ScheduleInputs& in) const;
  void count_down(const ScheduleInputs& in, ScheduleAction& action,
                  std::vector<ScheduleEvent>& events);
  void defer(const ScheduleInputs& in, std::vector<ScheduleEvent>& events);
  bool waits_for_pause(const ScheduleInputs& in, std::vector<ScheduleEvent>& events);
  bool paused_long_enough(const ScheduleInputs& in) const;
  void clear_waits();
  void prompt(ScheduleAction& action, std::vector<ScheduleEvent>& events) const;
  void start_move_if_due(const ScheduleInputs& in, ScheduleAction& action,
                         std::vector<ScheduleEvent>& events);
  void compute_wakeup(const ScheduleInputs& in);
  std::vector<PlannedChange> plan(const ScheduleInputs& in, WallTime until,
                                  std::size_t max_changes) const;

  ScheduleSettings settings_;
  ScheduleWindows windows_;
  std::optional<CivilDate> progression_start_;

  Stage stage_ = Stage::kIdle;
  Posture period_posture_ = Posture::kSitting;  // kSitting or kStanding
  WallTime period_start_{};
  WallTime due_{};          // when the current period ends (the move time in auto mode)
  WallTime next_prompt_{};  // awaiting: next re-prompt / re-reminder
  int prompts_ = 0;
  bool confirmed_ = false;
  Posture move_target_ = Posture::kUnknown;
  Posture move_from_ = Posture::kUnknown;
  std::optional<WallTime> last_auto_move_at_;
  Posture last_auto_move_from_ = Posture::kUnknown;
  Posture last_known_posture_ = Posture::kSitting;

  std::optional<WallTime> paused_until_;
  std::optional<CivilDate> moves_date_;
  int moves_today_ = 0;
  int skips_today_ = 0;

  std::optional<WallTime> deferred_since_;          // counting: the change fell due while busy
  std::optional<WallTime> pause_wait_since_;        // counting: the change waits for a pause
  ChangeCause change_cause_ = ChangeCause::kClock;  // what brought the warned / prompted change

  std::optional<WallTime> next_break_;
  std::optional<WallTime> break_until_;
  std::optional<WallTime> walk_question_until_;  // "Did you walk?" is open until then
  ComfortCheckin checkin_;
  ComfortLog comfort_;
  static constexpr std::size_t kMinutesCacheDates = 64;
  mutable std::map<CivilDate, int> minutes_cache_;  // stand_minutes_on(), see there

  std::optional<WallTime> last_wall_;
  std::optional<SteadyTime> last_steady_;
  std::vector<ScheduleEvent> pending_events_;
  std::optional<WallTime> wakeup_;
};

}  // namespace deskd::core
