#include "core/height_limits.h"

#include <algorithm>
#include <cmath>

namespace deskd::core {

std::optional<std::string> outside_limits(int mm, int min_mm, int max_mm) {
  if (mm >= min_mm && mm <= max_mm) return std::nullopt;
  return std::to_string(mm) + " is outside " + std::to_string(min_mm) + ".." +
         std::to_string(max_mm);
}

int position_from_height(int height_mm, int min_mm, int max_mm) {
  double p = 100.0 * (height_mm - min_mm) / (max_mm - min_mm);
  return std::clamp(static_cast<int>(std::lround(p)), 0, 100);
}

int height_from_position(int position, int min_mm, int max_mm) {
  int p = std::clamp(position, 0, 100);
  return min_mm + static_cast<int>(std::lround((max_mm - min_mm) * p / 100.0));
}

}  // namespace deskd::core
