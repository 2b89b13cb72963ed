// Positioning on a bus desk (issue 12, DESIGN.md §11), printed as numbers, not asserted.
//
// The same simulated physics as motion_bench (coast 3-8 mm after the motor stops, +-10 % speed
// noise, 100 random moves after 10 warm-up moves), seen and driven the way a desk controller's
// UART shows it to deskd:
//  - the height arrives as the controller's number: whole mm, or 0.1 inch (2.54 mm) on desks set
//    to inches, sampled every 50 ms (the controllers' report interval) and received one frame
//    time later (9600 baud, 10 bits a byte: Jiecang's 9-byte height frame, Loctek's 12-byte one);
//  - a drive change reaches the motor one command frame time plus the controller's reaction
//    later (uniformly 5-25 ms, measured desks answer within one 50 ms report);
//  - the stop is the controller's own: it brakes by its own coast (the physics' 3-8 mm).
// The real MotionController with the `bus` position estimator and learned stop-ahead decides.
// Prints mean and max |final true height - target|, and the same for the height deskd shows.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <random>
#include <vector>

#include "bus/bus_types.h"
#include "core/motion_controller.h"
#include "hw/sim_desk.h"

namespace {

using deskd::core::Drive;
using deskd::core::SteadyTime;
using std::chrono::milliseconds;

struct BusLink {
  const char* name;
  deskd::bus::HeightUnit unit;
  int height_frame_bytes;   // controller -> deskd
  int command_frame_bytes;  // deskd -> controller
};

constexpr milliseconds kReportInterval{50};
constexpr double kByteMs = 10.0 * 1000.0 / 9600.0;

milliseconds frame_time(int bytes) {
  return milliseconds(static_cast<int>(std::ceil(bytes * kByteMs)));
}

struct Result {
  double mean_true = 0, max_true = 0, mean_shown = 0, max_shown = 0;
};

struct Pending {
  SteadyTime at;
  int raw = 0;
};

// One desk, one controller, one MotionController; moves until all are done.
class BusBench {
 public:
  BusBench(const BusLink& link, unsigned seed)
      : link_(link), rng_(seed), desk_(sim(seed), settings(), now_), next_report_(now_) {
    deliver_report(sample());
    deskd::core::RestoredPosition r;
    controller_.emplace(settings(), inputs_, r, now_);
  }

  Result run(int moves, int warmup) {
    std::uniform_int_distribution<int> targets(settings().min_height_mm + 20,
                                               settings().max_height_mm - 20);
    std::vector<double> true_err, shown_err;
    for (int i = 0; i < moves; ++i) {
      int target = targets(rng_);
      while (std::abs(target - desk_.height_mm()) < 30) target = targets(rng_);
      move(target);
      if (i < warmup) continue;
      true_err.push_back(std::abs(desk_.height_mm() - target));
      shown_err.push_back(std::abs(controller_->height_mm(now_).value_or(0) - target));
    }
    Result r;
    summarise(true_err, r.mean_true, r.max_true);
    summarise(shown_err, r.mean_shown, r.max_shown);
    return r;
  }

 private:
  static deskd::core::MotionSettings settings() {
    deskd::core::MotionSettings s;
    s.sensor = deskd::core::SensorKind::kBus;
    s.bus_stale = milliseconds(500);
    return s;
  }
  static deskd::config::SimSettings sim(unsigned seed) {
    deskd::config::SimSettings s;
    s.coast_min_mm = 3;
    s.coast_max_mm = 8;
    s.speed_noise = 0.10;
    s.seed = seed;
    s.start_height_mm = 720;
    return s;
  }
  static void summarise(const std::vector<double>& v, double& mean, double& max) {
    for (double x : v) {
      mean += x;
      max = std::max(max, x);
    }
    mean /= static_cast<double>(v.size());
  }

  int sample() const { return deskd::bus::mm_to_raw(desk_.height_mm(), link_.unit); }
  void deliver_report(int raw) {
    inputs_.bus_height_mm = deskd::bus::raw_to_mm(raw, link_.unit);
    inputs_.bus_height_at = now_;
  }
  void apply(const deskd::core::MotionEffects& fx) {
    std::uniform_int_distribution<int> reaction(5, 25);
    for (const auto& step : fx.steps) {
      if (const auto* d = std::get_if<deskd::core::SetDrive>(&step)) {
        commands_.push_back(
            {now_ + frame_time(link_.command_frame_bytes) + milliseconds(reaction(rng_)),
             static_cast<int>(d->drive)});
      }
    }
    if (fx.last_drive()) controller_->outputs_written(now_);
  }

  void tick() {
    now_ += milliseconds(1);
    desk_.advance(now_);
    while (!commands_.empty() && commands_.front().at <= now_) {
      desk_.set_drive(static_cast<Drive>(commands_.front().raw), now_);
      commands_.pop_front();
    }
    if (now_ >= next_report_) {
      reports_.push_back({now_ + frame_time(link_.height_frame_bytes), sample()});
      next_report_ = now_ + kReportInterval;
    }
    while (!reports_.empty() && reports_.front().at <= now_) {
      deliver_report(reports_.front().raw);
      reports_.pop_front();
      apply(controller_->handle(deskd::core::InputsChanged{inputs_}, now_));
    }
    const auto dl = controller_->next_deadline();
    if (dl && *dl <= now_) apply(controller_->handle(deskd::core::DeadlineReached{}, now_));
  }

  void move(int target) {
    using Kind = deskd::core::MotionCommand::Kind;
    apply(controller_->handle(deskd::core::MotionCommand{Kind::kGoTo, target, "bench"}, now_));
    const SteadyTime end = now_ + std::chrono::seconds(40);
    while (now_ < end) {
      tick();
      const bool settled = controller_->drive() == Drive::kNone && !controller_->next_deadline() &&
                           commands_.empty() && !desk_.in_motion();
      if (settled) break;
    }
    for (int i = 0; i < 200; ++i) tick();  // the last reports of the rest height arrive
  }

  BusLink link_;
  std::mt19937 rng_;
  SteadyTime now_{std::chrono::hours(1)};
  deskd::hw::SimDesk desk_;
  deskd::core::InputSnapshot inputs_;
  std::optional<deskd::core::MotionController> controller_;
  std::deque<Pending> commands_;  // raw = the Drive
  std::deque<Pending> reports_;   // raw = the controller's height number
  SteadyTime next_report_;
};

}  // namespace

int main() {
  const BusLink links[] = {
      {"Jiecang, mm      ", deskd::bus::HeightUnit::kMm, 9, 6},
      {"Jiecang, 0.1 inch", deskd::bus::HeightUnit::kInchTenths, 9, 6},
      {"Loctek,  mm      ", deskd::bus::HeightUnit::kMm, 12, 8},
  };
  std::printf(
      "positioning on a bus desk: coast 3-8 mm (the controller's), +-10%% speed noise, height "
      "every %lld ms one frame late at 9600 baud, commands 5-25 ms + a frame late; 100 moves, "
      "errors after 10 warm-up moves\n",
      static_cast<long long>(kReportInterval.count()));
  for (const auto& link : links) {
    for (unsigned seed : {1u, 2u, 3u}) {
      const Result r = BusBench(link, seed).run(100, 10);
      std::printf(
          "  %s seed %u: true height mean |error| %.2f mm, max %.2f mm; shown mean %.2f mm, "
          "max %.2f mm\n",
          link.name, seed, r.mean_true, r.max_true, r.mean_shown, r.max_shown);
    }
  }
  return 0;
}
