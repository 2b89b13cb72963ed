#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deskd::mqtt {

// Every topic of the MQTT contract (DESIGN.md §8) for one desk. B = <base_topic>/<desk id>.
// Built once by make_topics(); plain strings so the daemon can compare incoming topics cheaply.
struct Topics {
  std::string base;              // B
  std::string availability;      // B/availability (also the last will)
  std::string state;             // B/state
  std::string set;               // B/set (JSON command)
  std::string set_prefix;        // "B/set/" + <key> (plain value)
  std::string get;               // B/get
  std::string schedule;          // B/schedule
  std::string request_prefix;    // "B/request/" + <op>
  std::string response_prefix;   // "B/response/" + <op>
  std::string event;             // B/event
  std::string stats;             // B/stats
  std::string progress;          // B/progress
  std::string timeline;          // B/timeline
  std::string sim_set;           // B/sim/set
  std::string discovery_prefix;  // e.g. "homeassistant"
  std::string ha_status;         // <discovery_prefix>/status (Home Assistant's birth/will)
  std::string node_id;           // "deskd_<id>": the discovery node/object id

  // B/response/<op>.
  std::string response(std::string_view op) const;
  // <discovery_prefix>/device/deskd_<id>/config (device-based discovery, HA >= 2024.12).
  std::string device_discovery() const;
  // <discovery_prefix>/<platform>/deskd_<id>/<object_id>/config (one message per entity).
  std::string entity_discovery(std::string_view platform, std::string_view object_id) const;

  // The <key> of a B/set/<key> topic; nullopt for any other topic (including B/set itself and
  // deeper levels such as B/set/a/b).
  std::optional<std::string_view> set_key(std::string_view topic) const;
  // The <op> of a B/request/<op> topic (may contain '/', e.g. "schedule/set"); nullopt otherwise.
  std::optional<std::string_view> request_op(std::string_view topic) const;

  // The filters the daemon subscribes to: B/set, B/set/+, B/get, B/request/#, the Home
  // Assistant status topic and, with the simulated desk, B/sim/set.
  std::vector<std::string> command_filters(bool simulated) const;
};

// REQUIRES: valid_topic_name(base_topic), valid_topic_level(desk_id) and
// valid_topic_name(discovery_prefix) (the config loader checks them).
Topics make_topics(std::string_view base_topic, std::string_view desk_id,
                   std::string_view discovery_prefix);

// One topic level: non-empty, no '/', '+', '#' or NUL.
bool valid_topic_level(std::string_view level);
// A topic name one may publish to: non-empty levels only, no '+', '#' or NUL, <= 65535 bytes.
bool valid_topic_name(std::string_view topic);
// A Home Assistant discovery id: non-empty, only [a-zA-Z0-9_-].
bool valid_discovery_id(std::string_view id);

}  // namespace deskd::mqtt
