#pragma once

#include <cstdint>

#include "core/motion_types.h"

namespace deskd::core {

// How the encoder is wired: two channels in quadrature (A/B, decoded x4) or a single hall
// channel A (every edge is one count; the direction comes from how the desk is being driven).
enum class EncoderWiring : std::uint8_t { kQuadrature, kSingleChannel };

enum class EncoderChannel : std::uint8_t { kA, kB };

// Turns the levels of the encoder lines into a signed count; upward motion counts up.
// Quadrature: A leads B when moving up, i.e. (A,B) steps 00 -> 10 -> 11 -> 01 -> 00.
// A transition where both lines changed at once cannot be decoded; it is counted in errors()
// and leaves the count unchanged. A quadrature step against the direction the desk is being
// driven is counted and also an error: a desk driven up does not step down, so the other line
// lost an odd number of edges (three edges folded into one read as one).
class QuadratureDecoder {
 public:
  explicit QuadratureDecoder(EncoderWiring wiring, bool a = false, bool b = false);

  // Feeds the current levels of A and B (B is ignored for a single channel). `direction` is how
  // the desk is being moved right now (the motor drive, or a handset press); kNone means "keep the
  // last known direction" (the desk coasts on the way it was going). Only a single channel uses it.
  // Returns the change of count() caused by this update.
  int update(bool a, bool b, Drive direction);

  // One edge event of one channel: `level` is the line's level after it; the other channel keeps
  // its level. An edge that leaves its line at the level it already had means the opposite edge
  // was lost: it counts as an error (and, on a single channel, still as one count).
  int edge(EncoderChannel channel, bool level, Drive direction);

  // Forgets the line history: the next update() is compared against these levels.
  void resync(bool a, bool b);

  std::int64_t count() const { return count_; }
  std::uint32_t errors() const { return errors_; }
  EncoderWiring wiring() const { return wiring_; }

 private:
  EncoderWiring wiring_;
  bool a_;
  bool b_;
  Drive last_direction_ = Drive::kUp;
  std::int64_t count_ = 0;
  std::uint32_t errors_ = 0;
};

}  // namespace deskd::core
