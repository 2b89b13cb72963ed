#pragma once

#include <optional>
#include <string>

namespace deskd::core {

// The one check of a commanded height against the soft limits (min_height_mm..max_height_mm):
// nullopt inside them, else "1300 is outside 620..1270". The MQTT commands prefix what was asked
// ("height_mm: ", "preset 'focus': "); the motion controller checks every move with it again.
std::optional<std::string> outside_limits(int mm, int min_mm, int max_mm);

// The `position` of B/state and B/set: 0..100 linearly over [min_mm, max_mm].
// REQUIRES: min_mm < max_mm.
// Height -> position, rounded to the nearest integer and clamped to 0..100.
int position_from_height(int height_mm, int min_mm, int max_mm);
// Position (0..100, clamped) -> height, rounded to the nearest millimetre.
int height_from_position(int position, int min_mm, int max_mm);

}  // namespace deskd::core
