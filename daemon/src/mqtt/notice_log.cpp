// The log lines of deskd's notices.
#include "mqtt/notice_log.h"

#include <cmath>

#include "mqtt/notice_codec.h"

namespace deskd::mqtt {
namespace {

using Level = NoticeLine::Level;

std::string fmt_mm(std::optional<double> h) {
  return h ? std::to_string(static_cast<int>(std::lround(*h))) + " mm" : std::string("unknown");
}

// " (target 1100 mm)", or with how far off it ended outside the tolerance.
std::string finished_target(const core::MotionNotice& n) {
  if (!n.target_mm) return {};
  std::string off;
  if (n.off_target_mm) {
    off = ", " + off_target_detail(*n.off_target_mm) + ", outside the tolerance";
  }
  if (n.uncertainty_mm) off += "; " + uncertainty_detail(*n.uncertainty_mm);
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

NoticeLine motion_line(const core::MotionNotice& n) {
  using K = core::MotionNotice::Kind;
  const std::string source(core::to_string(n.source));
  switch (n.kind) {
    case K::kMoveStarted:
      return {Level::kInfo,
              "move " + (n.detail.empty() ? std::string() : n.detail + " ") + "from " +
                  fmt_mm(n.from_mm) + " to " +
                  (n.target_mm ? std::to_string(*n.target_mm) + " mm" : std::string("the bottom")) +
                  " (" + source + ")"};
    case K::kMoveFinished:
      return {Level::kInfo, "move finished at " + fmt_mm(n.height_mm) + finished_target(n)};
    case K::kFault:
      return {Level::kError, "fault " + std::string(core::to_string(n.fault)) + ": " + n.detail};
    case K::kManualMove:
      return {Level::kInfo, "manual move from " + fmt_mm(n.from_mm) + " to " + fmt_mm(n.height_mm)};
    case K::kCalibrated:
      return {Level::kInfo, "calibrated at " + fmt_mm(n.height_mm) + " (" + n.detail + ")"};
    case K::kStopped:
      return {Level::kInfo, "stopped by " + source + " (" + n.detail + ")"};
  }
  return {Level::kInfo, "motion: " + source};
}

NoticeLine schedule_line(const core::ScheduleEvent& e) {
  if (e.kind == core::ScheduleEventKind::kClockJump) {
    return {Level::kWarning,
            "wall clock jumped by " + std::to_string(e.seconds) + " s; schedule re-planned"};
  }
  const bool has_posture = e.posture != core::Posture::kUnknown;
  return {Level::kInfo,
          "schedule: " + std::string(core::to_string(e.kind)) +
              (has_posture ? " (" + std::string(core::to_string(e.posture)) + ")" : "")};
}

}  // namespace

std::optional<NoticeLine> notice_line(const core::DeskNotice& notice) {
  if (const auto* m = std::get_if<core::MotionNotice>(&notice)) return motion_line(*m);
  if (const auto* e = std::get_if<core::ScheduleEvent>(&notice)) return schedule_line(*e);
  if (const auto* a = std::get_if<core::AutoMoveRefused>(&notice)) {
    return NoticeLine{Level::kWarning, "automatic move refused: " + a->reason};
  }
  if (const auto* o = std::get_if<core::ManualOverride>(&notice)) {
    return NoticeLine{Level::kInfo, std::string(override_words(o->by)) +
                                        " during the warning: that change is cancelled"};
  }
  if (const auto* p = std::get_if<core::PresenceNotice>(&notice)) {
    return NoticeLine{Level::kInfo, presence_words(p->news)};
  }
  if (const auto* busy = std::get_if<core::BusyNotice>(&notice)) {
    return NoticeLine{Level::kInfo, busy_words(busy->news)};
  }
  if (const auto* act = std::get_if<core::ActivityNotice>(&notice)) {
    return NoticeLine{Level::kInfo, activity_words(act->activity)};
  }
  if (const auto* b = std::get_if<core::ButtonUsed>(&notice)) {
    return NoticeLine{Level::kInfo, std::string("local button ") + (b->held ? "held" : "pressed")};
  }
  return std::nullopt;  // Rejected: the runner's reject()
}

}  // namespace deskd::mqtt
