#include "hw/sim_desk.h"

#include <algorithm>
#include <cmath>

namespace deskd::hw {

namespace {

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

int sign_of(core::Drive d) {
  if (d == core::Drive::kUp) return 1;
  if (d == core::Drive::kDown) return -1;
  return 0;
}

}  // namespace

SimDesk::SimDesk(const config::SimSettings& sim, const core::MotionSettings& motion,
                 core::SteadyTime start)
    : sim_(sim),
      motion_(motion),
      rng_(sim.seed),
      tick_time_(start),
      height_mm_(
          std::clamp<double>(sim.start_height_mm, motion.bottom_height_mm, motion.top_height_mm)) {
  // The desk's braking distance at its nominal speed, per direction: a property of the desk
  // (mass, gearbox), drawn once so that every coast, scaled by speed^2 and jittered, stays in
  // [coast_min_mm, coast_max_mm].
  const double lo =
      sim_.coast_min_mm / ((1 - sim_.speed_noise) * (1 - sim_.speed_noise) * (1 - kCoastJitter));
  const double hi =
      sim_.coast_max_mm / ((1 + sim_.speed_noise) * (1 + sim_.speed_noise) * (1 + kCoastJitter));
  std::uniform_real_distribution<double> base(std::min(lo, hi), std::max(lo, hi));
  coast_up_mm_ = base(rng_);
  coast_down_mm_ = base(rng_);
}

core::Drive SimDesk::effective_drive() const {
  if (handset_dir_ == core::Drive::kNone) return drive_;
  if (drive_ == core::Drive::kNone || drive_ == handset_dir_) return handset_dir_;
  return core::Drive::kNone;  // both buttons of the controller at once: it does nothing
}

bool SimDesk::in_motion() const {
  return velocity_mm_s_ != 0.0 || effective_drive() != core::Drive::kNone || handset_active();
}

std::optional<core::SteadyTime> SimDesk::next_event_time() const {
  if (!in_motion()) return std::nullopt;
  return tick_time_ + kTick;
}

void SimDesk::advance(core::SteadyTime now) {
  if (now <= tick_time_) return;
  auto ticks = (now - tick_time_) / kTick;
  while (ticks > 0) {
    if (!in_motion()) {
      tick_time_ += ticks * kTick;
      if (button_ && tick_time_ >= button_until_) button_ = false;
      return;
    }
    step(seconds(kTick));
    tick_time_ += kTick;
    --ticks;
    if (button_ && tick_time_ >= button_until_) button_ = false;
    if (handset_active() && tick_time_ >= handset_until_) {
      const core::Drive before = effective_drive();
      handset_dir_ = core::Drive::kNone;
      on_effective_drive_change(before, effective_drive());
    }
  }
}

void SimDesk::set_drive(core::Drive drive, core::SteadyTime now) {
  advance(now);
  const core::Drive before = effective_drive();
  drive_ = drive;
  on_effective_drive_change(before, effective_drive());
}

void SimDesk::press_handset(core::Drive dir, std::chrono::steady_clock::duration duration,
                            core::SteadyTime now) {
  advance(now);
  const core::Drive before = effective_drive();
  handset_dir_ = duration > std::chrono::steady_clock::duration::zero() ? dir : core::Drive::kNone;
  handset_until_ = tick_time_ + duration;
  on_effective_drive_change(before, effective_drive());
}

void SimDesk::press_button(std::chrono::steady_clock::duration duration, core::SteadyTime now) {
  advance(now);
  button_ = duration > std::chrono::steady_clock::duration::zero();
  button_until_ = tick_time_ + duration;
}

void SimDesk::on_effective_drive_change(core::Drive before, core::Drive after) {
  if (after == before) return;
  if (after != core::Drive::kNone) {
    const double nominal = after == core::Drive::kUp ? sim_.up_speed_mm_s : sim_.down_speed_mm_s;
    std::uniform_real_distribution<double> noise(-sim_.speed_noise, sim_.speed_noise);
    move_speed_mm_s_ = nominal * (1.0 + noise(rng_));
    return;
  }
  // The motor stopped: the desk brakes. Coast = braking distance x (v / nominal)^2 (constant
  // deceleration), with a little jitter per stop.
  const double v = std::abs(velocity_mm_s_);
  const bool up = velocity_mm_s_ > 0;
  const double nominal = up ? sim_.up_speed_mm_s : sim_.down_speed_mm_s;
  std::uniform_real_distribution<double> jitter(-kCoastJitter, kCoastJitter);
  const double ratio = nominal > 0 ? v / nominal : 0.0;
  const double coast_mm =
      (up ? coast_up_mm_ : coast_down_mm_) * ratio * ratio * (1.0 + jitter(rng_));
  if (v == 0.0 || coast_mm <= 0.0) {
    velocity_mm_s_ = 0.0;
    coast_decel_mm_s2_ = 0.0;
  } else {
    coast_decel_mm_s2_ = v * v / (2.0 * coast_mm);
  }
}

double SimDesk::speed_limit(core::Drive dir) const {
  double limit = move_speed_mm_s_;
  if (obstruction_mm_ && obstruction_side_ != 0 && sign_of(dir) == -obstruction_side_) {
    const double depth = obstruction_side_ * (*obstruction_mm_ - height_mm_);
    if (depth >= 0.0) limit *= kObstructionSpeedFactor;
  }
  return limit;
}

void SimDesk::step(double dt_s) {
  const core::Drive dir = effective_drive();
  // A stall blocks the way the desk was going; it can move (and coast) away from what stopped it.
  const core::Drive going = dir != core::Drive::kNone ? dir
                            : velocity_mm_s_ > 0.0    ? core::Drive::kUp
                            : velocity_mm_s_ < 0.0    ? core::Drive::kDown
                                                      : core::Drive::kNone;
  if (stalled_ && (stall_dir_ == core::Drive::kNone || going == stall_dir_)) {
    velocity_mm_s_ = 0.0;
    return;
  }
  const double v0 = velocity_mm_s_;
  double v1 = v0;
  if (dir != core::Drive::kNone) {
    const double target = sign_of(dir) * speed_limit(dir);
    const double accel = move_speed_mm_s_ / seconds(kRamp);
    v1 = v0 < target ? std::min(target, v0 + accel * dt_s) : std::max(target, v0 - accel * dt_s);
  } else if (v0 > 0.0) {
    v1 = std::max(0.0, v0 - coast_decel_mm_s2_ * dt_s);
  } else if (v0 < 0.0) {
    v1 = std::min(0.0, v0 + coast_decel_mm_s2_ * dt_s);
  }

  // An obstruction the desk has reached slows it sharply (also while coasting).
  if (obstruction_mm_) {
    if (obstruction_side_ == 0 && v1 != 0.0) obstruction_side_ = v1 < 0.0 ? 1 : -1;
    const double depth = obstruction_side_ * (*obstruction_mm_ - height_mm_);
    const bool toward = obstruction_side_ != 0 && v1 * obstruction_side_ < 0.0;
    if (toward && depth >= 0.0) {
      const double cap = kObstructionSpeedFactor * std::max(move_speed_mm_s_, 1.0);
      v1 = std::clamp(v1, -cap, cap);
    }
  }

  height_mm_ += 0.5 * (v0 + v1) * dt_s;
  velocity_mm_s_ = v1;

  if (obstruction_mm_ && obstruction_side_ != 0) {
    const double depth = obstruction_side_ * (*obstruction_mm_ - height_mm_);
    if (depth >= kObstructionDepthMm) {
      height_mm_ = *obstruction_mm_ - obstruction_side_ * kObstructionDepthMm;
      if (velocity_mm_s_ * obstruction_side_ < 0.0) velocity_mm_s_ = 0.0;
    }
  }
  if (height_mm_ <= motion_.bottom_height_mm) {
    height_mm_ = motion_.bottom_height_mm;
    velocity_mm_s_ = std::max(0.0, velocity_mm_s_);
  } else if (height_mm_ >= motion_.top_height_mm) {
    height_mm_ = motion_.top_height_mm;
    velocity_mm_s_ = std::min(0.0, velocity_mm_s_);
  }
}

void SimDesk::inject_stall() {
  stalled_ = true;
  stall_dir_ = effective_drive();
  velocity_mm_s_ = 0.0;
}

void SimDesk::set_obstruction_at(std::optional<double> mm) {
  obstruction_mm_ = mm;
  obstruction_side_ = 0;
  if (mm) obstruction_side_ = height_mm_ > *mm ? 1 : (height_mm_ < *mm ? -1 : 0);
}

std::int64_t SimDesk::raw_count() const {
  return std::llround((height_mm_ - motion_.bottom_height_mm) / motion_.mm_per_count);
}

void SimDesk::set_sensor_dropout(bool dropout) {
  if (dropout == dropout_) return;
  if (dropout) {
    frozen_count_ = raw_count() + count_offset_;
  } else {
    count_offset_ = frozen_count_ - raw_count();
  }
  dropout_ = dropout;
}

void SimDesk::clear_faults() {
  stalled_ = false;
  set_obstruction_at(std::nullopt);
  set_sensor_dropout(false);
}

ports::InputState SimDesk::inputs() const {
  ports::InputState s;
  s.encoder_count = dropout_ ? frozen_count_ : raw_count() + count_offset_;
  s.limit_bottom = height_mm_ <= motion_.bottom_height_mm + kLimitSwitchTravelMm;
  s.limit_top = height_mm_ >= motion_.top_height_mm - kLimitSwitchTravelMm;
  s.handset_up = handset_dir_ == core::Drive::kUp;
  s.handset_down = handset_dir_ == core::Drive::kDown;
  s.button = button_;
  return s;
}

}  // namespace deskd::hw
