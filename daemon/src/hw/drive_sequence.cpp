#include "hw/drive_sequence.h"

namespace deskd::hw {

std::vector<LineWrite> drive_sequence(core::Drive drive, bool has_enable, core::Drive current) {
  std::vector<LineWrite> writes;
  switch (drive) {
    case core::Drive::kNone:
      if (has_enable) writes.push_back({LineRole::kEnable, false});
      if (current == core::Drive::kDown) {
        writes.push_back({LineRole::kDown, false});
        writes.push_back({LineRole::kUp, false});
      } else {
        writes.push_back({LineRole::kUp, false});
        writes.push_back({LineRole::kDown, false});
      }
      break;
    case core::Drive::kUp:
      writes.push_back({LineRole::kDown, false});
      writes.push_back({LineRole::kUp, true});
      if (has_enable) writes.push_back({LineRole::kEnable, true});
      break;
    case core::Drive::kDown:
      writes.push_back({LineRole::kUp, false});
      writes.push_back({LineRole::kDown, true});
      if (has_enable) writes.push_back({LineRole::kEnable, true});
      break;
  }
  return writes;
}

}  // namespace deskd::hw
