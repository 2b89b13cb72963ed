#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/motion_types.h"
#include "core/schedule_event.h"
#include "core/schedule_phase.h"
#include "core/schedule_settings.h"
#include "core/time.h"

namespace deskd::core {

// What the daemon knows when it calls the Scheduler. `wall` drives the schedule; `steady` is
// passed alongside so that wall-clock jumps (NTP sync from 1970, suspend/resume, manual setting)
// are detected: the two advancing by more than kClockJumpTolerance apart is a jump.
struct ScheduleInputs {
  WallTime wall;
  SteadyTime steady;
  bool clock_trusted = true;  // synchronised, or require_time_sync = false, or simulated clock
  bool present = true;        // presence; true when no presence topic is configured
  Posture posture = Posture::kUnknown;  // from the height thresholds
  bool position_known = true;           // false: position unknown -> no automatic moves
  // > 0: the known height may be off by more than tolerance_mm (lost encoder steps) -> no
  // automatic moves until a calibration re-zeroes it (unknown counts as no)
  int height_uncertainty_mm = 0;
  bool fault = false;        // a motion fault is latched -> no automatic moves
  bool motion_busy = false;  // a move (automatic or manual) is in progress
  bool busy = false;         // in a call or a meeting (busy_topic; unknown counts as busy)
  // The person's computer (activity_topic): activity_known false = no topic or nothing known
  // (no waiting for a pause); idle_since = no input since then (nullopt: active).
  bool activity_known = false;
  std::optional<WallTime> idle_since;
};

// What the daemon must do after update(). At most one per call.
struct ScheduleAction {
  enum class Kind {
    kNone,
    kMove,   // move to the sit or stand height of `posture`; report with auto_move_finished()
    kNudge,  // confirm-mode prompt: a few mm up and back; no report expected
  };
  Kind kind = Kind::kNone;
  Posture posture = Posture::kUnknown;
  friend bool operator==(const ScheduleAction&, const ScheduleAction&) = default;
};

// How an automatic move ended (Scheduler::auto_move_finished).
enum class MoveOutcome {
  kReached,    // the desk is at the target posture
  kCancelled,  // the user stopped it or took over (handset, stop command): counts as declined
  kFailed,     // fault or refusal: the period restarts in whatever posture the desk is in
};

// The schedule's state for B/state.
struct ScheduleStatus {
  SchedulePhase phase = SchedulePhase::kDisabled;
  std::string reason;                   // empty in counting / warning / awaiting_confirm
  std::optional<WallTime> next_change;  // when the next posture change is planned
  std::optional<Posture> next_posture;
  int stand_minutes = 0;  // today's standing period, progression applied
  bool break_due = false;
  std::optional<int> warning_remaining_s;  // in the warning phase
  int auto_moves_today = 0;
  std::optional<int> skips_left;  // today, with max_skips_per_day; nullopt without a limit
  bool walk_question = false;     // "Did you walk?" is open (answer with walked / not_walked)
  bool comfort_question = false;  // the comfort check-in is open (answer with comfort 1..5)
};

// One planned change of the preview.
struct PlannedChange {
  WallTime at;
  Posture posture = Posture::kUnknown;
  friend bool operator==(const PlannedChange&, const PlannedChange&) = default;
};

// What the daemon persists in the state directory so a restart keeps the day's pause, the
// progression's first day and the daily move count.
struct SchedulerMemory {
  std::optional<WallTime> paused_until;
  std::optional<CivilDate> progression_start;
  std::optional<CivilDate> moves_date;
  int moves_today = 0;
  int skips_today = 0;  // on moves_date too
  friend bool operator==(const SchedulerMemory&, const SchedulerMemory&) = default;
};

}  // namespace deskd::core
