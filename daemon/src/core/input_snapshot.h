#pragma once

#include <cstdint>

namespace deskd::core {

// Every input line of the desk after decoding, as one value. Lines that are not wired stay
// false / zero. The motion controller diffs successive snapshots.
struct InputSnapshot {
  std::int64_t encoder_count = 0;    // decoded hall / quadrature count; upward motion counts up
  std::uint32_t encoder_errors = 0;  // impossible quadrature transitions seen since start
  bool limit_bottom = false;         // active = switch pressed
  bool limit_top = false;
  bool handset_up = false;  // the handset's UP button is pressed (a manual move)
  bool handset_down = false;
  bool button = false;  // the local confirm/snooze button
  friend bool operator==(const InputSnapshot&, const InputSnapshot&) = default;
};

}  // namespace deskd::core
