// What deskd publishes about one desk: B/state (rate-limited while moving), B/event, B/schedule,
// B/stats and B/progress, B/timeline (DESIGN.md §8 payloads).
#include "mqtt/desk_publication.h"

#include <cmath>

#include "core/comfort.h"
#include "core/height_limits.h"
#include "core/progress.h"
#include "mqtt/event_codec.h"
#include "mqtt/iso_time.h"
#include "mqtt/progress_codec.h"
#include "mqtt/schedule_codec.h"
#include "mqtt/state_codec.h"
#include "mqtt/stats_codec.h"
#include "mqtt/timeline_codec.h"
#include "version.h"

namespace deskd::mqtt {
namespace {
constexpr auto kStatePublishInterval = std::chrono::milliseconds(100);  // <= 10/s while moving

void put_schedule_status(const core::ScheduleStatus& st, StateView& v) {
  v.phase = std::string(core::to_string(st.phase));
  v.phase_reason = st.reason;
  if (st.next_change) v.next_change = format_local_iso8601(*st.next_change);
  v.next_posture = st.next_posture;
  v.stand_minutes = st.stand_minutes;
  v.break_due = st.break_due;
  v.warning_remaining_s = st.warning_remaining_s;
  v.skips_left = st.skips_left;
  v.walk_question = st.walk_question;
  v.comfort_question = st.comfort_question;
}

void put_today(const core::DayStats& today, StateView& v) {
  v.sit_today_s = today.sit_s;
  v.stand_today_s = today.stand_s;
  v.transitions_today = today.transitions;
  v.longest_sit_today_s = today.longest_sit_s;
  v.comfort_today = core::day_comfort(today);
}

}  // namespace

DeskPublication::DeskPublication(const config::Config& config, const core::Desk& desk,
                                 const config::StatePersistence& storage, Ports ports,
                                 std::function<core::Now()> now)
    : config_(config), desk_(desk), storage_(storage), ports_(ports), now_(std::move(now)) {}

void DeskPublication::forget_published() {
  last_state_payload_.clear();
  published_timeline_.reset();
}

StateView DeskPublication::state_view() const {
  const core::Now at = now_();
  const auto& motion = desk_.motion();
  const auto& settings = desk_.settings();
  StateView v;
  const int min_mm = config_.motion.min_height_mm;
  const int max_mm = config_.motion.max_height_mm;
  if (auto h = motion.height_mm(at.steady)) {
    v.height_mm = static_cast<int>(std::lround(*h));
    v.position = core::position_from_height(*v.height_mm, min_mm, max_mm);
  }
  v.target_mm = motion.target_mm();
  // A move is moving until it has settled (one `stopped`); at shutdown the outputs are off and
  // deskd will see no more of the desk: its last state says `stopped`.
  v.motion = stopping_ ? core::Drive::kNone : motion.motion();
  v.posture = desk_.posture_at(at.steady);
  v.calibrated = motion.calibrated();
  v.height_uncertainty_mm = static_cast<int>(std::lround(motion.height_uncertainty_mm()));
  v.fault = motion.fault();
  v.fault_detail = motion.fault_detail();
  v.schedule_enabled = settings.schedule.enabled;
  v.mode = settings.schedule.mode;
  put_schedule_status(desk_.schedule_status(at), v);
  put_today(desk_.stats().today(at.wall), v);
  v.min_height_mm = min_mm;
  v.max_height_mm = max_mm;
  v.sit_height_mm = settings.sit_height_mm;
  v.stand_height_mm = settings.stand_height_mm;
  v.presets = settings.presets;
  v.version = kVersion;
  v.now = format_local_iso8601(at.wall);
  v.time_scale = ports_.clock.scale();
  v.storage_ok = storage_.health().ok;
  v.storage_detail = storage_.health().detail;
  if (config_.bus) {
    v.controller = StateView::Controller{std::string(bus::to_string(config_.bus->protocol)),
                                         desk_.inputs().bus_memory};
  }
  return v;
}

// A change of motion, posture, fault, phase or storage.
std::string DeskPublication::discrete_state() const {
  const auto& motion = desk_.motion();
  const auto phase = desk_.schedule_status(now_()).phase;
  return std::string(core::to_string(motion.motion())) + "/" +
         std::string(core::to_string(desk_.posture())) + "/" +
         std::string(core::to_string(motion.fault())) + "/" + std::string(core::to_string(phase)) +
         "/" + (storage_.health().ok ? "ok" : "error");
}

// A discrete change goes out at once (a short nudge must show its "up" and "down"); only the
// height streaming while moving is limited to 10/s in real time, also under --time-scale.
void DeskPublication::state_soon() {
  if (stopping_) return;
  std::string discrete = discrete_state();
  if (discrete != last_discrete_state_) {
    last_discrete_state_ = std::move(discrete);
    return state_now();
  }
  const auto earliest =
      last_state_publish_ + std::chrono::duration_cast<core::SteadyTime::duration>(
                                kStatePublishInterval * ports_.clock.scale());
  if (ports_.clock.steady_now() >= earliest) {
    state_now();
  } else {
    ports_.alarm.arm(earliest);
  }
}

void DeskPublication::state_now() {
  if (!ports_.publisher.online()) return;
  // Without an encoder the height changes between effects: keep B/state live while moving.
  if (!stopping_ && desk_.motion().drive() != core::Drive::kNone &&
      config_.motion.sensor != core::SensorKind::kEncoder) {
    ports_.alarm.arm(ports_.clock.steady_now() +
                     std::chrono::duration_cast<core::SteadyTime::duration>(kStatePublishInterval *
                                                                            ports_.clock.scale()));
  }
  timeline();
  std::string payload = encode_state(state_view());
  if (payload == last_state_payload_) return;  // nothing changed: nothing to send
  last_state_payload_ = payload;
  last_state_publish_ = ports_.clock.steady_now();
  ports_.publisher.publish(ports::Channel::kState, payload);
}

void DeskPublication::event(const std::string& type, boost::json::object fields) {
  fields["at"] = format_local_iso8601(ports_.clock.wall_now());  // deskd's (scaled) time
  std::string payload = encode_event(type, fields);
  fields["type"] = type;
  event_log_.add(std::move(fields));
  ports_.publisher.publish(ports::Channel::kEvent, payload);
}

// B/timeline, when today's periods changed (or after forget_published()).
void DeskPublication::timeline() {
  const auto& timeline = desk_.timeline();
  if (published_timeline_ == timeline.revision()) return;
  published_timeline_ = timeline.revision();
  ports_.publisher.publish(ports::Channel::kTimeline, encode_timeline(timeline));
}

void DeskPublication::schedule() {
  ports_.publisher.publish(ports::Channel::kSchedule, encode_schedule(desk_.settings().schedule));
}

void DeskPublication::stats(std::size_t days) {
  ports_.publisher.publish(ports::Channel::kStats, encode_stats(desk_.stats().last_days(days)));
  progress();
}

// B/progress: the weekly progress computed from the statistics and the schedule, published with
// the statistics (on connect, every minute, on B/get).
void DeskPublication::progress() {
  const auto progress =
      core::compute_progress(desk_.stats().history(), desk_.settings().schedule,
                             desk_.scheduler().progression_start(), ports_.clock.wall_now());
  ports_.publisher.publish(ports::Channel::kProgress, encode_progress(progress));
}

}  // namespace deskd::mqtt
