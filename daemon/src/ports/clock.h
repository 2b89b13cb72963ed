#pragma once

#include <chrono>

#include "core/time.h"

namespace deskd::ports {

// The daemon's only source of time (a port: SystemClock in production, a hand-set clock in
// tests). Steady time drives motion and timers, wall time the schedule. to_real() converts a
// duration of deskd time into the real time a timer must wait.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual double scale() const = 0;
  virtual core::SteadyTime steady_now() const = 0;
  virtual core::WallTime wall_now() const = 0;
  virtual std::chrono::steady_clock::duration to_real(
      std::chrono::steady_clock::duration d) const = 0;
};

// The real clocks. Under --time-scale N (simulation only) both run N times faster than real
// time, starting at the real time.
class SystemClock final : public Clock {
 public:
  explicit SystemClock(double scale = 1.0)
      : scale_(scale),
        steady_origin_(std::chrono::steady_clock::now()),
        wall_origin_(std::chrono::system_clock::now()) {}

  double scale() const override { return scale_; }

  core::SteadyTime steady_now() const override {
    auto real = std::chrono::steady_clock::now() - steady_origin_;
    return steady_origin_ + scaled(real);
  }
  core::WallTime wall_now() const override {
    if (scale_ == 1.0) return std::chrono::system_clock::now() + wall_jump_;
    auto real = std::chrono::steady_clock::now() - steady_origin_;
    return wall_origin_ + wall_jump_ +
           std::chrono::duration_cast<core::WallTime::duration>(scaled(real));
  }
  // Test-only (simulated desk, B/sim/set {"clock_jump_s":N}): steps the wall clock by `d`, as
  // an NTP sync or a manual date change does; the steady clock runs on undisturbed.
  void jump_wall(std::chrono::seconds d) { wall_jump_ += d; }
  std::chrono::steady_clock::duration to_real(
      std::chrono::steady_clock::duration d) const override {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(d / scale_);
  }

 private:
  std::chrono::steady_clock::duration scaled(std::chrono::steady_clock::duration real) const {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(real * scale_);
  }

  double scale_;
  std::chrono::steady_clock::time_point steady_origin_;
  std::chrono::system_clock::time_point wall_origin_;
  std::chrono::system_clock::duration wall_jump_{};
};

}  // namespace deskd::ports
