#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/schedule_io.h"

namespace deskd::config {

// core::SchedulerMemory <-> the small text file kept in the state directory
// ("key = value" lines: paused_until (Unix seconds), progression_start, moves_date, moves_today).
std::string serialize_scheduler_memory(const core::SchedulerMemory& m);
// nullopt (with `error` set) for a malformed file.
std::optional<core::SchedulerMemory> parse_scheduler_memory(std::string_view text,
                                                            std::string* error);

}  // namespace deskd::config
