#include "mqtt/notice_codec.h"

#include <cmath>
#include <cstdint>

#include "mqtt/iso_time.h"

namespace deskd::mqtt {
namespace {

boost::json::value opt_mm(std::optional<double> h) {
  if (!h) return nullptr;
  return static_cast<std::int64_t>(std::lround(*h));
}

boost::json::value opt_target(std::optional<int> mm) {
  return mm ? boost::json::value(*mm) : boost::json::value(nullptr);
}

EventDoc move_started(const core::MotionNotice& n) {
  boost::json::object f;
  f["target_mm"] = opt_target(n.target_mm);
  f["from_mm"] = opt_mm(n.from_mm);
  f["source"] = std::string(core::to_string(n.source));
  if (!n.detail.empty()) f["detail"] = n.detail;
  return {"move_started", std::move(f)};
}

EventDoc move_finished(const core::MotionNotice& n) {
  boost::json::object f;
  f["height_mm"] = opt_mm(n.height_mm);
  f["target_mm"] = opt_target(n.target_mm);
  f["source"] = std::string(core::to_string(n.source));
  if (n.off_target_mm) {  // outside tolerance_mm: never reported as on target
    const long mm = std::lround(*n.off_target_mm);
    f["off_target_mm"] = mm;
    f["detail"] = off_target_detail(*n.off_target_mm);
  }
  if (n.uncertainty_mm) {  // lost encoder steps: the height itself may be off
    f["height_uncertainty_mm"] = std::lround(*n.uncertainty_mm);
    const std::string doubt = uncertainty_detail(*n.uncertainty_mm);
    f["detail"] = n.off_target_mm ? off_target_detail(*n.off_target_mm) + "; " + doubt : doubt;
  }
  return {"move_finished", std::move(f)};
}

}  // namespace

EventDoc motion_event(const core::MotionNotice& n) {
  using K = core::MotionNotice::Kind;
  boost::json::object f;
  switch (n.kind) {
    case K::kMoveStarted:
      return move_started(n);
    case K::kMoveFinished:
      return move_finished(n);
    case K::kFault:
      f["fault"] = std::string(core::to_string(n.fault));
      f["detail"] = n.detail;
      return {"fault", std::move(f)};
    case K::kManualMove:
      f["from_mm"] = opt_mm(n.from_mm);
      f["to_mm"] = opt_mm(n.height_mm);
      return {"manual_move", std::move(f)};
    case K::kCalibrated:
      f["height_mm"] = opt_mm(n.height_mm);
      f["detail"] = n.detail;
      return {"calibrated", std::move(f)};
    case K::kStopped:
      f["height_mm"] = opt_mm(n.from_mm);
      f["source"] = std::string(core::to_string(n.source));
      f["detail"] = n.detail;
      return {"stopped", std::move(f)};
  }
  return {"stopped", std::move(f)};
}

std::string off_target_detail(double off_target_mm) {
  const long mm = std::lround(off_target_mm);
  return (mm > 0 ? "overshot the target by " : "short of the target by ") +
         std::to_string(mm < 0 ? -mm : mm) + " mm";
}

std::string uncertainty_detail(double uncertainty_mm) {
  return "the height may be off by up to " + std::to_string(std::lround(uncertainty_mm)) +
         " mm (the encoder lost steps): calibrate";
}

std::optional<EventDoc> schedule_event(const core::ScheduleEvent& e) {
  using Kind = core::ScheduleEventKind;
  if (e.kind == Kind::kAutoMove) return std::nullopt;
  boost::json::object f;
  if (e.posture != core::Posture::kUnknown) f["posture"] = std::string(core::to_string(e.posture));
  if (e.kind == Kind::kWarning) f["in_s"] = e.seconds;
  if (e.kind == Kind::kBreak) f["minutes"] = e.minutes;
  if (e.kind == Kind::kClockJump) f["by_s"] = e.seconds;
  if (e.kind == Kind::kComfort) f["comfort"] = e.comfort;
  if (e.until) f["until"] = format_local_iso8601(*e.until);
  if (!e.detail.empty()) f["detail"] = e.detail;
  return EventDoc{std::string(core::to_string(e.kind)), std::move(f)};
}

std::optional<EventDoc> notice_event(const core::DeskNotice& notice) {
  if (const auto* m = std::get_if<core::MotionNotice>(&notice)) return motion_event(*m);
  if (const auto* e = std::get_if<core::ScheduleEvent>(&notice)) return schedule_event(*e);
  return std::nullopt;
}

}  // namespace deskd::mqtt
