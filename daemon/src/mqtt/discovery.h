#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "mqtt/topics.h"

namespace deskd::mqtt {

// Home Assistant MQTT discovery for one desk (DESIGN.md §8).
//
// Entities (object id -> platform), unique_id "deskd_<id>_<object id>":
//   desk (cover), height (number, cm), posture (select), stop/confirm/snooze/clear_fault
//   (button), schedule (switch), sit_today/stand_today (sensor, duration s), next_change
//   (sensor, timestamp), fault (sensor, enum), moving (binary_sensor, moving), problem
//   (binary_sensor, problem); from B/progress: stand_share_week (sensor, %), changes_week
//   (sensor), longest_sit_week (sensor, duration s), standing_streak (sensor, d) and
//   progression_plan (sensor, text), each with last week's figure and the trend as attributes.
// Every entity reads B/state (or B/progress) through a value template and carries the same device
// block {identifiers ["deskd_<id>"], name, model "deskd", manufacturer "deskd", sw_version}, the
// origin {name "deskd", sw_version} and availability on B/availability (online/offline).
//
// The cover opens to standing and closes to sitting: its command_topic is B/set with the JSON
// payloads {"posture":"standing"} (open), {"posture":"sitting"} (close) and {"action":"stop"}
// (stop); set_position_topic is B/set/position; state and position come from B/state
// (opening/closing while the motor runs up/down, else open above position 0). Heights go to
// Home Assistant in cm (value_template) and come back in mm (command_template on
// B/set/height_mm).
struct DiscoveryInfo {
  std::string desk_name;   // the device name shown in Home Assistant
  std::string sw_version;  // deskd's version
  int min_height_mm = 620;
  int max_height_mm = 1270;
};

// A retained message to publish: topic and payload.
using TopicPayload = std::pair<std::string, std::string>;

// kDevice: one message at <prefix>/device/deskd_<id>/config with "dev", "o", shared
// availability and a "cmps" map ({"p": platform, ...} per entity; HA >= 2024.12).
// kEntities: one message per entity at <prefix>/<platform>/deskd_<id>/<object id>/config.
// kOff: none.
std::vector<TopicPayload> discovery_messages(const Topics& topics, config::DiscoveryMode mode,
                                             const DiscoveryInfo& info);

// Empty retained payloads for every topic either mode publishes (device and per-entity), so
// Home Assistant forgets the desk whichever mode was used before.
std::vector<TopicPayload> removal_messages(const Topics& topics);

}  // namespace deskd::mqtt
