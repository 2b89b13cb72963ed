// The runner's notices as log lines and B/event (DESIGN.md §8 event payloads).
#include <boost/json.hpp>
#include <cmath>

#include "app/coordinator.h"
#include "mqtt/notice_codec.h"
#include "platform/log.h"

namespace deskd::app {
namespace {

std::string fmt_mm(std::optional<double> h) {
  return h ? std::to_string(static_cast<int>(std::lround(*h))) + " mm" : std::string("unknown");
}

// " (target 1100 mm)", or with how far off it ended outside the tolerance.
std::string finished_target(const core::MotionNotice& n) {
  if (!n.target_mm) return {};
  std::string off;
  if (n.off_target_mm) {
    off = ", " + mqtt::off_target_detail(*n.off_target_mm) + ", outside the tolerance";
  }
  if (n.uncertainty_mm) off += "; " + mqtt::uncertainty_detail(*n.uncertainty_mm);
  return " (target " + std::to_string(*n.target_mm) + " mm" + off + ")";
}

const char* override_words(core::OverrideBy by) {
  switch (by) {
    case core::OverrideBy::kHandset:
      return "handset used";
    case core::OverrideBy::kHandMotion:
      return "desk moved by hand";
    case core::OverrideBy::kStopCommand:
      return "stop command";
  }
  return "manual use";
}

const char* presence_words(core::PresenceNews news) {
  switch (news) {
    case core::PresenceNews::kSomeone:
      return "presence: someone is at the desk";
    case core::PresenceNews::kNobody:
      return "presence: nobody at the desk";
    case core::PresenceNews::kKnownAgain:
      return "presence: known again (MQTT connected)";
    case core::PresenceNews::kUnknownBrokerDown:
      return "presence: unknown while the broker is unreachable (counted as nobody at the desk)";
  }
  return "presence: changed";
}

const char* busy_words(core::BusyNews news) {
  switch (news) {
    case core::BusyNews::kBusy:
      return "busy: in a call or a meeting; no warning and no automatic move until free";
    case core::BusyNews::kFree:
      return "busy: free again";
    case core::BusyNews::kUnknownBrokerDown:
      return "busy: unknown while the broker is unreachable (counted as busy)";
  }
  return "busy: changed";
}

const char* activity_words(std::optional<core::Activity> activity) {
  if (!activity)
    return "activity: unknown while the broker is unreachable (no waiting for a pause)";
  switch (*activity) {
    case core::Activity::kActive:
      return "activity: the computer is in use";
    case core::Activity::kIdle:
      return "activity: the computer is idle";
    case core::Activity::kLocked:
      return "activity: the session is locked (counts as nobody at the desk)";
  }
  return "activity: changed";
}

}  // namespace

void Coordinator::report(const core::DeskNotice& notice) {
  if (const auto* m = std::get_if<core::MotionNotice>(&notice)) return report_motion(*m);
  if (const auto* e = std::get_if<core::ScheduleEvent>(&notice)) return report_schedule(*e);
  report_other(notice);
}

void Coordinator::report_other(const core::DeskNotice& notice) {
  if (const auto* r = std::get_if<core::Rejected>(&notice)) {
    reject(r->reason, r->command);
  } else if (const auto* a = std::get_if<core::AutoMoveRefused>(&notice)) {
    platform::log_warning("automatic move refused: " + a->reason);
  } else if (const auto* o = std::get_if<core::ManualOverride>(&notice)) {
    platform::log_info(std::string(override_words(o->by)) +
                       " during the warning: that change is cancelled");
  } else if (const auto* p = std::get_if<core::PresenceNotice>(&notice)) {
    platform::log_info(presence_words(p->news));
  } else if (const auto* busy = std::get_if<core::BusyNotice>(&notice)) {
    platform::log_info(busy_words(busy->news));
  } else if (const auto* act = std::get_if<core::ActivityNotice>(&notice)) {
    platform::log_info(activity_words(act->activity));
  } else if (const auto* b = std::get_if<core::ButtonUsed>(&notice)) {
    platform::log_info(std::string("local button ") + (b->held ? "held" : "pressed"));
  }
}

// The log line of a motion notice; its B/event is mqtt::motion_event().
void Coordinator::report_motion(const core::MotionNotice& n) {
  using K = core::MotionNotice::Kind;
  const std::string source(core::to_string(n.source));
  switch (n.kind) {
    case K::kMoveStarted:
      platform::log_info(
          "move " + (n.detail.empty() ? std::string() : n.detail + " ") + "from " +
          fmt_mm(n.from_mm) + " to " +
          (n.target_mm ? std::to_string(*n.target_mm) + " mm" : std::string("the bottom")) + " (" +
          source + ")");
      break;
    case K::kMoveFinished:
      platform::log_info("move finished at " + fmt_mm(n.height_mm) + finished_target(n));
      break;
    case K::kFault:
      platform::log_error("fault " + std::string(core::to_string(n.fault)) + ": " + n.detail);
      break;
    case K::kManualMove:
      platform::log_info("manual move from " + fmt_mm(n.from_mm) + " to " + fmt_mm(n.height_mm));
      break;
    case K::kCalibrated:
      platform::log_info("calibrated at " + fmt_mm(n.height_mm) + " (" + n.detail + ")");
      break;
    case K::kStopped:
      platform::log_info("stopped by " + source + " (" + n.detail + ")");
      break;
  }
  publish_doc(mqtt::motion_event(n));
}

void Coordinator::report_schedule(const core::ScheduleEvent& e) {
  using Kind = core::ScheduleEventKind;
  if (e.kind == Kind::kClockJump) {
    platform::log_warning("wall clock jumped by " + std::to_string(e.seconds) +
                          " s; schedule re-planned");
  } else {
    const bool has_posture = e.posture != core::Posture::kUnknown;
    platform::log_info("schedule: " + std::string(core::to_string(e.kind)) +
                       (has_posture ? " (" + std::string(core::to_string(e.posture)) + ")" : ""));
  }
  if (auto doc = mqtt::schedule_event(e)) publish_doc(std::move(*doc));
  // A comfort answer shows at once in B/stats and B/progress (not at the next minute).
  if (e.kind == Kind::kComfort) when_idle_.push_back([this] { publish_stats(); });
}

void Coordinator::publish_doc(mqtt::EventDoc doc) {
  publish_event(doc.type, std::move(doc.fields));
}

}  // namespace deskd::app
