#pragma once

#include <string_view>

namespace deskd::core {

// Who started a move or stopped one. The notices carry it; B/event and the log show its name;
// the daemon decides on this enum, never on text.
enum class MoveSource {
  kMqtt,      // B/set (dashboard, Home Assistant)
  kSchedule,  // an automatic move or the schedule's nudge
  kShutdown,  // the stop on SIGTERM/SIGINT
  kBackoff,   // the controller's back-off after a stall or obstruction
  kHandset,   // the desk's own handset (a manual move, a manual override)
  kOther,     // anything else (tests, benchmarks)
};

constexpr std::string_view to_string(MoveSource s) {
  switch (s) {
    case MoveSource::kMqtt:
      return "mqtt";
    case MoveSource::kSchedule:
      return "schedule";
    case MoveSource::kShutdown:
      return "shutdown";
    case MoveSource::kBackoff:
      return "backoff";
    case MoveSource::kHandset:
      return "handset";
    case MoveSource::kOther:
      break;
  }
  return "other";
}

}  // namespace deskd::core
