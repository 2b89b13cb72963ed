#pragma once

#include <string>
#include <string_view>

namespace deskd::app {

// Who started a move. The motion controller echoes it as text in its notices; the daemon
// decides on this enum, never on the text.
enum class MoveSource {
  kMqtt,      // B/set (dashboard, Home Assistant)
  kSchedule,  // an automatic move or the schedule's nudge
  kShutdown,  // the stop on SIGTERM/SIGINT
  kBackoff,   // the controller's back-off after a stall or obstruction
  kOther,     // anything else the controller reports (handset, limit, ...)
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
    case MoveSource::kOther:
      break;
  }
  return "other";
}

inline MoveSource move_source_from(std::string_view text) {
  for (auto s :
       {MoveSource::kMqtt, MoveSource::kSchedule, MoveSource::kShutdown, MoveSource::kBackoff}) {
    if (text == to_string(s)) return s;
  }
  return MoveSource::kOther;
}

}  // namespace deskd::app
