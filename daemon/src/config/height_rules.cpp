#include "config/height_rules.h"

namespace deskd::config {

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> check_height(std::string_view field, int mm,
                                        const core::MotionSettings& limits) {
  if (mm < limits.min_height_mm || mm > limits.max_height_mm) {
    return std::string(field) + ": must be between " + std::to_string(limits.min_height_mm) +
           " and " + std::to_string(limits.max_height_mm) + " mm, got " + std::to_string(mm);
  }
  return std::nullopt;
}

std::optional<std::string> check_sit_stand(int sit_mm, int stand_mm,
                                           const core::MotionSettings& limits) {
  if (auto e = check_height("sit_height_mm", sit_mm, limits)) return e;
  if (auto e = check_height("stand_height_mm", stand_mm, limits)) return e;
  if (sit_mm >= stand_mm) {
    return "stand_height_mm: must be greater than sit_height_mm (" + std::to_string(sit_mm) +
           "), got " + std::to_string(stand_mm);
  }
  return std::nullopt;
}

std::optional<std::string> check_presets(const std::map<std::string, int>& presets,
                                         const core::MotionSettings& limits) {
  for (const auto& [name, mm] : presets) {
    if (!is_valid_name(name)) {
      return "presets." + name + ": preset names must match [a-z0-9_-]+ (at most " +
             std::to_string(kMaxNameLength) + " characters)";
    }
    if (auto e = check_height("presets." + name, mm, limits)) return e;
  }
  return std::nullopt;
}

}  // namespace deskd::config
