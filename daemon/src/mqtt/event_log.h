#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <deque>

namespace deskd::mqtt {

// The last B/event payloads deskd published, oldest first (issue 23: a fresh dashboard shows
// why the desk moved or did not, not only what its own browser saw). Answered by the request
// events/get. Kept in memory: a restart of deskd starts it empty.
class EventLog {
 public:
  static constexpr std::size_t kCapacity = 200;

  // Appends one published payload ({"type":..., "at":..., ...}); the oldest goes beyond
  // kCapacity.
  void add(boost::json::object event);
  // The newest `n` (or fewer), oldest first.
  boost::json::array last(std::size_t n) const;
  std::size_t size() const { return events_.size(); }

 private:
  std::deque<boost::json::object> events_;
};

}  // namespace deskd::mqtt
