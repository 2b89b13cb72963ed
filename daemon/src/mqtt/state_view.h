#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/controller_memory.h"
#include "core/motion_types.h"
#include "core/schedule_settings.h"

namespace deskd::mqtt {

// Everything B/state carries (DESIGN.md §8 plus the agreed dashboard fields), as plain values.
// The daemon fills it from the core's state; encode_state() turns it into the retained JSON.
// Nullable fields are std::optional and are published as JSON null when empty.
struct StateView {
  std::optional<int> height_mm;  // null: position unknown
  std::optional<int> position;   // 0..100 over [min_height_mm, max_height_mm]; null: unknown
  std::optional<int> target_mm;  // null: not moving to a target
  core::Drive motion = core::Drive::kNone;          // "stopped" | "up" | "down"
  core::Posture posture = core::Posture::kUnknown;  // "sitting|standing|between|unknown"
  bool calibrated = false;
  int height_uncertainty_mm = 0;  // lost encoder steps since the last re-zero (0: none)
  core::Fault fault = core::Fault::kNone;
  std::string fault_detail;
  bool schedule_enabled = true;
  core::ScheduleMode mode = core::ScheduleMode::kAuto;
  // disabled | outside_hours | paused | blocked | counting | warning | awaiting_confirm | moving
  std::string phase = "disabled";
  std::string phase_reason;                // why blocked/paused/outside_hours; "" otherwise
  std::optional<std::string> next_change;  // ISO 8601 with offset (format_local_iso8601)
  std::optional<core::Posture> next_posture;
  std::int64_t sit_today_s = 0;
  std::int64_t stand_today_s = 0;
  int transitions_today = 0;
  std::int64_t longest_sit_today_s = 0;
  int min_height_mm = 620;
  int max_height_mm = 1270;
  int sit_height_mm = 720;
  int stand_height_mm = 1100;
  std::map<std::string, int> presets;
  int stand_minutes = 20;  // today's standing period (progression applied)
  bool break_due = false;
  std::optional<int> warning_remaining_s;  // seconds until a warned move; null when none
  std::optional<int> skips_left;           // today, with max_skips_per_day; null without a limit
  bool walk_question = false;              // "Did you walk?" is open (breaks.ask_walked)
  bool comfort_question = false;           // the comfort check-in is open (comfort_checkin)
  std::optional<double> comfort_today;     // the mean of today's comfort answers; null: none
  std::string version;
  // deskd's clock (scaled under --time-scale), so a page can count down in deskd's time.
  std::optional<std::string> now;
  double time_scale = 1.0;
  // The state directory: "ok", or "error" while a file cannot be saved (storage_detail says
  // which and why; deskd retries and keeps running).
  bool storage_ok = true;
  std::string storage_detail;
  // A desk bus ([bus]): its protocol and what the controller reported of its own presets and
  // limits ("controller" object); nullopt (field left out) for a desk without a bus.
  struct Controller {
    std::string protocol;
    core::ControllerMemory memory;
    friend bool operator==(const Controller&, const Controller&) = default;
  };
  std::optional<Controller> controller;

  friend bool operator==(const StateView&, const StateView&) = default;
};

}  // namespace deskd::mqtt
