#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hw/line_role.h"

namespace deskd::hw {

// The requested lines of one GPIO chip: the seam between GpiodBackend's logic and libgpiod.
// Levels are logical: true = active (the request applies active-low). Implementations report
// failures as values; none of these calls throws.
class GpioLines {
 public:
  struct EdgeRead {
    std::vector<bool> levels;  // the line's level after each pending edge, oldest first
    // The kernel's timestamp of each edge (CLOCK_MONOTONIC ns), parallel to `levels`; may be
    // empty when the source has none (edges then keep their order).
    std::vector<std::int64_t> timestamps_ns;
    // The read returned the kernel queue's whole capacity: edges after the last one may have
    // been dropped (the v1 uAPI keeps 16 events per line and drops the rest without a word).
    bool queue_full = false;
    std::optional<std::string> error;
  };

  virtual ~GpioLines() = default;

  virtual bool has(LineRole role) const = 0;
  // Drives an output line. Returns a message on failure.
  virtual std::optional<std::string> set_active(LineRole role, bool active) noexcept = 0;
  // The current level of an input line, or nullopt if it cannot be read.
  virtual std::optional<bool> read_active(LineRole role) noexcept = 0;
  // A descriptor that becomes readable while an input line has pending edge events; -1 if
  // `role` is not a requested input. It stays owned by this object.
  virtual int event_fd(LineRole role) const noexcept = 0;
  // Consumes the pending edge events of an input line. Never blocks: no pending events gives an
  // empty read.
  virtual EdgeRead read_edges(LineRole role) noexcept = 0;
};

}  // namespace deskd::hw
