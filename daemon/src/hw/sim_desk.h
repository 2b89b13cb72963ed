#pragma once

#include <chrono>
#include <optional>
#include <random>

#include "config/config.h"
#include "core/motion_settings.h"
#include "core/motion_types.h"
#include "core/time.h"
#include "ports/desk_io.h"

namespace deskd::hw {

// The physics of a simulated desk. Pure: time is passed in, randomness comes from a seeded
// generator, so the same calls give the same motion.
//
// The desk moves at a per-move speed (the configured speed varied by +-speed_noise), reaches it
// over a short ramp, and coasts coast_min..coast_max mm after the motor stops (less when stopped
// before full speed). It cannot pass the end stops; the limit switches read active there. Time is
// integrated in fixed ticks on a grid that starts at construction, so the result does not depend
// on how often advance() is called. Commands take effect at the last tick not after `now`.
class SimDesk {
 public:
  // Time for the motor to reach the move's speed.
  static constexpr std::chrono::milliseconds kRamp{150};
  static constexpr std::chrono::milliseconds kTick{1};
  // An obstruction slows the desk to this fraction of its speed and blocks it this far past.
  static constexpr double kObstructionSpeedFactor = 0.15;
  static constexpr double kObstructionDepthMm = 8.0;
  // The limit switches close this close to their end stop.
  static constexpr double kLimitSwitchTravelMm = 0.5;
  static constexpr double kCoastJitter = 0.05;  // +-5 % coast variation from stop to stop

  SimDesk(const config::SimSettings& sim, const core::MotionSettings& motion,
          core::SteadyTime start);

  // Integrates the motion up to `now` (earlier times are ignored).
  void advance(core::SteadyTime now);
  // Advances to `now`, then sets the motor drive.
  void set_drive(core::Drive drive, core::SteadyTime now);

  // Fault injection, one named method per failure mode.
  // The motor turns but the desk no longer moves the way it was going (until clear_faults());
  // driven the other way it moves away from what stopped it. Injected at rest, it blocks both.
  void inject_stall();
  // Something at `mm`: once the desk reaches it from the side it is on now, it slows to
  // kObstructionSpeedFactor and stops within kObstructionDepthMm. nullopt removes it.
  void set_obstruction_at(std::optional<double> mm);
  // The encoder stops counting while the desk still moves; when it comes back it counts on from
  // where it stopped (so the count no longer matches the height).
  void set_sensor_dropout(bool dropout);
  // The user holds the handset's button `dir` for `duration` from `now`: the desk moves and the
  // handset input reads active meanwhile.
  void press_handset(core::Drive dir, std::chrono::steady_clock::duration duration,
                     core::SteadyTime now);
  // The user holds the local button for `duration` from `now` (the button input reads active).
  void press_button(std::chrono::steady_clock::duration duration, core::SteadyTime now);
  bool button_held() const { return button_; }
  // Removes stall, obstruction and sensor dropout.
  void clear_faults();

  core::Drive drive() const { return drive_; }
  double height_mm() const { return height_mm_; }  // the true height
  double velocity_mm_s() const { return velocity_mm_s_; }
  ports::InputState inputs() const;
  // Moving, coasting, driven or a handset button held.
  bool in_motion() const;
  // When advance() should next be called to see the motion progress; nullopt while at rest.
  std::optional<core::SteadyTime> next_event_time() const;

 private:
  core::Drive effective_drive() const;
  bool handset_active() const { return handset_dir_ != core::Drive::kNone; }
  void step(double dt_s);
  void on_effective_drive_change(core::Drive before, core::Drive after);
  std::int64_t raw_count() const;
  double speed_limit(core::Drive dir) const;

  config::SimSettings sim_;
  core::MotionSettings motion_;
  std::mt19937 rng_;

  core::SteadyTime tick_time_;  // the time the state below describes, on the tick grid
  double height_mm_;
  double velocity_mm_s_ = 0.0;    // signed: up is positive
  double move_speed_mm_s_ = 0.0;  // this move's cruise speed
  double coast_decel_mm_s2_ = 0.0;
  double coast_up_mm_ = 0.0;  // braking distance at the nominal speed, per direction
  double coast_down_mm_ = 0.0;

  core::Drive drive_ = core::Drive::kNone;
  core::Drive handset_dir_ = core::Drive::kNone;
  core::SteadyTime handset_until_{};

  bool button_ = false;
  core::SteadyTime button_until_{};

  bool stalled_ = false;
  core::Drive stall_dir_ = core::Drive::kNone;
  std::optional<double> obstruction_mm_;
  int obstruction_side_ = 0;  // +1: the desk is above it (blocks down), -1: below (blocks up)
  bool dropout_ = false;
  std::int64_t frozen_count_ = 0;
  std::int64_t count_offset_ = 0;
};

}  // namespace deskd::hw
