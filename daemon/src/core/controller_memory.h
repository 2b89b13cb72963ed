#pragma once

#include <array>
#include <optional>

namespace deskd::core {

// What a desk controller told deskd about its own memory over the bus (Jiecang 07, 20-22,
// 25-28), in mm: its four stored presets and its limits. Empty until reported.
struct ControllerMemory {
  std::array<std::optional<double>, 4> presets;
  std::optional<double> physical_min, physical_max, user_min, user_max;
  friend bool operator==(const ControllerMemory&, const ControllerMemory&) = default;
};

}  // namespace deskd::core
