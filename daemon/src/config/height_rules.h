#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/motion_settings.h"

namespace deskd::config {

// Rules for desk ids, preset names and heights, shared by the config loader, the state store
// and run-time commands (presets/set) so all three accept the same values. Each check returns
// nullopt when valid, else a message that starts with the field name.

inline constexpr std::size_t kMaxNameLength = 64;

// [a-z0-9_-]+, at most kMaxNameLength characters (desk ids, preset names).
bool is_valid_name(std::string_view name);

// "<field>: must be between <min> and <max> mm, got <mm>" unless min_height_mm <= mm <=
// max_height_mm.
std::optional<std::string> check_height(std::string_view field, int mm,
                                        const core::MotionSettings& limits);
// Both within the limits and sit < stand.
std::optional<std::string> check_sit_stand(int sit_mm, int stand_mm,
                                           const core::MotionSettings& limits);
// Every name valid and every height within the limits ("presets.<name>: ...").
std::optional<std::string> check_presets(const std::map<std::string, int>& presets,
                                         const core::MotionSettings& limits);

}  // namespace deskd::config
