#include "config/reload_rules.h"

namespace deskd::config {

Config reloaded(const Config& running, const Config& next) {
  Config out = running;
  out.motion = next.motion;
  out.desk = next.desk;
  out.desk.id = running.desk.id;
  out.schedule = next.schedule;
  out.schedule.presence_topic = running.schedule.presence_topic;
  out.schedule.busy_topic = running.schedule.busy_topic;
  return out;
}

bool needs_restart(const Config& running, const Config& next) {
  return next.gpio.backend != running.gpio.backend || next.gpio.chip != running.gpio.chip ||
         next.mqtt.uri != running.mqtt.uri || next.web.listen != running.web.listen ||
         next.state.dir != running.state.dir || next.desk.id != running.desk.id ||
         next.schedule.presence_topic != running.schedule.presence_topic ||
         next.schedule.busy_topic != running.schedule.busy_topic;
}

}  // namespace deskd::config
