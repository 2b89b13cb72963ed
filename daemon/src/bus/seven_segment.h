#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace deskd::bus {

// Seven-segment glyphs as the Loctek controller sends them: bit 0 = segment a ... bit 6 = g,
// bit 7 (0x80) the decimal point after the digit. Digit table as in iMicknl/LoctekMotion_IoT
// components/loctekmotion_desk_height/height_decoder.h (0x3F = 0 ... 0x6F = 9).
inline constexpr std::uint8_t kDecimalPoint = 0x80;
inline constexpr std::uint8_t kBlankGlyph = 0x00;

// The digit a glyph shows (decimal point ignored), nullopt if it is not a digit.
std::optional<int> glyph_digit(std::uint8_t glyph);
// The glyph for a digit 0-9.
std::uint8_t digit_glyph(int digit);
// The character a glyph shows: '0'-'9', an upper-case letter the desk uses for its messages
// (E, r, S, t, H, L, o, C, P, A, F, U, n, b, d), '-' or ' ' (blank); '?' for anything else.
char glyph_char(std::uint8_t glyph);
// The glyph for one of the characters glyph_char() returns (digits, letters, '-', ' ').
std::uint8_t char_glyph(char c);

}  // namespace deskd::bus
