// Loctek frames from the public notes: iMicknl/LoctekMotion_IoT README.md (command table with
// CRCs) and packages/office-desk-esp32.yaml (the same frames, sent every 108 ms while moving).
// The display frames' CRCs were computed independently (CRC-16/MODBUS, high byte first).
#include "bus/loctek_frame.h"

#include <gtest/gtest.h>

#include <vector>

#include "bus/loctek_messages.h"
#include "bus/seven_segment.h"

namespace deskd::bus {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(LoctekFrame, CrcIsModbusOverLenTypeAndPayload) {
  EXPECT_EQ(crc16_modbus(Bytes{0x06, 0x02, 0x01, 0x00}), 0xFCA0);
  EXPECT_EQ(crc16_modbus(Bytes{0x06, 0x02, 0x00, 0x00}), 0x6CA1);
  EXPECT_EQ(crc16_modbus(Bytes{}), 0xFFFF);
}

TEST(LoctekFrame, EncodesTheCommandsOfThePublicTable) {
  auto cmd = [](CommandKind k, int v = 0) { return encode(*loctek_command({k, v})); };
  EXPECT_EQ(cmd(CommandKind::kWake), (Bytes{0x9B, 0x06, 0x02, 0x00, 0x00, 0x6C, 0xA1, 0x9D}));
  EXPECT_EQ(cmd(CommandKind::kUp), (Bytes{0x9B, 0x06, 0x02, 0x01, 0x00, 0xFC, 0xA0, 0x9D}));
  EXPECT_EQ(cmd(CommandKind::kDown), (Bytes{0x9B, 0x06, 0x02, 0x02, 0x00, 0x0C, 0xA0, 0x9D}));
  EXPECT_EQ(cmd(CommandKind::kPreset, 1), (Bytes{0x9B, 0x06, 0x02, 0x04, 0x00, 0xAC, 0xA3, 0x9D}));
  EXPECT_EQ(cmd(CommandKind::kPreset, 2), (Bytes{0x9B, 0x06, 0x02, 0x08, 0x00, 0xAC, 0xA6, 0x9D}));
  EXPECT_EQ(cmd(CommandKind::kPreset, 3), (Bytes{0x9B, 0x06, 0x02, 0x10, 0x00, 0xAC, 0xAC, 0x9D}));
  EXPECT_EQ(cmd(CommandKind::kPreset, 4), (Bytes{0x9B, 0x06, 0x02, 0x00, 0x01, 0xAC, 0x60, 0x9D}));
  // Stop is "stop sending moves", plus a wake frame.
  EXPECT_EQ(cmd(CommandKind::kStop), cmd(CommandKind::kWake));
  EXPECT_FALSE(loctek_command({CommandKind::kGoTo, 1100}).has_value());
  EXPECT_FALSE(loctek_command({CommandKind::kPreset, 5}).has_value());
}

std::vector<Report> decode(const Bytes& bytes) {
  LoctekParser parser;
  std::vector<Report> out;
  for (const auto& f : parser.consume(bytes)) {
    for (auto& r : interpret_loctek(f)) out.push_back(r);
  }
  EXPECT_EQ(parser.stats().bad_frames, 0U);
  return out;
}

TEST(LoctekFrame, ADecimalPointAfterTheMiddleDigitMeansTenths) {
  // "72.5" cm = 725 mm.
  EXPECT_EQ(decode({0x9B, 0x07, 0x12, 0x07, 0xDB, 0x6D, 0x64, 0xBE, 0x9D}),
            (std::vector<Report>{HeightReport{725}}));
  // The ten-byte variant carries three more bytes after the digits.
  EXPECT_EQ(decode({0x9B, 0x0A, 0x12, 0x07, 0xDB, 0x6D, 0x00, 0x00, 0x00, 0x7D, 0x8B, 0x9D}),
            (std::vector<Report>{HeightReport{725}}));
}

TEST(LoctekFrame, ThreeDigitsWithoutDecimalPointAreWholeUnits) {
  EXPECT_EQ(decode({0x9B, 0x07, 0x12, 0x06, 0x5B, 0x4F, 0x7D, 0x0E, 0x9D}),
            (std::vector<Report>{HeightReport{1230}}));
}

TEST(LoctekFrame, ErrorDisplaysBecomeDeskErrorsWithTheirCode) {
  EXPECT_EQ(decode({0x9B, 0x07, 0x12, 0x79, 0x3F, 0x06, 0x93, 0xD4, 0x9D}),
            (std::vector<Report>{ErrorReport{DeskError::kSensor, "E01"}}));
  EXPECT_EQ(decode({0x9B, 0x07, 0x12, 0x50, 0x6D, 0x78, 0x1B, 0xB8, 0x9D}),
            (std::vector<Report>{ErrorReport{DeskError::kSensor, "RST"}}));
  EXPECT_EQ(decode({0x9B, 0x07, 0x12, 0x76, 0x3F, 0x06, 0x90, 0xE4, 0x9D}),
            (std::vector<Report>{ErrorReport{DeskError::kLimit, "H01"}}));
}

// iMicknl/LoctekMotion_IoT #44: the reminder countdown (" 99", "=99" while it flashes) and
// PR #18: the preset-store prompt ("S-1") are normal use: a display, neither height nor error.
TEST(LoctekFrame, OnlyErrorCodesAreDeskErrorsOtherDisplaysAreNoHeight) {
  EXPECT_EQ(interpret_loctek({loctek::kDisplay, {0x00, 0x6F, 0x6F}}),
            (std::vector<Report>{DisplayReport{" 99"}}));
  EXPECT_EQ(interpret_loctek({loctek::kDisplay, {0x09, 0x6F, 0x6F}}),
            (std::vector<Report>{DisplayReport{"?99"}}));
  EXPECT_EQ(interpret_loctek({loctek::kDisplay, {0x6D, 0x40, 0x06}}),
            (std::vector<Report>{DisplayReport{"S-1"}}));
  EXPECT_EQ(loctek_error_kind("E01"), DeskError::kSensor);
  EXPECT_EQ(loctek_error_kind("E99"), DeskError::kSensor);
  EXPECT_EQ(loctek_error_kind("RST"), DeskError::kSensor);
  EXPECT_EQ(loctek_error_kind("H01"), DeskError::kLimit);
  for (const char* text : {" 99", "S-1", "?99", "E-1", "EEE", "H 1", "LOC", "P-1"}) {
    EXPECT_EQ(loctek_error_kind(text), std::nullopt) << text;
  }
}

TEST(LoctekFrame, ABlankDisplayIsNoHeight) {
  EXPECT_EQ(decode({0x9B, 0x07, 0x12, 0x00, 0x00, 0x00, 0xB8, 0x94, 0x9D}),
            (std::vector<Report>{OtherReport{0x12}}));
}

TEST(LoctekFrame, ADecimalPointElsewhereIsNoHeight) {
  const LoctekFrame f{loctek::kDisplay,
                      {static_cast<std::uint8_t>(0x07 | kDecimalPoint), 0x5B, 0x6D}};
  const auto r = interpret_loctek(f);
  ASSERT_EQ(r.size(), 1U);
  EXPECT_FALSE(std::holds_alternative<HeightReport>(r[0]));
}

TEST(LoctekFrame, HeightDisplaysRoundTrip) {
  for (int raw : {620, 725, 999}) {
    EXPECT_EQ(interpret_loctek(loctek_height_display(raw)),
              (std::vector<Report>{HeightReport{raw}}));
  }
  // From 100.0 up the display has whole units only.
  EXPECT_EQ(interpret_loctek(loctek_height_display(1104)),
            (std::vector<Report>{HeightReport{1100}}));
  EXPECT_EQ(interpret_loctek(loctek_text_display("E05")),
            (std::vector<Report>{ErrorReport{DeskError::kSensor, "E05"}}));
}

TEST(LoctekFrame, CommandsRoundTripThroughTheHandsetDecoder) {
  for (const Command& c : std::vector<Command>{{CommandKind::kUp, 0},
                                               {CommandKind::kDown, 0},
                                               {CommandKind::kWake, 0},
                                               {CommandKind::kPreset, 1},
                                               {CommandKind::kPreset, 4}}) {
    EXPECT_EQ(loctek_command_from(*loctek_command(c)), c);
  }
  EXPECT_FALSE(loctek_command_from({0x12, {0x00, 0x00}}).has_value());
}

}  // namespace
}  // namespace deskd::bus
