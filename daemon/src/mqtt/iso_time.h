#pragma once

#include <string>

#include "core/time.h"

namespace deskd::mqtt {

// "2026-11-22T10:30:00+01:00": the wall time in the process's local time zone (TZ), whole
// seconds, with its UTC offset — the form of `next_change` and schedule previews.
std::string format_local_iso8601(core::WallTime t);

}  // namespace deskd::mqtt
