#pragma once

#include <optional>

#include "core/time.h"

namespace deskd::ports {

// A one-shot wake-up at a deadline in deskd's steady time. arm() replaces the previous deadline;
// nullopt cancels it. The owner of the alarm calls back on the loop when it expires.
class Alarm {
 public:
  virtual ~Alarm() = default;
  virtual void arm(std::optional<core::SteadyTime> deadline) = 0;
  void disarm() { arm(std::nullopt); }
};

}  // namespace deskd::ports
