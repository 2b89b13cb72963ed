#include "core/start_budget.h"

#include <algorithm>

namespace deskd::core {

void StartBudget::started(SteadyTime now) {
  if (per_window_ <= 0) return;
  starts_.push_back(now);
  while (starts_.size() > static_cast<std::size_t>(per_window_) + 1 ||
         (!starts_.empty() && starts_.front() <= now - kWindow)) {
    starts_.pop_front();
  }
}

int StartBudget::used(SteadyTime now) const {
  return static_cast<int>(std::count_if(starts_.begin(), starts_.end(),
                                        [now](SteadyTime t) { return t > now - kWindow; }));
}

std::optional<std::string> StartBudget::refusal(SteadyTime now) const {
  const int n = used(now);
  if (per_window_ <= 0 || n < per_window_) return std::nullopt;
  // The start that frees a place: the (n - per_window_ + 1)-th oldest within the window.
  const auto first = std::find_if(starts_.begin(), starts_.end(),
                                  [now](SteadyTime t) { return t > now - kWindow; });
  const SteadyTime frees = *(first + (n - per_window_)) + kWindow;
  const auto wait =
      std::chrono::ceil<std::chrono::seconds>(std::max(frees - now, SteadyTime::duration::zero()));
  return "start budget used up: " + std::to_string(n) + " starts in the last minute (at most " +
         std::to_string(per_window_) + "); try again in " + std::to_string(wait.count()) + " s";
}

}  // namespace deskd::core
