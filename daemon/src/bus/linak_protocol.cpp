#include "bus/linak_protocol.h"

#include <cstdlib>

namespace deskd::bus::linak {

namespace {

constexpr std::uint8_t kDpgPrefix = 0x7F;
constexpr std::uint8_t kDpgRead = 0x00;
constexpr std::uint8_t kDpgWrite = 0x80;
constexpr std::uint8_t kDpgOk = 0x01;
constexpr int kMinBaseTenthMm = 3000;
constexpr int kMaxBaseTenthMm = 15000;

int u16(std::uint8_t lo, std::uint8_t hi) { return lo | (hi << 8); }

}  // namespace

std::string_view to_string(Refusal r) {
  switch (r) {
    case Refusal::kWrongLength:
      return "wrong length (height and speed are 4 bytes)";
    case Refusal::kNoHeight:
      return "0xFFFF (no height)";
    case Refusal::kOutOfRange:
      return "higher above the base than a Linak column travels";
    case Refusal::kImpossibleSpeed:
      return "faster than a Linak column moves";
  }
  return "refused";
}

std::variant<Reference, Refusal> decode_reference(std::span<const std::uint8_t> value) {
  if (value.size() != 4) return Refusal::kWrongLength;
  const int height = u16(value[0], value[1]);
  if (height == 0xFFFF) return Refusal::kNoHeight;
  if (height > kMaxTravelTenthMm) return Refusal::kOutOfRange;
  const auto speed = static_cast<std::int16_t>(u16(value[2], value[3]));
  if (std::abs(speed) > kMaxSpeedHundredthMmS) return Refusal::kImpossibleSpeed;
  return Reference{height, speed};
}

Bytes encode_control(Control c) {
  switch (c) {
    case Control::kUp:
      return {0x47, 0x00};
    case Control::kDown:
      return {0x46, 0x00};
    case Control::kStop:
      return {0xFF, 0x00};
    case Control::kWake:
      return {0xFE, 0x00};
  }
  return {0xFF, 0x00};
}

std::optional<Bytes> encode_move_to(int tenth_mm) {
  if (tenth_mm < 0 || tenth_mm > kMaxTravelTenthMm) return std::nullopt;
  return Bytes{static_cast<std::uint8_t>(tenth_mm & 0xFF),
               static_cast<std::uint8_t>((tenth_mm >> 8) & 0xFF)};
}

Bytes encode_move_to_stop() { return {0x01, 0x80}; }

Bytes encode_dpg_read(DpgCommand c) { return {kDpgPrefix, static_cast<std::uint8_t>(c), kDpgRead}; }

Bytes encode_dpg_write(DpgCommand c, std::span<const std::uint8_t> data) {
  Bytes out{kDpgPrefix, static_cast<std::uint8_t>(c), kDpgWrite};
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::optional<Bytes> decode_dpg_answer(std::span<const std::uint8_t> value) {
  if (value.size() < 2 || value[0] != kDpgOk) return std::nullopt;
  return Bytes(value.begin() + 2, value.end());
}

std::optional<int> decode_base_offset(std::span<const std::uint8_t> payload) {
  if (payload.size() < 3) return std::nullopt;
  const int offset = u16(payload[1], payload[2]);
  if (offset < kMinBaseTenthMm || offset > kMaxBaseTenthMm) return std::nullopt;
  return offset;
}

std::optional<Bytes> user_id_fix(std::span<const std::uint8_t> payload) {
  if (payload.empty() || payload[0] == 1) return std::nullopt;
  Bytes fixed(payload.begin(), payload.end());
  fixed[0] = 1;
  return fixed;
}

}  // namespace deskd::bus::linak
