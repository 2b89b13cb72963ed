#pragma once

#include "core/height_limits.h"

namespace deskd::mqtt {

// The `position` of B/state and B/set (core/height_limits.h has the one definition).
using core::height_from_position;
using core::position_from_height;

}  // namespace deskd::mqtt
