#pragma once

#include <optional>
#include <string>

namespace deskd::core {

// The one check of a commanded height against the soft limits (min_height_mm..max_height_mm):
// nullopt inside them, else "1300 is outside 620..1270". The MQTT commands prefix what was asked
// ("height_mm: ", "preset 'focus': "); the motion controller checks every move with it again.
std::optional<std::string> outside_limits(int mm, int min_mm, int max_mm);

}  // namespace deskd::core
