#pragma once

#include <optional>
#include <string>

#include "core/desk_events.h"

namespace deskd::mqtt {

// The log line of one of deskd's notices, worded beside its B/event (notice_codec.h) so the two
// say the same. The runner writes it at its level.
struct NoticeLine {
  enum class Level { kInfo, kWarning, kError };
  Level level = Level::kInfo;
  std::string text;
};

// Every notice but Rejected (the runner's reject() logs and publishes it).
std::optional<NoticeLine> notice_line(const core::DeskNotice& notice);

}  // namespace deskd::mqtt
