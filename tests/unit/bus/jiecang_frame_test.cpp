// Jiecang frames from the public notes: phord/Jarvis README.md (height 0x0506 = 1286 mm),
// Rocka84/esphome_components jiecang_desk_controller.cpp (F1 F1 cmd 00 cmd 7E commands).
#include "bus/jiecang_frame.h"

#include <gtest/gtest.h>

#include <vector>

#include "bus/jiecang_messages.h"

namespace deskd::bus {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::vector<Report> from_controller(std::uint8_t cmd, Bytes params) {
  return interpret_jiecang(JiecangFrame{JiecangFrame::kFromController, cmd, std::move(params)});
}

const Bytes kHeight1286{0xF2, 0xF2, 0x01, 0x03, 0x05, 0x06, 0x07, 0x16, 0x7E};

TEST(JiecangFrame, ChecksumIsTheLowByteOfCmdLenAndParams) {
  EXPECT_EQ(jiecang_checksum(0x01, Bytes{0x05, 0x06, 0x07}), 0x16);
  EXPECT_EQ(jiecang_checksum(0x1B, Bytes{0x04, 0x4C}), 0x6D);
  EXPECT_EQ(jiecang_checksum(0xF0, Bytes{0x10, 0x05}), 0x07);  // 0x107 wraps to 0x07
}

TEST(JiecangFrame, EncodesHandsetCommandsAsInTheNotes) {
  EXPECT_EQ(encode(jiecang_command({CommandKind::kUp, 0})),
            (Bytes{0xF1, 0xF1, 0x01, 0x00, 0x01, 0x7E}));
  EXPECT_EQ(encode(jiecang_command({CommandKind::kDown, 0})),
            (Bytes{0xF1, 0xF1, 0x02, 0x00, 0x02, 0x7E}));
  EXPECT_EQ(encode(jiecang_command({CommandKind::kStop, 0})),
            (Bytes{0xF1, 0xF1, 0x2B, 0x00, 0x2B, 0x7E}));
  EXPECT_EQ(encode(jiecang_command({CommandKind::kWake, 0})),
            (Bytes{0xF1, 0xF1, 0x29, 0x00, 0x29, 0x7E}));
  EXPECT_EQ(encode(jiecang_command({CommandKind::kQuery, 0})),
            (Bytes{0xF1, 0xF1, 0x07, 0x00, 0x07, 0x7E}));
  EXPECT_EQ(encode(jiecang_command({CommandKind::kPreset, 1})),
            (Bytes{0xF1, 0xF1, 0x05, 0x00, 0x05, 0x7E}));
  EXPECT_EQ(encode(jiecang_command({CommandKind::kGoTo, 1100})),
            (Bytes{0xF1, 0xF1, 0x1B, 0x02, 0x04, 0x4C, 0x6D, 0x7E}));
}

TEST(JiecangFrame, ParsesTheHeightFrame) {
  JiecangParser parser(JiecangFrame::kFromController);
  auto frames = parser.consume(kHeight1286);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].cmd, 0x01);
  EXPECT_EQ(frames[0].params, (Bytes{0x05, 0x06, 0x07}));
  EXPECT_EQ(interpret_jiecang(frames[0]), (std::vector<Report>{HeightReport{1286}}));
  EXPECT_EQ(parser.stats().bad_frames, 0U);
}

TEST(JiecangFrame, ParsesAFrameSplitAcrossReads) {
  JiecangParser parser(JiecangFrame::kFromController);
  for (std::size_t i = 0; i + 1 < kHeight1286.size(); ++i) {
    EXPECT_TRUE(parser.consume(std::span(kHeight1286).subspan(i, 1)).empty());
  }
  EXPECT_EQ(parser.consume(std::span(kHeight1286).last(1)).size(), 1U);
}

TEST(JiecangFrame, AFrameWhosePayloadHoldsTheEndByteIsStillWhole) {
  // 0x7E = 126 in the low byte: the length, not the end byte, delimits the frame.
  const JiecangFrame f{JiecangFrame::kFromController, 0x01, {0x04, 0x7E, 0x07}};
  JiecangParser parser(JiecangFrame::kFromController);
  auto frames = parser.consume(encode(f));
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0], f);
}

TEST(JiecangFrame, ReportsPresetsAndLimits) {
  EXPECT_EQ(from_controller(0x25, {0x02, 0xD0}), (std::vector<Report>{PresetReport{1, 720}}));
  EXPECT_EQ(from_controller(0x28, {0x04, 0x4C}), (std::vector<Report>{PresetReport{4, 1100}}));
  EXPECT_EQ(from_controller(0x21, {0x04, 0xF6}),
            (std::vector<Report>{LimitReport{LimitKind::kUserMax, 1270}}));
  EXPECT_EQ(from_controller(0x22, {0x02, 0x6C}),
            (std::vector<Report>{LimitReport{LimitKind::kUserMin, 620}}));
  EXPECT_EQ(from_controller(0x07, {0x04, 0xF6, 0x02, 0x6C}),
            (std::vector<Report>{LimitReport{LimitKind::kPhysicalMax, 1270},
                                 LimitReport{LimitKind::kPhysicalMin, 620}}));
  EXPECT_EQ(from_controller(0x40, {}),
            (std::vector<Report>{ErrorReport{DeskError::kSensor, "RST"}}));
  EXPECT_EQ(from_controller(0x20, {0x11}), (std::vector<Report>{OtherReport{0x20}}));
}

TEST(JiecangFrame, ReportsRoundTripThroughTheSimulatedControllersEncoder) {
  for (const Report& r : (std::vector<Report>{HeightReport{735}, PresetReport{2, 1100},
                                              LimitReport{LimitKind::kUserMin, 650}})) {
    auto f = jiecang_report(r);
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(interpret_jiecang(*f), (std::vector<Report>{r}));
  }
  EXPECT_EQ(interpret_jiecang(jiecang_physical_limits(1270, 620)),
            (std::vector<Report>{LimitReport{LimitKind::kPhysicalMax, 1270},
                                 LimitReport{LimitKind::kPhysicalMin, 620}}));
}

TEST(JiecangFrame, CommandsRoundTripThroughTheHandsetDecoder) {
  for (const Command& c : std::vector<Command>{{CommandKind::kUp, 0},
                                               {CommandKind::kDown, 0},
                                               {CommandKind::kStop, 0},
                                               {CommandKind::kWake, 0},
                                               {CommandKind::kQuery, 0},
                                               {CommandKind::kGoTo, 745},
                                               {CommandKind::kPreset, 3}}) {
    EXPECT_EQ(jiecang_command_from(jiecang_command(c)), c);
  }
}

TEST(JiecangFrame, IgnoresTheOtherDirectionsFrames) {
  JiecangParser parser(JiecangFrame::kFromController);
  EXPECT_TRUE(parser.consume(encode(jiecang_command({CommandKind::kUp, 0}))).empty());
  EXPECT_GT(parser.stats().bad_frames, 0U);
}

}  // namespace
}  // namespace deskd::bus
