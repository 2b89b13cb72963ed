#include "core/quadrature_decoder.h"

namespace deskd::core {

namespace {

// Position of a state (A,B) on the upward Gray sequence 00 -> 10 -> 11 -> 01.
int phase(bool a, bool b) {
  if (!a && !b) return 0;
  if (a && !b) return 1;
  if (a && b) return 2;
  return 3;
}

}  // namespace

QuadratureDecoder::QuadratureDecoder(EncoderWiring wiring, bool a, bool b)
    : wiring_(wiring), a_(a), b_(wiring == EncoderWiring::kQuadrature ? b : false) {}

void QuadratureDecoder::resync(bool a, bool b) {
  a_ = a;
  b_ = wiring_ == EncoderWiring::kQuadrature ? b : false;
}

int QuadratureDecoder::edge(EncoderChannel channel, bool level, Drive direction) {
  const bool single = wiring_ == EncoderWiring::kSingleChannel;
  if (single && channel == EncoderChannel::kB) return 0;
  const bool current = channel == EncoderChannel::kA ? a_ : b_;
  if (level != current) {
    return channel == EncoderChannel::kA ? update(level, b_, direction)
                                         : update(a_, level, direction);
  }
  ++errors_;
  if (!single) return 0;
  if (direction != Drive::kNone) last_direction_ = direction;
  const int delta = last_direction_ == Drive::kDown ? -1 : 1;
  count_ += delta;
  return delta;
}

int QuadratureDecoder::update(bool a, bool b, Drive direction) {
  if (direction != Drive::kNone) last_direction_ = direction;
  int delta = 0;
  if (wiring_ == EncoderWiring::kSingleChannel) {
    if (a != a_) delta = last_direction_ == Drive::kDown ? -1 : 1;
    a_ = a;
  } else {
    const int step = (phase(a, b) - phase(a_, b_) + 4) % 4;
    if (step == 1) {
      delta = 1;
    } else if (step == 3) {
      delta = -1;
    } else if (step == 2) {
      ++errors_;
    }
    // A step against the direction being driven: the other line lost edges (the kernel folds
    // the edges of a line it could not serve in time into one, read at the line's level then).
    if (delta != 0 && direction != Drive::kNone && (delta > 0) != (direction == Drive::kUp)) {
      ++errors_;
    }
    a_ = a;
    b_ = b;
  }
  count_ += delta;
  return delta;
}

}  // namespace deskd::core
