#pragma once

namespace deskd::mqtt {

// The `position` of B/state and B/set: 0..100 linearly over [min_mm, max_mm].
// REQUIRES: min_mm < max_mm.

// Height -> position, rounded to the nearest integer and clamped to 0..100.
int position_from_height(int height_mm, int min_mm, int max_mm);
// Position (0..100, clamped) -> height, rounded to the nearest millimetre.
int height_from_position(int position, int min_mm, int max_mm);

}  // namespace deskd::mqtt
