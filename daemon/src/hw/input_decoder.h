#pragma once

#include "core/motion_types.h"
#include "core/quadrature_decoder.h"
#include "hw/line_role.h"
#include "ports/desk_io.h"

namespace deskd::hw {

// Folds the edges of the input lines into an InputState. The encoder goes through a
// QuadratureDecoder; a single hall channel takes its direction from the motor drive, or from a
// held handset button while deskd is not driving.
class InputDecoder {
 public:
  explicit InputDecoder(core::EncoderWiring wiring);

  // Sets a line's level without counting (at start-up, or after lost events).
  void set_level(LineRole role, bool active);
  // Applies one edge: `active` is the line's level after it; `drive` the current motor drive.
  void apply_edge(LineRole role, bool active, core::Drive drive);
  // The kernel's event queue of an encoder line was full: about `n` edges may be lost.
  void note_lost_edges(std::uint32_t n) { state_.encoder_lost_edges += n; }

  const ports::InputState& state() const { return state_; }

 private:
  core::QuadratureDecoder encoder_;
  bool a_ = false;
  bool b_ = false;
  ports::InputState state_;
};

}  // namespace deskd::hw
