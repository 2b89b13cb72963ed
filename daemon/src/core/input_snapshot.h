#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/controller_memory.h"
#include "core/motion_types.h"
#include "core/time.h"

namespace deskd::core {

// Every input line of the desk after decoding, as one value. Lines that are not wired stay
// false / zero. The motion controller diffs successive snapshots.
struct InputSnapshot {
  std::int64_t encoder_count = 0;    // decoded hall / quadrature count; upward motion counts up
  std::uint32_t encoder_errors = 0;  // impossible quadrature transitions seen since start
  // Encoder edges the kernel may have dropped since start (its event queue was full when read).
  std::uint32_t encoder_lost_edges = 0;
  bool limit_bottom = false;  // active = switch pressed
  bool limit_top = false;
  bool handset_up = false;  // the handset's UP button is pressed (a manual move)
  bool handset_down = false;
  bool button = false;  // the local confirm/snooze button
  // Desk bus ([sensor] kind = "bus"): the last height the controller reported (mm, already
  // converted from 0.1 inch where configured) and the steady time it arrived. nullopt until
  // the first height frame, and again once the port is closed or failing.
  std::optional<double> bus_height_mm;
  SteadyTime bus_height_at{};
  // A desk error code the controller shows (E01…, "RST"), or the port's failure ("EIO");
  // kNone and empty when there is none.
  BusFault bus_fault = BusFault::kNone;
  std::string bus_fault_code;
  // The controller's stored presets and limits as it reported them (not used for motion).
  ControllerMemory bus_memory;
  friend bool operator==(const InputSnapshot&, const InputSnapshot&) = default;
};

}  // namespace deskd::core
