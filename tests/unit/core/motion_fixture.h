#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <vector>

#include "core/motion_controller.h"

namespace deskd::core::testing {

// A test fixture with a tiny ideal desk: constant speed, a fixed coast after the motor stops,
// an encoder, end stops with limit switches. Tests read like a story:
//   go_to(1000); run_for(30s); EXPECT_NEAR(height(), 1000, 3);
class MotionTest : public ::testing::Test {
 protected:
  struct DriveChange {
    SteadyTime at;
    Drive drive;
    double height;  // the desk's true height at the change
  };

  MotionSettings settings() const {
    MotionSettings s;
    s.sensor = SensorKind::kEncoder;
    s.mm_per_count = 0.5;
    s.has_limit_bottom = true;
    s.has_limit_top = true;
    return s;
  }

  void make(MotionSettings s, std::optional<double> restored_height = 720.0) {
    settings_ = s;
    desk_height_ = restored_height.value_or(900.0);
    RestoredPosition r;
    r.height_mm = restored_height;
    bus_sampled_at_ = SteadyTime{};  // the next frame carries the new desk's height
    last_sent_ = inputs();
    // Started a while ago, so the start-up dead time has passed (tested on its own).
    controller_.emplace(s, last_sent_, r, now_ - std::chrono::seconds(10));
  }

  InputSnapshot inputs() const {
    InputSnapshot in;
    in.encoder_count =
        sensor_dropout_
            ? frozen_count_
            : static_cast<std::int64_t>(std::floor(desk_height_ / settings_.mm_per_count));
    in.encoder_errors = encoder_errors_;
    in.encoder_lost_edges = encoder_lost_edges_;
    in.limit_bottom =
        settings_.has_limit_bottom && desk_height_ <= settings_.bottom_height_mm + 0.01;
    in.limit_top = settings_.has_limit_top && desk_height_ >= settings_.top_height_mm - 0.01;
    in.handset_up = handset_ == Drive::kUp;
    in.handset_down = handset_ == Drive::kDown;
    if (settings_.sensor == SensorKind::kBus) add_bus(in);
    return in;
  }

  // The desk bus reports the height (0.1 mm) every bus_period_ while frames flow, sampled when
  // the frame is sent; a silent bus keeps the last frame; a closed one reports no height.
  void add_bus(InputSnapshot& in) const {
    const auto since_epoch = now_.time_since_epoch();
    const SteadyTime frame = bus_silent_since_
                                 ? *bus_silent_since_
                                 : SteadyTime(since_epoch - since_epoch % bus_period_);
    if (frame != bus_sampled_at_) {
      bus_sampled_at_ = frame;
      bus_sampled_mm_ =
          bus_display_ ? bus_display_(desk_height_) : std::round(desk_height_ * 10) / 10;
    }
    if (bus_open_) in.bus_height_mm = bus_silent_since_ ? bus_frozen_mm_ : bus_sampled_mm_;
    in.bus_height_at = frame;
    in.bus_fault = bus_fault_;
    in.bus_fault_code = bus_fault_code_;
  }

  MotionEffects send(const MotionInput& input) {
    if (const auto* i = std::get_if<InputsChanged>(&input)) last_sent_ = i->inputs;
    MotionEffects fx = controller_->handle(input, now_);
    apply(fx);
    return fx;
  }
  MotionEffects go_to(int mm) {
    return send(MotionCommand{MotionCommand::Kind::kGoTo, mm, MoveSource::kOther});
  }
  MotionEffects command(MotionCommand::Kind k) {
    return send(MotionCommand{k, 0, MoveSource::kOther});
  }

  // Applies the effects in order, as the daemon does.
  void apply(const MotionEffects& fx) {
    std::optional<SteadyTime> last_frame;
    for (const auto& step : fx.steps) {
      if (const auto* n = std::get_if<MotionNotice>(&step)) {
        notices_.push_back(*n);
        continue;
      }
      const Drive d = std::get<SetDrive>(step).drive;
      const bool one_more_frame = std::get<SetDrive>(step).stop == StopStyle::kAfterOneFrame;
      if (d == motor_) continue;
      EXPECT_TRUE(d == Drive::kNone || motor_ == Drive::kNone)
          << "direction changed without passing through stop";
      if (d == Drive::kNone && stop_latency_.count() > 0 && !late_stop_at_) {
        late_stop_at_ = now_ + stop_latency_;  // a starved runner writes the stop this late
        continue;
      }
      if (motor_ != Drive::kNone) {
        coast_left_ = coast_mm_ * (speed_ / 38.0);
        coast_dir_ = motor_;
        run_on_until_ = now_ + run_on_;   // a controller without a stop command runs on
        if (drive_repeat_.count() > 0) {  // ... after the last move frame, sent every repeat
          last_frame = drive_start_ + (now_ - drive_start_) / drive_repeat_ * drive_repeat_;
          if (one_more_frame) last_frame = now_;  // BusBackend::stop_after_one_frame
          run_on_until_ = *last_frame + run_on_;
          if (one_more_frame) ++timed_last_frames_;
        }
      } else {
        drive_start_ = now_;
      }
      motor_ = d;
      changes_.push_back({now_, motor_, desk_height_});
    }
    if (last_frame) controller_->outputs_written(now_, Drive::kNone, last_frame);
  }

