#include "mqtt/position.h"

#include <algorithm>
#include <cmath>

namespace deskd::mqtt {

int position_from_height(int height_mm, int min_mm, int max_mm) {
  double p = 100.0 * (height_mm - min_mm) / (max_mm - min_mm);
  return std::clamp(static_cast<int>(std::lround(p)), 0, 100);
}

int height_from_position(int position, int min_mm, int max_mm) {
  int p = std::clamp(position, 0, 100);
  return min_mm + static_cast<int>(std::lround((max_mm - min_mm) * p / 100.0));
}

}  // namespace deskd::mqtt
