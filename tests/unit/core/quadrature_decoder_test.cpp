#include "core/quadrature_decoder.h"

#include <gtest/gtest.h>

#include <vector>

namespace deskd::core {
namespace {

struct Levels {
  bool a;
  bool b;
};

struct TransitionCase {
  Levels from;
  Levels to;
  int delta;
  std::uint32_t errors;
};

TEST(QuadratureDecoder, EveryTransitionDecodesToItsStepOrAnError) {
  // Upward sequence: 00 -> 10 -> 11 -> 01 -> 00.
  const std::vector<TransitionCase> cases = {
      {{false, false}, {true, false}, +1, 0}, {{true, false}, {true, true}, +1, 0},
      {{true, true}, {false, true}, +1, 0},   {{false, true}, {false, false}, +1, 0},
      {{false, false}, {false, true}, -1, 0}, {{false, true}, {true, true}, -1, 0},
      {{true, true}, {true, false}, -1, 0},   {{true, false}, {false, false}, -1, 0},
      {{false, false}, {false, false}, 0, 0}, {{true, true}, {true, true}, 0, 0},
      {{false, false}, {true, true}, 0, 1},   {{true, true}, {false, false}, 0, 1},
      {{true, false}, {false, true}, 0, 1},   {{false, true}, {true, false}, 0, 1},
  };
  for (const auto& c : cases) {
    QuadratureDecoder decoder(EncoderWiring::kQuadrature, c.from.a, c.from.b);
    EXPECT_EQ(decoder.update(c.to.a, c.to.b, Drive::kNone), c.delta)
        << c.from.a << c.from.b << " -> " << c.to.a << c.to.b;
    EXPECT_EQ(decoder.count(), c.delta);
    EXPECT_EQ(decoder.errors(), c.errors) << c.from.a << c.from.b << " -> " << c.to.a << c.to.b;
  }
}

TEST(QuadratureDecoder, QuadratureCountsWhatTheLinesSayAndAStepAgainstTheDriveIsAnError) {
  QuadratureDecoder decoder(EncoderWiring::kQuadrature);
  // Upward steps while "driving down": the lines decide the count, but a desk driven down does
  // not step up, so each such step is also an error (edges were lost).
  decoder.update(true, false, Drive::kDown);
  decoder.update(true, true, Drive::kDown);
  EXPECT_EQ(decoder.count(), 2);
  EXPECT_EQ(decoder.errors(), 2u);
  // Coasting (no drive) or a step with the drive: no error.
  decoder.update(false, true, Drive::kNone);
  decoder.update(false, false, Drive::kUp);
  EXPECT_EQ(decoder.count(), 4);
  EXPECT_EQ(decoder.errors(), 2u);
}

// Issue 20 §4 (the real-kernel harness under host load): the v1 uAPI reads a line's level when
// its irq thread runs, so three edges of A it could not serve in time (a+ a- a+) arrive as one
// rising edge. Driven up, the true steps a+ b+ a- b- a+ (+5) then read as b+ b- a+: -1 +1 +1.
// Four counts are lost without an undecodable transition; the step against the drive shows it.
TEST(QuadratureDecoder, ThreeFoldedEdgesOfOneLineShowAsAStepAgainstTheDrive) {
  QuadratureDecoder decoder(EncoderWiring::kQuadrature);
  EXPECT_EQ(decoder.edge(EncoderChannel::kB, true, Drive::kUp), -1);
  EXPECT_EQ(decoder.edge(EncoderChannel::kB, false, Drive::kUp), +1);
  EXPECT_EQ(decoder.edge(EncoderChannel::kA, true, Drive::kUp), +1);
  EXPECT_EQ(decoder.count(), 1) << "the truth is 5";
  EXPECT_EQ(decoder.errors(), 1u) << "one error: up to 4 counts of doubt";
}

TEST(QuadratureDecoder, FullCyclesUpAndBackReturnToZero) {
  QuadratureDecoder decoder(EncoderWiring::kQuadrature);
  const std::vector<Levels> up = {{true, false}, {true, true}, {false, true}, {false, false}};
  for (int cycle = 0; cycle < 3; ++cycle) {
    for (const auto& l : up) decoder.update(l.a, l.b, Drive::kNone);
  }
  EXPECT_EQ(decoder.count(), 12);
  const std::vector<Levels> down = {{false, true}, {true, true}, {true, false}, {false, false}};
  for (int cycle = 0; cycle < 3; ++cycle) {
    for (const auto& l : down) decoder.update(l.a, l.b, Drive::kNone);
  }
  EXPECT_EQ(decoder.count(), 0);
  EXPECT_EQ(decoder.errors(), 0u);
}

struct SingleCase {
  Drive direction;
  int delta_per_edge;
};

TEST(QuadratureDecoder, SingleChannelCountsEveryEdgeInTheDrivenDirection) {
  const std::vector<SingleCase> cases = {{Drive::kUp, +1}, {Drive::kDown, -1}};
  for (const auto& c : cases) {
    QuadratureDecoder decoder(EncoderWiring::kSingleChannel);
    EXPECT_EQ(decoder.update(true, false, c.direction), c.delta_per_edge);
    EXPECT_EQ(decoder.update(false, false, c.direction), c.delta_per_edge);
    EXPECT_EQ(decoder.update(false, false, c.direction), 0);  // no edge
    EXPECT_EQ(decoder.count(), 2 * c.delta_per_edge);
  }
}

TEST(QuadratureDecoder, SingleChannelKeepsTheLastDirectionWhileCoasting) {
  QuadratureDecoder decoder(EncoderWiring::kSingleChannel);
  decoder.update(true, false, Drive::kDown);
  EXPECT_EQ(decoder.update(false, false, Drive::kNone), -1);
  EXPECT_EQ(decoder.count(), -2);
}

TEST(QuadratureDecoder, SingleChannelIgnoresLineB) {
  QuadratureDecoder decoder(EncoderWiring::kSingleChannel);
  EXPECT_EQ(decoder.update(false, true, Drive::kUp), 0);
  EXPECT_EQ(decoder.update(false, false, Drive::kUp), 0);
  EXPECT_EQ(decoder.count(), 0);
  EXPECT_EQ(decoder.errors(), 0u);
}

TEST(QuadratureDecoder, ResyncForgetsTheLineHistory) {
  QuadratureDecoder decoder(EncoderWiring::kQuadrature);
  decoder.resync(true, true);  // 00 -> 11 would be an error; after resync it is no change
  EXPECT_EQ(decoder.update(true, true, Drive::kNone), 0);
  EXPECT_EQ(decoder.update(false, true, Drive::kNone), 1);
  EXPECT_EQ(decoder.errors(), 0u);
}

struct EdgeCase {
  EncoderWiring wiring;
  EncoderChannel channel;
  bool level;
  Drive direction;
  int delta;
  std::uint32_t errors;
};

TEST(QuadratureDecoder, EdgeEventsChangeOneChannelAndRepeatedLevelsAreLostEdges) {
  // Every case starts from A=0, B=0.
  const std::vector<EdgeCase> cases = {
      {EncoderWiring::kQuadrature, EncoderChannel::kA, true, Drive::kNone, +1, 0},
      {EncoderWiring::kQuadrature, EncoderChannel::kB, true, Drive::kNone, -1, 0},
      {EncoderWiring::kQuadrature, EncoderChannel::kA, false, Drive::kNone, 0, 1},
      {EncoderWiring::kQuadrature, EncoderChannel::kB, false, Drive::kUp, 0, 1},
      {EncoderWiring::kQuadrature, EncoderChannel::kB, true, Drive::kUp, -1, 1},
      {EncoderWiring::kQuadrature, EncoderChannel::kA, true, Drive::kUp, +1, 0},
      {EncoderWiring::kSingleChannel, EncoderChannel::kA, true, Drive::kDown, -1, 0},
      {EncoderWiring::kSingleChannel, EncoderChannel::kA, false, Drive::kUp, +1, 1},
      {EncoderWiring::kSingleChannel, EncoderChannel::kB, true, Drive::kUp, 0, 0},
  };
  for (const auto& c : cases) {
    QuadratureDecoder decoder(c.wiring);
    EXPECT_EQ(decoder.edge(c.channel, c.level, c.direction), c.delta)
        << static_cast<int>(c.wiring) << static_cast<int>(c.channel) << c.level;
    EXPECT_EQ(decoder.count(), c.delta);
    EXPECT_EQ(decoder.errors(), c.errors)
        << static_cast<int>(c.wiring) << static_cast<int>(c.channel) << c.level;
  }
}

}  // namespace
}  // namespace deskd::core
