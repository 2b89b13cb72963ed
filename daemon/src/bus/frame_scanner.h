#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace deskd::bus {

// What a protocol's frame check says about the bytes at the front of the buffer.
enum class Scan : std::uint8_t {
  kNeedMore,  // could still become a frame: wait for more bytes
  kBad,       // not a frame starting here (wrong sync, length, checksum or end byte)
  kGood,      // a whole, valid frame of `size` bytes
};
struct ScanResult {
  Scan scan = Scan::kNeedMore;
  std::size_t size = 0;
};

// Counters of one parser, for logs and tests. Every byte consumed is in exactly one of
// good_bytes, discarded_bytes or pending().
struct ParserStats {
  std::uint64_t frames = 0;           // good frames returned
  std::uint64_t bad_frames = 0;       // runs of rejected bytes (noise, bad checksum, ...)
  std::uint64_t good_bytes = 0;       // bytes inside good frames
  std::uint64_t discarded_bytes = 0;  // bytes dropped while resynchronising
};

// The streaming half shared by the protocol parsers: buffers bytes, asks `check` about the
// front, drops one byte and retries after a bad candidate (so a frame starting inside garbage
// is still found), and hands every good frame to `on_frame`. A run of rejected bytes counts as
// one bad frame. `max_frame` bounds the buffer: check must decide by then.
class FrameScanner {
 public:
  explicit FrameScanner(std::size_t max_frame) : max_frame_(max_frame) {}

  // check(span<const uint8_t>) -> ScanResult; on_frame(span<const uint8_t>).
  template <class Check, class OnFrame>
  void consume(std::span<const std::uint8_t> bytes, Check&& check, OnFrame&& on_frame) {
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    std::size_t pos = 0;
    while (pos < buf_.size()) {
      const std::span<const std::uint8_t> front(buf_.data() + pos, buf_.size() - pos);
      const ScanResult r = check(front);
      if (r.scan == Scan::kNeedMore && front.size() < max_frame_) break;
      if (r.scan == Scan::kGood) {
        on_frame(front.first(r.size));
        pos += r.size;
        note_good(r.size);
      } else {
        ++pos;
        note_discarded();
      }
    }
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos));
  }

  const ParserStats& stats() const { return stats_; }
  std::size_t pending() const { return buf_.size(); }

 private:
  void note_good(std::size_t size);
  void note_discarded();

  std::size_t max_frame_;
  std::vector<std::uint8_t> buf_;
  ParserStats stats_;
  bool in_bad_run_ = false;
};

}  // namespace deskd::bus
