#include "bus/jiecang_frame.h"

namespace deskd::bus {

std::uint8_t jiecang_checksum(std::uint8_t cmd, std::span<const std::uint8_t> params) {
  unsigned sum = cmd + static_cast<unsigned>(params.size());
  for (std::uint8_t p : params) sum += p;
  return static_cast<std::uint8_t>(sum & 0xFFU);
}

std::vector<std::uint8_t> encode(const JiecangFrame& frame) {
  std::vector<std::uint8_t> out{frame.sync, frame.sync, frame.cmd,
                                static_cast<std::uint8_t>(frame.params.size())};
  out.insert(out.end(), frame.params.begin(), frame.params.end());
  out.push_back(jiecang_checksum(frame.cmd, frame.params));
  out.push_back(JiecangFrame::kEnd);
  return out;
}

ScanResult JiecangParser::check(std::span<const std::uint8_t> b) const {
  if (b[0] != sync_) return {Scan::kBad, 0};
  if (b.size() < 2) return {Scan::kNeedMore, 0};
  if (b[1] != sync_) return {Scan::kBad, 0};
  if (b.size() < 4) return {Scan::kNeedMore, 0};
  const std::size_t len = b[3];
  if (len > JiecangFrame::kMaxParams) return {Scan::kBad, 0};
  const std::size_t total = len + JiecangFrame::kOverhead;
  if (b.size() < total) return {Scan::kNeedMore, 0};
  if (b[total - 1] != JiecangFrame::kEnd) return {Scan::kBad, 0};
  if (b[total - 2] != jiecang_checksum(b[2], b.subspan(4, len))) return {Scan::kBad, 0};
  return {Scan::kGood, total};
}

std::vector<JiecangFrame> JiecangParser::consume(std::span<const std::uint8_t> bytes) {
  std::vector<JiecangFrame> frames;
  scanner_.consume(
      bytes, [this](std::span<const std::uint8_t> b) { return check(b); },
      [&frames, this](std::span<const std::uint8_t> f) {
        frames.push_back({sync_, f[2], {f.begin() + 4, f.end() - 2}});
      });
  return frames;
}

}  // namespace deskd::bus
