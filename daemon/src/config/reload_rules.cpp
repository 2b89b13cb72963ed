#include "config/reload_rules.h"

namespace deskd::config {

Config reloaded(const Config& running, const Config& next) {
  Config out = running;
  out.motion = next.motion;
  out.desk = next.desk;
  out.desk.id = running.desk.id;
  out.schedule = next.schedule;
  core::keep_topics(running.schedule, out.schedule);
  return out;
}

bool needs_restart(const Config& running, const Config& next) {
  return next.gpio.backend != running.gpio.backend || next.gpio.chip != running.gpio.chip ||
         next.mqtt.uri != running.mqtt.uri || next.ble != running.ble ||
         next.web.listen != running.web.listen || next.state.dir != running.state.dir ||
         next.desk.id != running.desk.id || !core::same_topics(next.schedule, running.schedule);
}

}  // namespace deskd::config
