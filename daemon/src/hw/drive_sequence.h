#pragma once

#include <vector>

#include "core/motion_types.h"
#include "hw/line_role.h"

namespace deskd::hw {

struct LineWrite {
  LineRole role;
  bool active;
  friend bool operator==(const LineWrite&, const LineWrite&) = default;
};

// The output writes that set the motor to `drive`, in order. The opposite direction is always
// deactivated before a direction is activated, so no prefix of the sequence, applied to any
// state, leaves both direction lines active (safety invariant 1). The enable line (when
// `has_enable`) is active exactly while driving: set last when starting, cleared first when
// stopping. When stopping, the direction that is `current`ly driven is released first.
std::vector<LineWrite> drive_sequence(core::Drive drive, bool has_enable,
                                      core::Drive current = core::Drive::kNone);

}  // namespace deskd::hw
