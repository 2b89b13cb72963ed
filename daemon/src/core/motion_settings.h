#pragma once

#include <chrono>

#include "core/motion_types.h"

namespace deskd::core {

// Everything the motion controller needs to know about the desk, already validated by the
// config loader (config/ fills it from [desk], [sensor] and [motion]).
struct MotionSettings {
  // Soft limits (safety invariant 4): targets outside are refused, motion never passes them.
  int min_height_mm = 620;
  int max_height_mm = 1270;
  // Physical end stops. Calibration drives to the bottom one and sets the position to it.
  int bottom_height_mm = 620;
  int top_height_mm = 1270;

  SensorKind sensor = SensorKind::kEncoder;
  double mm_per_count = 0.5;  // encoder: height change per decoded count (from [sensor])
  std::chrono::milliseconds bus_stale{500};  // [bus] stale_ms: older height while moving -> sensor
  // The desk stops by itself when deskd's commands stop (a Bluetooth Linak desk): with bus_stale
  // longer than stall_timeout, the stall counts only time its readings cover, so its silence is
  // a sensor fault. Never set for a UART or relay desk, whose silence is a stall at stall_timeout.
  bool stops_without_commands = false;
  bool has_limit_bottom = false;
  bool has_limit_top = false;

  // Expected speeds. For `timed` they are the calibrated speeds the position is integrated
  // from; for every kind they size the per-move deadline.
  double up_speed_mm_s = 38.0;
  double down_speed_mm_s = 36.0;

  std::chrono::milliseconds reverse_delay{500};  // reverse_delay_ms: dead time before reversing
  std::chrono::seconds max_run{30};              // max_run_s: no move runs longer
  double deadline_margin = 1.5;                  // per-move deadline = estimate * margin + 2 s
  std::chrono::milliseconds stall_timeout{800};  // stall_timeout_ms: no progress -> stall
  std::chrono::milliseconds spin_up{400};        // no obstruction check while accelerating
  double obstruction_ratio = 0.4;  // speed below ratio * expected (after spin-up) -> obstruction
  int backoff_mm = 15;             // backoff_mm: reverse this far after an obstruction
  int tolerance_mm = 3;            // a move ends "on target" within this distance
  int nudge_mm = 10;               // nudge: up this far and back
  bool stop_ahead = true;  // stop_ahead: stop early by the learned coast (off: stop at target)
  double initial_coast_s = 0.12;          // stop-ahead (coast = this * speed) before any is learned
  std::chrono::milliseconds settle{400};  // after a stop, wait this long to read the final height
  // The motor runs on this long at speed after the last move frame, before it brakes: a Loctek
  // controller has no stop command. The frames repeat every drive_repeat from the start (the bus
  // backend keeps the phase; a stop sends no move frame), so a target stop is timed between two
  // frames and the run-on left after it is known (outputs_written() gets the real last frame).
  // The stop-ahead is the run-on x speed plus the learned coast, learned on top of it.
  // 0: a stop command stops the motor.
  std::chrono::milliseconds run_on{0};
  std::chrono::milliseconds drive_repeat{0};  // 0: unknown; only with run_on

  // Command streams (safety invariant 9). Not config keys: they protect the outputs, whatever the
  // desk. A stop, a fault, a limit or the target still stop a run at once.
  std::chrono::milliseconds min_off{300};  // outputs off at least this long before any start
  std::chrono::milliseconds min_on{300};   // a run is reversed by a new command only after this
  int start_budget = 20;                   // starts per minute (0: no budget, benchmarks only)
};

}  // namespace deskd::core
