#include "mqtt/republish_gate.h"

#include <algorithm>

namespace deskd::mqtt {

std::optional<RepublishGate::Time> RepublishGate::request(Time now,
                                                          std::chrono::milliseconds jitter) {
  if (due_) return std::nullopt;
  due_ = true;
  const Time earliest = last_run_ ? std::max(now, *last_run_ + min_interval_) : now;
  return earliest + std::max(jitter, std::chrono::milliseconds(0));
}

void RepublishGate::ran(Time now) {
  last_run_ = now;
  due_ = false;
}

}  // namespace deskd::mqtt
