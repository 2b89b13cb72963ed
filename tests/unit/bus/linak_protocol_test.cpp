// Linak GATT values from the public notes, each with its source:
// - anson-vandoren/linak-desk-spec spec.md ("spec.md" below): reference-output defaults and
//   readings, the DPG handshake answers, the control and reference-input commands;
// - newAM/idasen idasen/__init__.py ("idasen"): the UUIDs and the control commands;
// - rhyst/linak-controller linak_controller/gatt.py, desk.py ("linak-controller"): wake, the
//   signed speed, the move-to encoding, the DPG base offset and the user-id quirk.
#include "bus/linak_protocol.h"

#include <gtest/gtest.h>

namespace deskd::bus::linak {
namespace {

Reference reference(const Bytes& value) {
  auto decoded = decode_reference(value);
  EXPECT_TRUE(std::holds_alternative<Reference>(decoded)) << "refused";
  return std::holds_alternative<Reference>(decoded) ? std::get<Reference>(decoded) : Reference{};
}

std::optional<Refusal> refusal(const Bytes& value) {
  auto decoded = decode_reference(value);
  if (auto* r = std::get_if<Refusal>(&decoded)) return *r;
  return std::nullopt;
}

TEST(LinakReference, DecodesHeightAboveTheBaseInTenthsOfAMillimetre) {
  struct Case {
    Bytes value;
    int tenth_mm;
    const char* source;
  };
  for (const Case& c : {Case{{0x2A, 0x16, 0x00, 0x00}, 5674, "spec.md default of 0021"},
                        Case{{0x52, 0x16, 0x00, 0x00}, 5714, "spec.md emulator start value"},
                        Case{{0x58, 0x16, 0x00, 0x00}, 5720, "spec.md handshake read of 0021"},
                        Case{{0x99, 0x05, 0x00, 0x00}, 1433, "spec.md worked example"},
                        Case{{0x00, 0x00, 0x00, 0x00}, 0, "the base itself"}}) {
    const Reference r = reference(c.value);
    EXPECT_EQ(r.height_tenth_mm, c.tenth_mm) << c.source;
    EXPECT_EQ(r.speed_hundredth_mm_s, 0) << c.source;
  }
  EXPECT_DOUBLE_EQ(reference({0x2A, 0x16, 0x00, 0x00}).height_above_base_mm(), 567.4);
}

// linak-controller: struct.unpack("<Hh"): the speed is signed, 0.01 mm/s, negative downwards.
TEST(LinakReference, DecodesTheSignedSpeed) {
  const Reference up = reference({0x2A, 0x16, 0x88, 0x0E});  // +3720 = 37.2 mm/s
  EXPECT_EQ(up.speed_hundredth_mm_s, 3720);
  EXPECT_DOUBLE_EQ(up.speed_mm_s(), 37.2);
  const Reference down = reference({0x2A, 0x16, 0x78, 0xF1});  // -3720
  EXPECT_EQ(down.speed_hundredth_mm_s, -3720);
}

TEST(LinakReference, RefusesValuesThatAreNoHeight) {
  EXPECT_EQ(refusal({0xFF, 0xFF, 0x00, 0x00}), Refusal::kNoHeight);  // a stuck 0xFF: "6.5 m"
  EXPECT_EQ(refusal({0xFF, 0xFF, 0xFF, 0xFF}), Refusal::kNoHeight);
  EXPECT_EQ(refusal({0x2A, 0x16, 0x00}), Refusal::kWrongLength);
  EXPECT_EQ(refusal({0x2A, 0x16}), Refusal::kWrongLength);  // idasen asserts 4 bytes
  EXPECT_EQ(refusal({}), Refusal::kWrongLength);
  EXPECT_EQ(refusal({0x2A, 0x16, 0x00, 0x00, 0x00}), Refusal::kWrongLength);
  EXPECT_EQ(refusal({0x4D, 0x1D, 0x00, 0x00}), Refusal::kOutOfRange);  // 7501 = 750.1 mm
  EXPECT_EQ(refusal({0xFE, 0xFF, 0x00, 0x00}), Refusal::kOutOfRange);
  EXPECT_EQ(refusal({0x2A, 0x16, 0x41, 0x1F}), Refusal::kImpossibleSpeed);  // 80.01 mm/s
  EXPECT_EQ(refusal({0x2A, 0x16, 0xBF, 0xE0}), Refusal::kImpossibleSpeed);  // -80.01 mm/s
  EXPECT_FALSE(refusal({0x4C, 0x1D, 0x40, 0x1F}));                          // both at the edge
}

TEST(LinakControl, EncodesTheControlCommandsAsInTheNotes) {
  EXPECT_EQ(encode_control(Control::kUp), (Bytes{0x47, 0x00}));    // idasen, spec.md
  EXPECT_EQ(encode_control(Control::kDown), (Bytes{0x46, 0x00}));  // idasen, spec.md
  EXPECT_EQ(encode_control(Control::kStop), (Bytes{0xFF, 0x00}));  // idasen, spec.md
  EXPECT_EQ(encode_control(Control::kWake), (Bytes{0xFE, 0x00}));  // linak-controller 254
}

TEST(LinakMoveTo, EncodesTheTargetLittleEndianAndRefusesTheImpossible) {
  EXPECT_EQ(encode_move_to(5674), (Bytes{0x2A, 0x16}));  // linak-controller "<H"
  EXPECT_EQ(encode_move_to(0), (Bytes{0x00, 0x00}));
  EXPECT_FALSE(encode_move_to(-1));
  EXPECT_FALSE(encode_move_to(kMaxTravelTenthMm + 1));
  EXPECT_FALSE(encode_move_to(0xFFFF));
  EXPECT_EQ(encode_move_to_stop(), (Bytes{0x01, 0x80}));  // spec.md, idasen
}

TEST(LinakDpg, ReadsTheBaseOffsetAsTheNotesShow) {
  EXPECT_EQ(encode_dpg_read(DpgCommand::kBaseOffset), (Bytes{0x7F, 0x81, 0x00}));  // spec.md
  EXPECT_EQ(encode_dpg_read(DpgCommand::kCapabilities), (Bytes{0x7F, 0x80, 0x00}));
  // spec.md: the real desk answers 0x7F 0x81 0x00 with 0x01 03 01 66 18: 0x1866 = 624.6 mm.
  const auto payload = decode_dpg_answer(Bytes{0x01, 0x03, 0x01, 0x66, 0x18});
  ASSERT_TRUE(payload);
  EXPECT_EQ(decode_base_offset(*payload), 6246);
  EXPECT_FALSE(decode_dpg_answer(Bytes{0x0B, 0x00}));  // spec.md: 0x7F 8C 00 -> 0B 00
  EXPECT_FALSE(decode_dpg_answer(Bytes{0x01}));
  EXPECT_FALSE(decode_base_offset(Bytes{0x01, 0x66}));        // short
  EXPECT_FALSE(decode_base_offset(Bytes{0x01, 0xFF, 0xFF}));  // no desk is 6.5 m low
  EXPECT_FALSE(decode_base_offset(Bytes{0x01, 0x00, 0x00}));  // nor 0 mm
  EXPECT_EQ(*decode_dpg_answer(Bytes{0x01, 0x02, 0x23, 0x01}), (Bytes{0x23, 0x01}));  // spec.md
}

// linak-controller desk.py: a DPG1C needs the user id's first byte set to 1; spec.md shows the
// id read (0x7F 86 00 -> 01 11 00 C6 0F ...) and the write (0x7F 86 80 01 ...) answered 01 00.
TEST(LinakDpg, FixesTheUserIdQuirk) {
  EXPECT_EQ(encode_dpg_read(DpgCommand::kUserId), (Bytes{0x7F, 0x86, 0x00}));
  const auto id = decode_dpg_answer(Bytes{0x01, 0x11, 0x00, 0xC6, 0x0F, 0xCA});
  ASSERT_TRUE(id);
  const auto fixed = user_id_fix(*id);
  ASSERT_TRUE(fixed);
  EXPECT_EQ(*fixed, (Bytes{0x01, 0xC6, 0x0F, 0xCA}));
  EXPECT_EQ(encode_dpg_write(DpgCommand::kUserId, *fixed),
            (Bytes{0x7F, 0x86, 0x80, 0x01, 0xC6, 0x0F, 0xCA}));
  EXPECT_FALSE(user_id_fix(Bytes{0x01, 0xC6}));
  EXPECT_FALSE(user_id_fix(Bytes{}));
  EXPECT_TRUE(decode_dpg_answer(Bytes{0x01, 0x00}));  // spec.md: the write's answer
}

TEST(LinakUuids, AreTheOnesTheNotesList) {
  EXPECT_EQ(kHeightChar, "99fa0021-338a-1024-8a49-009c0215f78a");   // idasen _UUID_HEIGHT
  EXPECT_EQ(kControlChar, "99fa0002-338a-1024-8a49-009c0215f78a");  // idasen _UUID_COMMAND
  EXPECT_EQ(kMoveToChar, "99fa0031-338a-1024-8a49-009c0215f78a");   // idasen REFERENCE_INPUT
  EXPECT_EQ(kDpgChar, "99fa0011-338a-1024-8a49-009c0215f78a");      // linak-controller DPG
}

}  // namespace
}  // namespace deskd::bus::linak
