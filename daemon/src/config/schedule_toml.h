#pragma once

#include <string>
#include <string_view>

#include "config/toml_reader.h"
#include "core/schedule_settings.h"

namespace deskd::config {

// The [schedule] table, shared by the config file and the state directory's settings.toml so
// both accept exactly the same keys.

// Reads a [schedule] table (with [schedule.progression] and [schedule.breaks]) over `defaults`,
// then core::validate()s the result. Throws TomlReadError at the offending key's position.
core::ScheduleSettings read_schedule(TableReader& schedule, core::ScheduleSettings defaults = {});

// The whole schedule as TOML: a [<table>] table with every key, then [<table>.progression] and
// [<table>.breaks]. read_schedule() reads it back to an equal ScheduleSettings.
std::string schedule_to_toml(const core::ScheduleSettings& s, std::string_view table = "schedule");

}  // namespace deskd::config
