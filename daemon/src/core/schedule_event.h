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
  kWarning,    // posture, seconds = in_s until the move
  kPrompt,     // posture (confirm mode)
  kReminder,   // posture (remind mode)
  kAutoMove,   // posture = target (stats: auto move; the daemon publishes move_started itself)
  kDeclined,   // detail = "skip" | "cancelled" | "undone" (stats: declined)
  kSnoozed,    // until (stats: snoozed)
  kBreak,      // minutes
  kClockJump,  // seconds = by_s (may be negative)
  kDeferred,   // posture; detail = "busy": the change fell due while busy and waits (stats)
};

// The B/event "type" of each kind.
std::string_view to_string(ScheduleEventKind k);

struct ScheduleEvent {
  ScheduleEventKind kind = ScheduleEventKind::kWarning;
  Posture posture = Posture::kUnknown;
  std::int64_t seconds = 0;
  int minutes = 0;
  std::optional<WallTime> until;
  std::string detail;
};

}  // namespace deskd::core
