#include "bus/loctek_messages.h"

#include <array>
#include <string>
#include <utility>

#include "bus/seven_segment.h"

namespace deskd::bus {

namespace {

// Key bytes of type-02 frames (iMicknl/LoctekMotion_IoT README.md command list).
constexpr std::array<std::uint8_t, 2> kWakeKeys{0x00, 0x00};
constexpr std::array<std::uint8_t, 2> kUpKeys{0x01, 0x00};
constexpr std::array<std::uint8_t, 2> kDownKeys{0x02, 0x00};
constexpr std::array<std::array<std::uint8_t, 2>, 4> kPresetKeys{
    {{0x04, 0x00}, {0x08, 0x00}, {0x10, 0x00}, {0x00, 0x01}}};

LoctekFrame keys_frame(const std::array<std::uint8_t, 2>& keys) {
  return {loctek::kCommand, {keys[0], keys[1]}};
}

std::optional<int> display_number(std::uint8_t a, std::uint8_t b, std::uint8_t c) {
  const auto da = glyph_digit(a), db = glyph_digit(b), dc = glyph_digit(c);
  if (!da || !db || !dc) return std::nullopt;
  if (((a | c) & kDecimalPoint) != 0) return std::nullopt;  // only "xx.x" is a height
  const int n = *da * 100 + *db * 10 + *dc;
  return (b & kDecimalPoint) != 0 ? n : n * 10;
}

std::string display_text(std::uint8_t a, std::uint8_t b, std::uint8_t c) {
  std::string text{glyph_char(a), glyph_char(b), glyph_char(c)};
  // 'S' and '5' share a glyph: it is the letter in "RST" and before a dash ("S-1", preset store).
  if (text == "R5T") text = "RST";
  if (text[0] == '5' && text[1] == '-') text[0] = 'S';
  return text;
}

}  // namespace

std::optional<DeskError> loctek_error_kind(std::string_view text) {
  if (text == "RST") return DeskError::kSensor;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() != 3 || !digit(text[1]) || !digit(text[2])) return std::nullopt;
  if (text.front() == 'E') return DeskError::kSensor;
  if (text.front() == 'H') return DeskError::kLimit;
  return std::nullopt;
}

std::vector<Report> interpret_loctek(const LoctekFrame& f) {
  if (f.type != loctek::kDisplay || f.payload.size() < 3) return {OtherReport{f.type}};
  const auto a = f.payload[0], b = f.payload[1], c = f.payload[2];
  if (((a | b | c) & ~kDecimalPoint) == kBlankGlyph) return {OtherReport{f.type}};
  if (auto n = display_number(a, b, c)) return {HeightReport{*n}};
  std::string text = display_text(a, b, c);
  if (const auto kind = loctek_error_kind(text)) return {ErrorReport{*kind, std::move(text)}};
  return {DisplayReport{std::move(text)}};
}

std::optional<LoctekFrame> loctek_command(const Command& c) {
  switch (c.kind) {
    case CommandKind::kWake:
    case CommandKind::kStop:
      return keys_frame(kWakeKeys);
    case CommandKind::kUp:
      return keys_frame(kUpKeys);
    case CommandKind::kDown:
      return keys_frame(kDownKeys);
    case CommandKind::kPreset:
      if (c.value < 1 || c.value > 4) return std::nullopt;
      return keys_frame(kPresetKeys[static_cast<std::size_t>(c.value - 1)]);
    case CommandKind::kQuery:
    case CommandKind::kGoTo:
      break;
  }
  return std::nullopt;
}

std::optional<Command> loctek_command_from(const LoctekFrame& f) {
  if (f.type != loctek::kCommand || f.payload.size() != 2) return std::nullopt;
  const std::array<std::uint8_t, 2> keys{f.payload[0], f.payload[1]};
  if (keys == kWakeKeys) return Command{CommandKind::kWake, 0};
  if (keys == kUpKeys) return Command{CommandKind::kUp, 0};
  if (keys == kDownKeys) return Command{CommandKind::kDown, 0};
  for (std::size_t i = 0; i < kPresetKeys.size(); ++i) {
    if (keys == kPresetKeys[i]) return Command{CommandKind::kPreset, static_cast<int>(i) + 1};
  }
  return std::nullopt;
}

LoctekFrame loctek_height_display(int raw) {
  // Below 100.0 the display shows tenths ("72.5"), from 100 whole units ("123").
  if (raw < 1000) {
    return {loctek::kDisplay,
            {digit_glyph(raw / 100 % 10),
             static_cast<std::uint8_t>(digit_glyph(raw / 10 % 10) | kDecimalPoint),
             digit_glyph(raw % 10)}};
  }
  const int whole = (raw + 5) / 10;
  return {loctek::kDisplay,
          {digit_glyph(whole / 100 % 10), digit_glyph(whole / 10 % 10), digit_glyph(whole % 10)}};
}

LoctekFrame loctek_text_display(std::string_view text) {
  LoctekFrame f{loctek::kDisplay, {kBlankGlyph, kBlankGlyph, kBlankGlyph}};
  for (std::size_t i = 0; i < 3 && i < text.size(); ++i) f.payload[i] = char_glyph(text[i]);
  return f;
}

}  // namespace deskd::bus
