#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include "core/time.h"

namespace deskd::core {

// How many motor starts the outputs may make per minute (safety invariant 9: a relay is rated for
// a few thousand operations an hour; a welded contact is a motor deskd can no longer switch off).
// Every start counts; a command that would need one more than the budget is refused.
// A budget of 0 or less is no budget (for benchmarks only).
class StartBudget {
 public:
  static constexpr std::chrono::seconds kWindow{60};

  explicit StartBudget(int per_window) : per_window_(per_window) {}

  void started(SteadyTime now);
  // Starts within kWindow before `now`.
  int used(SteadyTime now) const;
  // Why one more start is refused at `now` (with when to try again); nullopt if it fits.
  std::optional<std::string> refusal(SteadyTime now) const;

 private:
  int per_window_;
  std::deque<SteadyTime> starts_;  // oldest first, at most per_window_ + a few kept
};

}  // namespace deskd::core
