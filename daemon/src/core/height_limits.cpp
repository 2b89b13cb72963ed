#include "core/height_limits.h"

namespace deskd::core {

std::optional<std::string> outside_limits(int mm, int min_mm, int max_mm) {
  if (mm >= min_mm && mm <= max_mm) return std::nullopt;
  return std::to_string(mm) + " is outside " + std::to_string(min_mm) + ".." +
         std::to_string(max_mm);
}

}  // namespace deskd::core
