// The runner's notices as log lines and B/event (DESIGN.md §8 event payloads).
#include <boost/json.hpp>
#include <cmath>

#include "app/coordinator.h"
#include "app/log.h"
#include "mqtt/iso_time.h"

namespace deskd::app {
namespace {

std::string fmt_mm(std::optional<double> h) {
  return h ? std::to_string(static_cast<int>(std::lround(*h))) + " mm" : std::string("unknown");
}

boost::json::value opt_mm(std::optional<double> h) {
  if (!h) return nullptr;
  return static_cast<std::int64_t>(std::lround(*h));
}

boost::json::value opt_target(std::optional<int> mm) {
  return mm ? boost::json::value(*mm) : boost::json::value(nullptr);
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
    log_warning("automatic move refused: " + a->reason);
  } else if (const auto* o = std::get_if<core::ManualOverride>(&notice)) {
    log_info(std::string(override_words(o->by)) + " during the warning: that change is cancelled");
  } else if (const auto* p = std::get_if<core::PresenceNotice>(&notice)) {
    log_info(presence_words(p->news));
  } else if (const auto* busy = std::get_if<core::BusyNotice>(&notice)) {
    log_info(busy_words(busy->news));
  } else if (const auto* b = std::get_if<core::ButtonUsed>(&notice)) {
    log_info(std::string("local button ") + (b->held ? "held" : "pressed"));
  }
}

void Coordinator::report_motion(const core::MotionNotice& n) {
  using K = core::MotionNotice::Kind;
  boost::json::object f;
  switch (n.kind) {
    case K::kMoveStarted:
      return report_move_started(n);
    case K::kMoveFinished:
      return report_move_finished(n);
    case K::kFault:
      f["fault"] = std::string(core::to_string(n.fault));
      f["detail"] = n.detail;
      log_error("fault " + std::string(core::to_string(n.fault)) + ": " + n.detail);
      return publish_event("fault", std::move(f));
    case K::kManualMove:
      f["from_mm"] = opt_mm(n.from_mm);
      f["to_mm"] = opt_mm(n.height_mm);
      log_info("manual move from " + fmt_mm(n.from_mm) + " to " + fmt_mm(n.height_mm));
      return publish_event("manual_move", std::move(f));
    case K::kCalibrated:
      f["height_mm"] = opt_mm(n.height_mm);
      f["detail"] = n.detail;
      log_info("calibrated at " + fmt_mm(n.height_mm) + " (" + n.detail + ")");
      return publish_event("calibrated", std::move(f));
    case K::kStopped:
      f["height_mm"] = opt_mm(n.from_mm);
      f["source"] = std::string(core::to_string(n.source));
      f["detail"] = n.detail;
      log_info("stopped by " + std::string(core::to_string(n.source)) + " (" + n.detail + ")");
      return publish_event("stopped", std::move(f));
  }
}

void Coordinator::report_move_started(const core::MotionNotice& n) {
  boost::json::object f;
  f["target_mm"] = opt_target(n.target_mm);
  f["from_mm"] = opt_mm(n.from_mm);
  f["source"] = std::string(core::to_string(n.source));
  if (!n.detail.empty()) f["detail"] = n.detail;
  log_info("move " + (n.detail.empty() ? std::string() : n.detail + " ") + "from " +
           fmt_mm(n.from_mm) + " to " +
           (n.target_mm ? std::to_string(*n.target_mm) + " mm" : std::string("the bottom")) + " (" +
           std::string(core::to_string(n.source)) + ")");
  publish_event("move_started", std::move(f));
}

void Coordinator::report_move_finished(const core::MotionNotice& n) {
  boost::json::object f;
  f["height_mm"] = opt_mm(n.height_mm);
  f["target_mm"] = opt_target(n.target_mm);
  f["source"] = std::string(core::to_string(n.source));
  std::string off;
  if (n.off_target_mm) {  // outside tolerance_mm: never reported as on target
    const long mm = std::lround(*n.off_target_mm);
    f["off_target_mm"] = mm;
    f["detail"] = (mm > 0 ? "overshot the target by " : "short of the target by ") +
                  std::to_string(mm < 0 ? -mm : mm) + " mm";
    off = ", " + std::string(f["detail"].as_string()) + ", outside the tolerance";
  }
  log_info("move finished at " + fmt_mm(n.height_mm) +
           (n.target_mm ? " (target " + std::to_string(*n.target_mm) + " mm" + off + ")" : ""));
  publish_event("move_finished", std::move(f));
}

void Coordinator::report_schedule(const core::ScheduleEvent& e) {
  using Kind = core::ScheduleEventKind;
  const std::string type(core::to_string(e.kind));
  const bool has_posture = e.posture != core::Posture::kUnknown;
  if (e.kind == Kind::kClockJump) {
    log_warning("wall clock jumped by " + std::to_string(e.seconds) + " s; schedule re-planned");
  } else {
    log_info("schedule: " + type +
             (has_posture ? " (" + std::string(core::to_string(e.posture)) + ")" : ""));
  }
  if (e.kind == Kind::kAutoMove) return;  // the move itself is published as move_started
  boost::json::object f;
  if (has_posture) f["posture"] = std::string(core::to_string(e.posture));
  if (e.kind == Kind::kWarning) f["in_s"] = e.seconds;
  if (e.kind == Kind::kBreak) f["minutes"] = e.minutes;
  if (e.kind == Kind::kClockJump) f["by_s"] = e.seconds;
  if (e.until) f["until"] = mqtt::format_local_iso8601(*e.until);
  if (!e.detail.empty()) f["detail"] = e.detail;
  publish_event(type, std::move(f));
}

}  // namespace deskd::app
