#pragma once

#include <string>

namespace deskd::ports {

// Where deskd's publications go (DESIGN.md §8). The payloads are encoded already; the adapter
// (MQTT in production, a recorder in tests) only delivers them. A channel is one topic.
enum class Channel {
  kState,     // B/state, retained
  kEvent,     // B/event, not retained
  kSchedule,  // B/schedule, retained
  kStats,     // B/stats, retained
  kProgress,  // B/progress, retained
  kTimeline,  // B/timeline, retained
};

class Publisher {
 public:
  virtual ~Publisher() = default;
  // Whether publications can be delivered now (false: dropped; retained ones are re-published
  // on reconnect by the adapter asking for them again).
  virtual bool online() const = 0;
  virtual void publish(Channel channel, const std::string& payload) = 0;
};

}  // namespace deskd::ports
