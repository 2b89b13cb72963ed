#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>

#include "config/config.h"
#include "config/state_persistence.h"
#include "core/desk.h"
#include "mqtt/event_log.h"
#include "mqtt/state_view.h"
#include "ports/alarm.h"
#include "ports/clock.h"
#include "ports/publisher.h"

namespace deskd::mqtt {

// What deskd publishes about one desk (DESIGN.md §8): B/state (changes at once, the height
// while moving at most 10/s in real time), B/event (and the log events/get answers from),
// B/schedule, B/stats with B/progress, and B/timeline when it changed. It reads core::Desk and
// never changes it; the runner says when.
class DeskPublication {
 public:
  struct Ports {
    ports::Publisher& publisher;
    ports::Alarm& alarm;  // armed for the next rate-limited B/state; -> state_now()
    const ports::Clock& clock;
  };
  // All references must outlive it; `now` reads the time as the runner does (clock trust too).
  DeskPublication(const config::Config& config, const core::Desk& desk,
                  const config::StatePersistence& storage, Ports ports,
                  std::function<core::Now()> now);

  // deskd is shutting down: B/state says "stopped" from now on and nothing is rate-limited.
  void stop() { stopping_ = true; }
  // The retained documents are all sent again at the next publication (a reconnect, B/get).
  void forget_published();

  StateView state_view() const;
  void state_soon();
  void state_now();
  void event(const std::string& type, boost::json::object fields);
  void schedule();
  void stats(std::size_t days);  // and B/progress with it
  const EventLog& events() const { return event_log_; }

 private:
  void timeline();
  void progress();
  std::string discrete_state() const;

  const config::Config& config_;
  const core::Desk& desk_;
  const config::StatePersistence& storage_;
  Ports ports_;
  std::function<core::Now()> now_;
  bool stopping_ = false;
  std::string last_state_payload_;
  EventLog event_log_;                             // the last B/event payloads (events/get)
  std::optional<std::size_t> published_timeline_;  // the timeline revision last published
  std::string last_discrete_state_;
  core::SteadyTime last_state_publish_{};
};

}  // namespace deskd::mqtt
