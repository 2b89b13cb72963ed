#include "bus/seven_segment.h"

#include <array>
#include <utility>

namespace deskd::bus {

namespace {

constexpr std::array<std::uint8_t, 10> kDigits{0x3F, 0x06, 0x5B, 0x4F, 0x66,
                                               0x6D, 0x7D, 0x07, 0x7F, 0x6F};
// Letters. 'S' shares its glyph with '5' and 'o' is 'o'; glyph_char() returns the digit.
constexpr std::array<std::pair<char, std::uint8_t>, 16> kLetters{{{'E', 0x79},
                                                                  {'R', 0x50},
                                                                  {'S', 0x6D},
                                                                  {'T', 0x78},
                                                                  {'H', 0x76},
                                                                  {'L', 0x38},
                                                                  {'O', 0x5C},
                                                                  {'C', 0x39},
                                                                  {'P', 0x73},
                                                                  {'A', 0x77},
                                                                  {'F', 0x71},
                                                                  {'U', 0x3E},
                                                                  {'N', 0x54},
                                                                  {'B', 0x7C},
                                                                  {'D', 0x5E},
                                                                  {'-', 0x40}}};

}  // namespace

std::optional<int> glyph_digit(std::uint8_t glyph) {
  const auto g = static_cast<std::uint8_t>(glyph & ~kDecimalPoint);
  for (std::size_t i = 0; i < kDigits.size(); ++i) {
    if (kDigits[i] == g) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::uint8_t digit_glyph(int digit) { return kDigits.at(static_cast<std::size_t>(digit)); }

char glyph_char(std::uint8_t glyph) {
  const auto g = static_cast<std::uint8_t>(glyph & ~kDecimalPoint);
  if (g == kBlankGlyph) return ' ';
  if (auto d = glyph_digit(g)) return static_cast<char>('0' + *d);
  for (const auto& [c, lg] : kLetters) {
    if (lg == g) return c;
  }
  return '?';
}

std::uint8_t char_glyph(char c) {
  if (c >= '0' && c <= '9') return digit_glyph(c - '0');
  for (const auto& [lc, g] : kLetters) {
    if (lc == c) return g;
  }
  return kBlankGlyph;
}

}  // namespace deskd::bus
