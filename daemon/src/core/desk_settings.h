#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/schedule_settings.h"

namespace deskd::core {

// The settings the owner changes at run time (the config file's values with the saved overrides
// applied): the schedule, the named presets and the two posture heights.
struct DeskSettings {
  ScheduleSettings schedule;
  std::map<std::string, int> presets;  // name -> height_mm, without "sit" and "stand"
  int sit_height_mm = 720;
  int stand_height_mm = 1100;

  // A preset's height: "sit" and "stand" name the posture heights; nullopt for an unknown name.
  std::optional<int> preset_height(const std::string& name) const {
    if (name == "sit") return sit_height_mm;
    if (name == "stand") return stand_height_mm;
    if (auto it = presets.find(name); it != presets.end()) return it->second;
    return std::nullopt;
  }
  friend bool operator==(const DeskSettings&, const DeskSettings&) = default;
};

}  // namespace deskd::core
