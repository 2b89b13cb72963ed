#include "bus/frame_scanner.h"

namespace deskd::bus {

void FrameScanner::note_good(std::size_t size) {
  ++stats_.frames;
  stats_.good_bytes += size;
  in_bad_run_ = false;
}

void FrameScanner::note_discarded() {
  ++stats_.discarded_bytes;
  if (!in_bad_run_) ++stats_.bad_frames;
  in_bad_run_ = true;
}

}  // namespace deskd::bus
