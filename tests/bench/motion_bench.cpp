// Motion benchmarks (DESIGN.md §11), printed as numbers, not asserted:
//  1. Positioning with the simulated desk (coast 3-8 mm, +-10 % speed noise, 100 random moves):
//     mean and max |final - target| after warm-up, with learned stop-ahead, and the same desk
//     driven like a button-emulating controller (stop when the target is reached, no stop-ahead).
//  2. Stop latency in process: the input event that reaches the target / a stop command -> the
//     outputs inactive (controller transition + backend set_drive), p50/p99/max.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "core/motion_controller.h"
#include "hw/sim_backend.h"
#include "hw/sim_desk.h"

namespace {

using deskd::core::Drive;
using deskd::core::InputsChanged;
using deskd::core::MotionCommand;
using deskd::core::MotionController;
using deskd::core::MoveSource;
using deskd::core::SteadyTime;

struct Errors {
  double mean = 0;
  double max = 0;
  std::vector<double> each;  // |final - target| per move after the warm-up
};

deskd::core::MotionSettings motion_settings() {
  deskd::core::MotionSettings s;
  s.sensor = deskd::core::SensorKind::kEncoder;
  s.mm_per_count = 0.5;
  s.has_limit_bottom = true;
  s.has_limit_top = true;
  return s;
}

// Runs `moves` random moves; returns the errors of the moves after `warmup`.
Errors positioning(int moves, int warmup, bool stop_ahead, unsigned seed) {
  deskd::config::SimSettings sim;
  sim.coast_min_mm = 3;
  sim.coast_max_mm = 8;
  sim.speed_noise = 0.10;
  sim.seed = seed;
  sim.start_height_mm = 620;
  auto ms = motion_settings();
  ms.stop_ahead = stop_ahead;
  SteadyTime now{std::chrono::hours(1)};
  deskd::hw::SimDesk desk(sim, ms, now);
  deskd::core::RestoredPosition r;
  r.height_mm = 620;
  MotionController c(ms, desk.inputs(), r, now);
  auto last = desk.inputs();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> target_dist(ms.min_height_mm + 20, ms.max_height_mm - 20);
  std::vector<double> errors;
  const auto step = std::chrono::milliseconds(1);
  auto apply = [&](const deskd::core::MotionEffects& fx) {
    for (const auto& step : fx.steps) {
      if (const auto* d = std::get_if<deskd::core::SetDrive>(&step)) desk.set_drive(d->drive, now);
    }
  };
  for (int i = 0; i < moves; ++i) {
    int target = target_dist(rng);
    while (std::abs(target - desk.height_mm()) < 30) target = target_dist(rng);
    apply(c.handle(MotionCommand{MotionCommand::Kind::kGoTo, target, MoveSource::kOther}, now));
    const SteadyTime end = now + std::chrono::seconds(40);
    while (now < end) {
      now += step;
      desk.advance(now);
      auto in = desk.inputs();
      if (!(in == last)) {
        last = in;
        apply(c.handle(InputsChanged{in}, now));
      }
      if (!stop_ahead && c.drive() != Drive::kNone) {
        // A button-emulating controller: release the button once the target is reached.
        const double h = desk.height_mm();
        if ((c.drive() == Drive::kUp && h >= target) ||
            (c.drive() == Drive::kDown && h <= target)) {
          apply(c.handle(MotionCommand{MotionCommand::Kind::kStop, 0, MoveSource::kOther}, now));
        }
      }
      auto dl = c.next_deadline();
      if (dl && *dl <= now) apply(c.handle(deskd::core::DeadlineReached{}, now));
      if (c.drive() == Drive::kNone && !dl && !desk.in_motion()) break;
    }
    if (i >= warmup) errors.push_back(std::abs(desk.height_mm() - target));
  }
  Errors e;
  e.each = errors;
  for (double x : errors) {
    e.mean += x;
    e.max = std::max(e.max, x);
  }
  e.mean /= static_cast<double>(errors.size());
  return e;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// Event -> outputs inactive, through the real controller and the simulated backend.
std::vector<double> stop_latency_us(bool by_command, int runs) {
  boost::asio::io_context io;
  deskd::ports::SystemClock clock;
  deskd::config::SimSettings sim;
  sim.start_height_mm = 700;
  auto ms = motion_settings();
  deskd::hw::SimBackend backend(io, clock, sim, ms);
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    SteadyTime now{std::chrono::hours(1) + std::chrono::seconds(10 * i)};
    deskd::core::InputSnapshot in;
    in.encoder_count = 0;
    deskd::core::RestoredPosition r;
    r.height_mm = 700;
    MotionController c(ms, in, r, now - std::chrono::seconds(10));  // past the start dead time
    auto fx = c.handle(MotionCommand{MotionCommand::Kind::kGoTo, 800, MoveSource::kOther}, now);
    backend.set_drive(*fx.last_drive());
    // Climb to just below the stop point.
    for (int count = 1; count <= 180; ++count) {
      now += std::chrono::milliseconds(13);
      in.encoder_count = count;
      c.handle(InputsChanged{in}, now);
    }
    now += std::chrono::milliseconds(13);
    in.encoder_count = 200;  // this edge reaches the target
    const auto t0 = std::chrono::steady_clock::now();
    auto stop =
        by_command ? c.handle(MotionCommand{MotionCommand::Kind::kStop, 0, MoveSource::kOther}, now)
                   : c.handle(InputsChanged{in}, now);
    if (auto d = stop.last_drive()) backend.set_drive(*d);
    const auto t1 = std::chrono::steady_clock::now();
    if (backend.drive() != Drive::kNone) {
      std::fprintf(stderr, "outputs still active after the stop event\n");
      std::exit(1);
    }
    out.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  backend.all_off();
  return out;
}

}  // namespace

int main() {
  std::printf(
      "positioning: simulated desk, coast 3-8 mm, +-10%% speed noise, 100 moves, "
      "errors after 10 warm-up moves\n");
  double worst_mean = 0, worst_max = 0;
  for (unsigned seed : {1u, 2u, 3u}) {
    const Errors e = positioning(100, 10, true, seed);
    std::printf("  learned stop-ahead  seed %u: mean |error| %.2f mm, max %.2f mm\n", seed, e.mean,
                e.max);
    worst_mean = std::max(worst_mean, e.mean);
    worst_max = std::max(worst_max, e.max);
  }
  const Errors naive = positioning(100, 10, false, 1);
  std::printf("  button emulation    seed 1: mean |error| %.2f mm, max %.2f mm\n", naive.mean,
              naive.max);
  std::printf("  targets: mean <= 1 mm, max <= 3 mm -> worst mean %.2f, worst max %.2f\n",
              worst_mean, worst_max);

  std::printf("first 5 moves on a fresh state (nothing learned; tolerance 3 mm):\n");
  for (unsigned seed : {1u, 2u, 3u}) {
    const Errors e = positioning(5, 0, true, seed);
    std::printf("  seed %u: |error| mm", seed);
    for (double x : e.each) std::printf(" %.2f", x);
    std::printf("\n");
  }

  for (bool by_command : {false, true}) {
    auto v = stop_latency_us(by_command, 20000);
    std::printf(
        "stop latency (%s -> outputs inactive), in process, %zu runs: p50 %.2f us, "
        "p99 %.2f us, max %.2f us (target p99 <= 200 us)\n",
        by_command ? "stop command" : "target-reaching encoder edge", v.size(), percentile(v, 0.5),
        percentile(v, 0.99), percentile(v, 1.0));
  }
  return 0;
}
