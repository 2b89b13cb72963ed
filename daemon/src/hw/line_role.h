#pragma once

#include <cstdint>
#include <string_view>

namespace deskd::hw {

// What a GPIO line does for the desk; one per [gpio] line key.
enum class LineRole : std::uint8_t {
  kUp,
  kDown,
  kEnable,
  kEncoderA,
  kEncoderB,
  kLimitBottom,
  kLimitTop,
  kHandsetUp,
  kHandsetDown,
  kButton,
};

inline constexpr int kLineRoleCount = 10;

// The [gpio] key the role is configured by ("up", "encoder_a", ...).
std::string_view to_string(LineRole role);
bool is_output(LineRole role);

}  // namespace deskd::hw
