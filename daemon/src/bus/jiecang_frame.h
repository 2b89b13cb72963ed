#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bus/frame_scanner.h"

namespace deskd::bus {

// Jiecang frames: `S S cmd len params... sum 7E`, S = F2 from the controller, F1 from the
// handset; sum = low byte of cmd + len + params. Layout checked against phord/Jarvis
// src/ProtocolFully.cpp (sync pair, length, checksum over cmd/len/args) and
// Rocka84/esphome_components components/jiecang_desk_controller/jiecang_desk_controller.cpp
// (F1 F1 cmd 00 cmd 7E commands, 0x01 height, 0x07/0x20-0x22 limits, 0x25-0x28 presets).
struct JiecangFrame {
  static constexpr std::uint8_t kFromController = 0xF2;
  static constexpr std::uint8_t kFromHandset = 0xF1;
  static constexpr std::uint8_t kEnd = 0x7E;
  static constexpr std::size_t kMaxParams = 16;
  static constexpr std::size_t kOverhead = 6;  // 2 sync + cmd + len + sum + end

  std::uint8_t sync = kFromController;
  std::uint8_t cmd = 0;
  std::vector<std::uint8_t> params;
  friend bool operator==(const JiecangFrame&, const JiecangFrame&) = default;
};

// The checksum of a frame's cmd, len and params.
std::uint8_t jiecang_checksum(std::uint8_t cmd, std::span<const std::uint8_t> params);
// The frame's bytes. params.size() must be <= kMaxParams.
std::vector<std::uint8_t> encode(const JiecangFrame& frame);

// Streaming parser for frames with one sync byte (F2 on deskd's side, F1 on the simulated
// controller's). Resynchronises after garbage; checks length, checksum and end byte.
class JiecangParser {
 public:
  explicit JiecangParser(std::uint8_t sync) : sync_(sync) {}
  std::vector<JiecangFrame> consume(std::span<const std::uint8_t> bytes);
  const ParserStats& stats() const { return scanner_.stats(); }
  std::size_t pending() const { return scanner_.pending(); }

 private:
  ScanResult check(std::span<const std::uint8_t> b) const;

  std::uint8_t sync_;
  FrameScanner scanner_{JiecangFrame::kMaxParams + JiecangFrame::kOverhead};
};

}  // namespace deskd::bus
