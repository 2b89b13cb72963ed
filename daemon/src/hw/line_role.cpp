#include "hw/line_role.h"

namespace deskd::hw {

std::string_view to_string(LineRole role) {
  switch (role) {
    case LineRole::kUp:
      return "up";
    case LineRole::kDown:
      return "down";
    case LineRole::kEnable:
      return "enable";
    case LineRole::kEncoderA:
      return "encoder_a";
    case LineRole::kEncoderB:
      return "encoder_b";
    case LineRole::kLimitBottom:
      return "limit_bottom";
    case LineRole::kLimitTop:
      return "limit_top";
    case LineRole::kHandsetUp:
      return "handset_up";
    case LineRole::kHandsetDown:
      return "handset_down";
    case LineRole::kButton:
      return "button";
  }
  return "?";
}

bool is_output(LineRole role) {
  return role == LineRole::kUp || role == LineRole::kDown || role == LineRole::kEnable;
}

}  // namespace deskd::hw
