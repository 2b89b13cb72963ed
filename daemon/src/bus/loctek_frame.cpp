#include "bus/loctek_frame.h"

namespace deskd::bus {

std::uint16_t crc16_modbus(std::span<const std::uint8_t> bytes) {
  std::uint16_t crc = 0xFFFF;
  for (std::uint8_t b : bytes) {
    crc ^= b;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1U) != 0 ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001U)
                            : static_cast<std::uint16_t>(crc >> 1);
    }
  }
  return crc;
}

std::vector<std::uint8_t> encode(const LoctekFrame& frame) {
  const auto len = static_cast<std::uint8_t>(frame.payload.size() + LoctekFrame::kOverhead - 2);
  std::vector<std::uint8_t> out{LoctekFrame::kStart, len, frame.type};
  out.insert(out.end(), frame.payload.begin(), frame.payload.end());
  const std::uint16_t crc = crc16_modbus(std::span(out).subspan(1));
  out.push_back(static_cast<std::uint8_t>(crc >> 8));
  out.push_back(static_cast<std::uint8_t>(crc & 0xFF));
  out.push_back(LoctekFrame::kEnd);
  return out;
}

ScanResult LoctekParser::check(std::span<const std::uint8_t> b) {
  if (b[0] != LoctekFrame::kStart) return {Scan::kBad, 0};
  if (b.size() < 2) return {Scan::kNeedMore, 0};
  const std::size_t total = b[1] + std::size_t{2};
  if (total < LoctekFrame::kOverhead || total > LoctekFrame::kMaxPayload + LoctekFrame::kOverhead) {
    return {Scan::kBad, 0};
  }
  if (b.size() < total) return {Scan::kNeedMore, 0};
  if (b[total - 1] != LoctekFrame::kEnd) return {Scan::kBad, 0};
  const std::uint16_t crc = crc16_modbus(b.subspan(1, total - 4));
  if (b[total - 3] != (crc >> 8) || b[total - 2] != (crc & 0xFF)) return {Scan::kBad, 0};
  return {Scan::kGood, total};
}

std::vector<LoctekFrame> LoctekParser::consume(std::span<const std::uint8_t> bytes) {
  std::vector<LoctekFrame> frames;
  scanner_.consume(bytes, &LoctekParser::check, [&frames](std::span<const std::uint8_t> f) {
    frames.push_back({f[2], {f.begin() + 3, f.end() - 3}});
  });
  return frames;
}

}  // namespace deskd::bus
