#include "hw/input_decoder.h"

namespace deskd::hw {

InputDecoder::InputDecoder(core::EncoderWiring wiring) : encoder_(wiring) {}

void InputDecoder::set_level(LineRole role, bool active) {
  switch (role) {
    case LineRole::kEncoderA:
      a_ = active;
      encoder_.resync(a_, b_);
      break;
    case LineRole::kEncoderB:
      b_ = active;
      encoder_.resync(a_, b_);
      break;
    case LineRole::kLimitBottom:
      state_.limit_bottom = active;
      break;
    case LineRole::kLimitTop:
      state_.limit_top = active;
      break;
    case LineRole::kHandsetUp:
      state_.handset_up = active;
      break;
    case LineRole::kHandsetDown:
      state_.handset_down = active;
      break;
    case LineRole::kButton:
      state_.button = active;
      break;
    case LineRole::kUp:
    case LineRole::kDown:
    case LineRole::kEnable:
      break;  // outputs are not inputs
  }
}

void InputDecoder::apply_edge(LineRole role, bool active, core::Drive drive) {
  if (role != LineRole::kEncoderA && role != LineRole::kEncoderB) {
    set_level(role, active);
    return;
  }
  core::Drive direction = drive;
  if (direction == core::Drive::kNone && state_.handset_up != state_.handset_down) {
    direction = state_.handset_up ? core::Drive::kUp : core::Drive::kDown;
  }
  const bool is_a = role == LineRole::kEncoderA;
  encoder_.edge(is_a ? core::EncoderChannel::kA : core::EncoderChannel::kB, active, direction);
  (is_a ? a_ : b_) = active;
  state_.encoder_count = encoder_.count();
  state_.encoder_errors = encoder_.errors();
}

}  // namespace deskd::hw
