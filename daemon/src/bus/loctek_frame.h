#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bus/frame_scanner.h"

namespace deskd::bus {

// Loctek frames: `9B len type payload... crc_hi crc_lo 9D`. len counts the bytes after itself
// (type, payload, CRC and the end byte); the CRC is CRC-16/MODBUS over len, type and payload,
// high byte first. Checked against iMicknl/LoctekMotion_IoT README.md (command table: wake
// 9b 06 02 00 00 6c a1 9d) and components/loctekmotion_protocol/frame_reader.h (length = total
// size - 2, end byte 9D).
struct LoctekFrame {
  static constexpr std::uint8_t kStart = 0x9B;
  static constexpr std::uint8_t kEnd = 0x9D;
  static constexpr std::size_t kMaxPayload = 8;
  static constexpr std::size_t kOverhead = 6;  // start, len, type, crc x2, end

  std::uint8_t type = 0;
  std::vector<std::uint8_t> payload;
  friend bool operator==(const LoctekFrame&, const LoctekFrame&) = default;
};

// CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF).
std::uint16_t crc16_modbus(std::span<const std::uint8_t> bytes);
// The frame's bytes. payload.size() must be <= kMaxPayload.
std::vector<std::uint8_t> encode(const LoctekFrame& frame);

// Streaming parser (both directions use the same framing). Resynchronises after garbage; checks
// the length, CRC and end byte.
class LoctekParser {
 public:
  std::vector<LoctekFrame> consume(std::span<const std::uint8_t> bytes);
  const ParserStats& stats() const { return scanner_.stats(); }
  std::size_t pending() const { return scanner_.pending(); }

 private:
  static ScanResult check(std::span<const std::uint8_t> b);

  FrameScanner scanner_{LoctekFrame::kMaxPayload + LoctekFrame::kOverhead};
};

}  // namespace deskd::bus
