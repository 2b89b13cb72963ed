#include "hw/input_decoder.h"

#include <gtest/gtest.h>

namespace deskd::hw {
namespace {

TEST(InputDecoder, SwitchesAndButtonsFollowTheirLastEdge) {
  InputDecoder decoder(core::EncoderWiring::kQuadrature);
  const std::vector<std::pair<LineRole, bool ports::InputState::*>> lines = {
      {LineRole::kLimitBottom, &ports::InputState::limit_bottom},
      {LineRole::kLimitTop, &ports::InputState::limit_top},
      {LineRole::kHandsetUp, &ports::InputState::handset_up},
      {LineRole::kHandsetDown, &ports::InputState::handset_down},
      {LineRole::kButton, &ports::InputState::button},
  };
  for (const auto& [role, field] : lines) {
    decoder.apply_edge(role, true, core::Drive::kNone);
    EXPECT_TRUE(decoder.state().*field) << to_string(role);
    decoder.apply_edge(role, false, core::Drive::kNone);
    EXPECT_FALSE(decoder.state().*field) << to_string(role);
  }
  EXPECT_EQ(decoder.state(), ports::InputState{});
}

TEST(InputDecoder, SetLevelResyncsTheEncoderWithoutCounting) {
  InputDecoder decoder(core::EncoderWiring::kQuadrature);
  decoder.apply_edge(LineRole::kEncoderA, true, core::Drive::kNone);   // 00 -> 10: +1
  decoder.set_level(LineRole::kEncoderB, true);                        // lost edge: resync 11
  decoder.apply_edge(LineRole::kEncoderA, false, core::Drive::kNone);  // 11 -> 01: +1
  EXPECT_EQ(decoder.state().encoder_count, 2);
  EXPECT_EQ(decoder.state().encoder_errors, 0u);
}

TEST(InputDecoder, ARepeatedLevelOnAnEncoderLineIsALostEdgeError) {
  InputDecoder decoder(core::EncoderWiring::kQuadrature);
  decoder.apply_edge(LineRole::kEncoderA, true, core::Drive::kNone);
  decoder.apply_edge(LineRole::kEncoderA, true, core::Drive::kNone);  // the fall was lost
  EXPECT_EQ(decoder.state().encoder_count, 1);
  EXPECT_EQ(decoder.state().encoder_errors, 1u);
}

TEST(InputDecoder, InitialLevelsAreNotCounted) {
  InputDecoder decoder(core::EncoderWiring::kQuadrature);
  decoder.set_level(LineRole::kEncoderA, true);
  decoder.set_level(LineRole::kEncoderB, true);
  EXPECT_EQ(decoder.state().encoder_count, 0);
  decoder.apply_edge(LineRole::kEncoderA, false, core::Drive::kNone);  // 11 -> 01: +1
  EXPECT_EQ(decoder.state().encoder_count, 1);
}

struct DirectionCase {
  core::Drive drive;
  bool handset_up;
  bool handset_down;
  int expected_per_edge;
};

TEST(InputDecoder, SingleHallDirectionComesFromTheDriveThenTheHandset) {
  const std::vector<DirectionCase> cases = {
      {core::Drive::kUp, false, false, +1},  {core::Drive::kDown, false, false, -1},
      {core::Drive::kNone, true, false, +1}, {core::Drive::kNone, false, true, -1},
      {core::Drive::kUp, false, true, +1},  // deskd's drive wins over a handset reading
  };
  for (const auto& c : cases) {
    InputDecoder decoder(core::EncoderWiring::kSingleChannel);
    decoder.set_level(LineRole::kHandsetUp, c.handset_up);
    decoder.set_level(LineRole::kHandsetDown, c.handset_down);
    decoder.apply_edge(LineRole::kEncoderA, true, c.drive);
    decoder.apply_edge(LineRole::kEncoderA, false, c.drive);
    EXPECT_EQ(decoder.state().encoder_count, 2 * c.expected_per_edge)
        << core::to_string(c.drive) << c.handset_up << c.handset_down;
  }
}

}  // namespace
}  // namespace deskd::hw
