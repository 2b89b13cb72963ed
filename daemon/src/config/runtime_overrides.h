#pragma once

#include "config/config.h"
#include "config/state_store.h"
#include "core/desk_settings.h"

namespace deskd::config {

// The run-time settings (core::DeskSettings) are the config file's [desk] and [schedule] with
// the saved overrides (settings.toml) applied; the config file itself is never rewritten.

// The settings in effect: `config`'s, overridden by `saved`.
core::DeskSettings effective_settings(const Config& config, const RuntimeSettings& saved);

// What settings.toml must hold for `settings` to be in effect over `config`: only what differs
// from the config file, plus the config's presets that were deleted.
RuntimeSettings overrides_of(const Config& config, const core::DeskSettings& settings);

}  // namespace deskd::config
