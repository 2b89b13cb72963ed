#include "config/runtime_overrides.h"

namespace deskd::config {

core::DeskSettings effective_settings(const Config& config, const RuntimeSettings& saved) {
  core::DeskSettings s;
  s.schedule = saved.schedule.value_or(config.schedule);
  s.presets = config.desk.presets;
  for (const auto& name : saved.deleted_presets) s.presets.erase(name);
  for (const auto& [k, v] : saved.presets) s.presets[k] = v;
  s.sit_height_mm = saved.sit_height_mm.value_or(config.desk.sit_height_mm);
  s.stand_height_mm = saved.stand_height_mm.value_or(config.desk.stand_height_mm);
  return s;
}

RuntimeSettings overrides_of(const Config& config, const core::DeskSettings& settings) {
  RuntimeSettings s;
  if (!(settings.schedule == config.schedule)) s.schedule = settings.schedule;
  for (const auto& [k, v] : settings.presets) {
    auto it = config.desk.presets.find(k);
    if (it == config.desk.presets.end() || it->second != v) s.presets[k] = v;
  }
  for (const auto& [k, v] : config.desk.presets) {
    if (!settings.presets.contains(k)) s.deleted_presets.push_back(k);
  }
  if (settings.sit_height_mm != config.desk.sit_height_mm) s.sit_height_mm = settings.sit_height_mm;
  if (settings.stand_height_mm != config.desk.stand_height_mm) {
    s.stand_height_mm = settings.stand_height_mm;
  }
  return s;
}

}  // namespace deskd::config
