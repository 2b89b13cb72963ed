#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/motion_types.h"
#include "core/time.h"

namespace deskd::core {

// What the schedule tells the user about (B/event) and, for some kinds, counts in the statistics.
enum class ScheduleEventKind {
  kWarning,       // posture, seconds = in_s until the move
  kPrompt,        // posture (confirm mode)
  kReminder,      // posture (remind mode)
  kAutoMove,      // posture = target (stats: auto move; the daemon publishes move_started itself)
  kDeclined,      // detail = "skip" | "cancelled" | "undone" (stats: declined)
  kSnoozed,       // until (stats: snoozed)
  kBreak,         // minutes
  kClockJump,     // seconds = by_s (may be negative)
  kDeferred,      // posture; the change fell due and waits: cause kBusy (stats) or kPause
  kWalkQuestion,  // a movement break ended: "Did you walk?" (breaks.ask_walked)
  kWalked,        // its answer: walked (stats), detail "yes" / "no"
  kComfortQuestion,  // "How does your back feel? 1-5" (comfort_checkin)
  kComfort,          // a comfort answer, `comfort` 1..5 (stats), asked or not
};

// Why a change waited, or what brought it: the clock (the period ran out), the person's pause
// (natural breaks, activity_topic) or a call (busy_topic).
enum class ChangeCause : std::uint8_t { kClock, kPause, kBusy };

// The B/event "type" of each kind.
std::string_view to_string(ScheduleEventKind k);

struct ScheduleEvent {
  ScheduleEventKind kind = ScheduleEventKind::kWarning;
  Posture posture = Posture::kUnknown;
  std::int64_t seconds = 0;
  int minutes = 0;
  std::optional<WallTime> until;
  std::string detail;
  // kDeferred: what it waits for; kWarning / kPrompt / kReminder / kAutoMove: kPause when the
  // change came at the person's pause (detail "pause"), else kClock; kDeclined: kBusy after the
  // longest deferral.
  ChangeCause cause = ChangeCause::kClock;
  bool walked = false;  // kWalked: the answer
  int comfort = 0;      // kComfort: the answer, 1..5
};

}  // namespace deskd::core
