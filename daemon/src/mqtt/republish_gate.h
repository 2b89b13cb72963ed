#pragma once

#include <chrono>
#include <optional>

namespace deskd::mqtt {

// Coalesces full republishes (discovery + state) asked for by Home Assistant's birth message
// (`homeassistant/status` = `online`): at most one per `min_interval`, so a flood of birth
// messages costs one republish per interval instead of one each (issue 19, finding 6).
// Pure: time is an argument; the caller runs a timer to the returned time, then calls ran().
class RepublishGate {
 public:
  using Time = std::chrono::steady_clock::time_point;

  explicit RepublishGate(std::chrono::milliseconds min_interval) : min_interval_(min_interval) {}

  // A republish is asked for at `now`. Returns when to run it: `now + jitter`, or, within
  // `min_interval` of the last run, that run plus `min_interval` plus `jitter`. Returns nullopt
  // while one is already due: the request is folded into it.
  std::optional<Time> request(Time now, std::chrono::milliseconds jitter);
  // A full republish ran at `now` (the due one, or one done for another reason, such as a
  // connect): the next one waits `min_interval` from here. Clears the due one.
  void ran(Time now);
  bool due() const { return due_; }

 private:
  std::chrono::milliseconds min_interval_;
  std::optional<Time> last_run_;
  bool due_ = false;
};

}  // namespace deskd::mqtt
