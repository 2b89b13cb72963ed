#pragma once

#include "config/config.h"

namespace deskd::config {

// SIGHUP: which parts of a newly loaded config take effect at once. [motion], [desk] and
// [schedule] do, except desk.id, schedule.presence_topic and schedule.busy_topic: the MQTT topics
// and the presence and busy subscriptions are made at start-up, like everything in [gpio], [mqtt],
// [web] and [state]. The one statement of these rules; the daemon and the coordinator both apply
// it.

// The running config with what a reload may change taken from `next`.
Config reloaded(const Config& running, const Config& next);

// True when `next` changes something only a restart applies (worth a warning).
bool needs_restart(const Config& running, const Config& next);

}  // namespace deskd::config
