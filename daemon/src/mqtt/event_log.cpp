#include "mqtt/event_log.h"

#include <algorithm>

namespace deskd::mqtt {

void EventLog::add(boost::json::object event) {
  events_.push_back(std::move(event));
  if (events_.size() > kCapacity) events_.pop_front();
}

boost::json::array EventLog::last(std::size_t n) const {
  boost::json::array out;
  const std::size_t take = std::min(n, events_.size());
  for (auto it = events_.end() - static_cast<std::ptrdiff_t>(take); it != events_.end(); ++it) {
    out.push_back(*it);
  }
  return out;
}

}  // namespace deskd::mqtt