  // Advances time in 2 ms steps, moving the desk and feeding deadlines and input changes.
  void run_for(std::chrono::milliseconds d) {
    const SteadyTime end = now_ + d;
    while (now_ < end) {
      now_ += step_;
      if (late_stop_at_ && now_ >= *late_stop_at_) write_late_stop();
      physics(std::chrono::duration<double>(step_).count());
      const InputSnapshot after = inputs();
      if (!(after == last_sent_)) send(InputsChanged{after});
      auto dl = controller_->next_deadline();
      if (dl && *dl <= now_) send(DeadlineReached{});
    }
  }

  // The stop a starved runner wrote late (stop_latency_): the motor ran until now.
  void write_late_stop() {
    late_stop_at_.reset();
    stop_latency_ = std::chrono::milliseconds(0);
    coast_left_ = coast_mm_ * (speed_ / 38.0);
    coast_dir_ = motor_;
    motor_ = Drive::kNone;
    changes_.push_back({now_, motor_, desk_height_});
    controller_->outputs_written(now_, Drive::kNone);
  }

  void physics(double dt) {
    double v = 0;
    Drive dir = motor_ != Drive::kNone ? motor_ : handset_;
    if (dir == Drive::kNone && now_ < run_on_until_) dir = coast_dir_;
    const bool blocked = stalled_ && (stall_dir_ == Drive::kNone || stall_dir_ == dir);
    if (dir != Drive::kNone && !blocked) {
      v = speed_ *
          (obstruction_ && desk_height_ <= *obstruction_ + 30 && desk_height_ >= *obstruction_ - 30
               ? 0.15
               : 1.0);
      desk_height_ += (dir == Drive::kUp ? v : -v) * dt;
    } else if (coast_left_ > 0 &&
               !(stalled_ && (stall_dir_ == Drive::kNone ||
                              stall_dir_ == coast_dir_))) {  // no coast into a stall
      double c = std::min(coast_left_, speed_ * 0.5 * dt);
      coast_left_ -= c;
      desk_height_ += coast_dir_ == Drive::kUp ? c : -c;
    }
    desk_height_ = std::clamp(desk_height_, double(settings_.bottom_height_mm),
                              double(settings_.top_height_mm));
    if (motor_ == Drive::kNone && coast_left_ <= 0) coast_left_ = 0;
  }

  const MotionNotice* last_notice(MotionNotice::Kind k) const {
    for (auto it = notices_.rbegin(); it != notices_.rend(); ++it) {
      if (it->kind == k) return &*it;
    }
    return nullptr;
  }

  bool has_notice(MotionNotice::Kind k) const {
    for (const auto& n : notices_) {
      if (n.kind == k) return true;
    }
    return false;
  }

  MotionSettings settings_;
  std::optional<MotionController> controller_;
  SteadyTime now_{std::chrono::hours(1)};
  std::chrono::milliseconds step_{2};
  double desk_height_ = 720;
  double speed_ = 38;
  double coast_mm_ = 5;
  double coast_left_ = 0;
  std::chrono::milliseconds run_on_{0};  // the motor runs on this long after a stop
  // The runner writes the next stop this late (0: at once), as under a starved CPU; one stop only.
  std::chrono::milliseconds stop_latency_{0};
  std::optional<SteadyTime> late_stop_at_;
  SteadyTime run_on_until_{};
  // Move frames every drive_repeat_ from the start (0: the run-on counts from the stop).
  std::chrono::milliseconds drive_repeat_{0};
  int timed_last_frames_ = 0;  // stops that asked for one more frame (StopStyle::kAfterOneFrame)
  SteadyTime drive_start_{};
  Drive coast_dir_ = Drive::kNone;
  Drive motor_ = Drive::kNone;
  Drive handset_ = Drive::kNone;
  bool stalled_ = false;
  Drive stall_dir_ = Drive::kNone;  // stalled_ blocks this direction only (kNone: both)
  bool sensor_dropout_ = false;
  std::int64_t frozen_count_ = 0;
  std::uint32_t encoder_errors_ = 0;
  std::uint32_t encoder_lost_edges_ = 0;
  std::optional<double> obstruction_;
  // Desk bus (sensor kind kBus).
  std::chrono::milliseconds bus_period_{50};
  double (*bus_display_)(double) = nullptr;  // the number the display shows (nullptr: 0.1 mm)
  bool bus_open_ = true;
  std::optional<SteadyTime> bus_silent_since_;
  double bus_frozen_mm_ = 0;
  mutable SteadyTime bus_sampled_at_{};  // the last frame's time and the height it carried
  mutable double bus_sampled_mm_ = 0;
  BusFault bus_fault_ = BusFault::kNone;
  std::string bus_fault_code_;
  std::vector<MotionNotice> notices_;
  std::vector<DriveChange> changes_;
  InputSnapshot last_sent_;
};

}  // namespace deskd::core::testing
