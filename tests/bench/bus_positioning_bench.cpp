// Positioning on a bus desk (issue 12, issue 20 §3, DESIGN.md §11), printed as numbers, not
// asserted.
//
// The same simulated physics as motion_bench (coast 3-8 mm after the motor stops, +-10 % speed
// noise), from a fresh state (nothing learned: errors count from the first move), seen and driven
// the way a desk controller's UART shows it to deskd, at the real rates:
//  - the height arrives as the controller's number every report interval (Jiecang ~200 ms while
//    moving, Loctek E5B ~100 ms), received one frame time later (9600 baud, 10 bits a byte:
//    Jiecang's 9-byte height frame, Loctek's 12-byte one): whole mm or 0.1 inch on Jiecang; on
//    Loctek's display 0.1 cm below 100 cm and whole cm (rounded) from 100 cm;
//  - deskd's move frames repeat (Jiecang 100 ms, Loctek 108 ms) and reach the controller one frame
//    time plus its reaction (uniformly 5-25 ms) later;
//  - Jiecang stops at its stop frame, then coasts; Loctek has no stop command: the motor runs on
//    300 ms after the last move frame it received, then coasts (deskd times the last frame of a
//    stop at a target, BusBackend::stop_after_one_frame, and knows when each went out).
// The real MotionController with the `bus` position estimator, learned stop-ahead and (Loctek)
// run_on decides. Prints the first five moves and mean and max |final true height - target| over
// all moves, and the same for the height deskd shows.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>
#include <random>
#include <utility>
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
  milliseconds report;      // the controller's height report interval while moving
  milliseconds repeat;      // deskd's move-frame repeat (BusBackend)
  milliseconds run_on;      // 0: a stop frame stops the motor; else the run-on after the last frame
  bool whole_cm_from_1000;  // Loctek's display: whole cm from 100 cm
};
constexpr double kByteMs = 10.0 * 1000.0 / 9600.0;

milliseconds frame_time(int bytes) {
  return milliseconds(static_cast<int>(std::ceil(bytes * kByteMs)));
}

struct Result {
  double mean_true = 0, max_true = 0, mean_shown = 0, max_shown = 0;
  std::vector<std::pair<int, double>> first;  // the first moves: target, final true height
};

struct Pending {
  SteadyTime at;
  int raw = 0;
};

// One desk, one controller, one MotionController; moves until all are done.
class BusBench {
 public:
  BusBench(const BusLink& link, unsigned seed)
      : link_(link), rng_(seed), desk_(sim(seed), settings(link), now_), next_report_(now_) {
    deliver_report(sample());
    deskd::core::RestoredPosition r;
    controller_.emplace(settings(link), inputs_, r, now_);
  }

  Result run(int moves, int warmup) {
    std::uniform_int_distribution<int> targets(settings(link_).min_height_mm + 20,
                                               settings(link_).max_height_mm - 20);
    std::vector<double> true_err, shown_err;
    for (int i = 0; i < moves; ++i) {
      int target = targets(rng_);
      while (std::abs(target - desk_.height_mm()) < 30) target = targets(rng_);
      const int starts_before = starts_;
      move(target);
      if (std::getenv("DESKD_BENCH_VERBOSE")) {
        std::printf("    move %d: %d -> %.1f (shown %.1f), %d start(s)%s%s\n", i, target,
                    desk_.height_mm(), controller_->height_mm(now_).value_or(-1),
                    starts_ - starts_before, controller_->fault_detail().empty() ? "" : ", fault: ",
                    controller_->fault_detail().c_str());
      }
      if (r_first_.size() < 5) r_first_.emplace_back(target, desk_.height_mm());
      if (i < warmup) continue;
      true_err.push_back(std::abs(desk_.height_mm() - target));
      shown_err.push_back(std::abs(controller_->height_mm(now_).value_or(0) - target));
    }
    Result r;
    r.first = r_first_;
    summarise(true_err, r.mean_true, r.max_true);
    summarise(shown_err, r.mean_shown, r.max_shown);
    return r;
  }

 private:
  static deskd::core::MotionSettings settings(const BusLink& link) {
    deskd::core::MotionSettings s;
    s.sensor = deskd::core::SensorKind::kBus;
    s.bus_stale = milliseconds(500);
    s.run_on = link.run_on;  // as config_loader sets them for Loctek
    if (link.run_on.count() > 0) s.drive_repeat = link.repeat;
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

  int sample() const {
    const double mm = desk_.height_mm();
    if (link_.whole_cm_from_1000 && mm >= 999.5) return static_cast<int>(std::lround(mm / 10)) * 10;
    return deskd::bus::mm_to_raw(mm, link_.unit);
  }
  void deliver_report(int raw) {
    inputs_.bus_height_mm = deskd::bus::raw_to_mm(raw, link_.unit);
    inputs_.bus_height_at = now_;
  }
  // What deskd's bus backend sends for the outputs: a move frame at once and every repeat
  // interval; at a stop a stop frame (Loctek ignores it), and a move frame only at a stop timed
  // for one more (StopStyle::kAfterOneFrame). The stop is written with the time the last move
  // frame went out (BusBackend::last_drive_frame_at).
  void apply(const deskd::core::MotionEffects& fx) {
    for (const auto& step : fx.steps) {
      if (const auto* d = std::get_if<deskd::core::SetDrive>(&step)) set_drive(d->drive, d->stop);
    }
    if (!fx.last_drive()) return;
    std::optional<SteadyTime> last_frame;
    if (link_.run_on.count() > 0) last_frame = last_frame_;
    controller_->outputs_written(now_, *fx.last_drive(),
                                 *fx.last_drive() == Drive::kNone ? last_frame : std::nullopt);
  }
  void set_drive(Drive d, deskd::core::StopStyle stop) {
    if (d == drive_) return;
    const bool one_more = d == Drive::kNone && stop == deskd::core::StopStyle::kAfterOneFrame;
    if (one_more && link_.run_on.count() > 0) send(drive_);  // BusBackend::stop_after_one_frame
    drive_ = d;
    if (d != Drive::kNone) ++starts_;
    if (d == Drive::kNone) {
      if (link_.run_on.count() == 0) send(Drive::kNone);
      return;
    }
    send(d);
    next_frame_ = now_ + link_.repeat;
  }
  void send(Drive d) {
    if (d != Drive::kNone) last_frame_ = now_;
    std::uniform_int_distribution<int> reaction(5, 25);
    commands_.push_back(
        {now_ + frame_time(link_.command_frame_bytes) + milliseconds(reaction(rng_)),
         static_cast<int>(d)});
  }
  // The controller receives a frame: a move frame moves (Loctek: until run_on after the last
  // one), a stop frame stops.
  void receive(Drive d) {
    if (d != Drive::kNone && link_.run_on.count() > 0) run_on_until_ = now_ + link_.run_on;
    if (desk_.drive() != d) desk_.set_drive(d, now_);
  }

  void tick() {
    now_ += milliseconds(1);
    desk_.advance(now_);
    if (drive_ != Drive::kNone && now_ >= next_frame_) {
      send(drive_);
      next_frame_ = now_ + link_.repeat;
    }
    while (!commands_.empty() && commands_.front().at <= now_) {
      receive(static_cast<Drive>(commands_.front().raw));
      commands_.pop_front();
    }
    if (run_on_until_ && now_ >= *run_on_until_) {
      run_on_until_.reset();
      desk_.set_drive(Drive::kNone, now_);
    }
    if (now_ >= next_report_) {
      reports_.push_back({now_ + frame_time(link_.height_frame_bytes), sample()});
      next_report_ = now_ + link_.report;
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
    apply(controller_->handle(
        deskd::core::MotionCommand{Kind::kGoTo, target, deskd::core::MoveSource::kOther}, now_));
    const SteadyTime end = now_ + std::chrono::seconds(40);
    while (now_ < end) {
      tick();
      const bool settled = controller_->drive() == Drive::kNone && !controller_->next_deadline() &&
                           commands_.empty() && !run_on_until_ && !desk_.in_motion();
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
  Drive drive_ = Drive::kNone;  // deskd's outputs (the backend repeats its frame)
  SteadyTime next_frame_{};
  std::optional<SteadyTime> last_frame_;  // the last move frame sent
  int starts_ = 0;
  std::optional<SteadyTime> run_on_until_;  // Loctek: the motor stops then
  std::vector<std::pair<int, double>> r_first_;
};

}  // namespace

int main() {
  const BusLink links[] = {
      {"Jiecang, mm      ", deskd::bus::HeightUnit::kMm, 9, 6, milliseconds(200), milliseconds(100),
       milliseconds(0), false},
      {"Jiecang, 0.1 inch", deskd::bus::HeightUnit::kInchTenths, 9, 6, milliseconds(200),
       milliseconds(100), milliseconds(0), false},
      {"Loctek,  mm      ", deskd::bus::HeightUnit::kMm, 12, 8, milliseconds(100),
       milliseconds(108), milliseconds(300), true},
  };
  std::printf(
      "positioning on a bus desk from a fresh state: coast 3-8 mm, +-10%% speed noise, heights at "
      "the real rates (Jiecang 200 ms, Loctek 100 ms) one frame late at 9600 baud, commands "
      "5-25 ms + a frame late, Loctek's 300 ms run-on; 40 moves, errors from the first move\n");
  for (const auto& link : links) {
    double mean_all = 0, max_all = 0;
    for (unsigned seed : {1u, 2u, 3u}) {
      const Result r = BusBench(link, seed).run(40, 0);
      std::printf("  %s seed %u: first moves", link.name, seed);
      for (const auto& [target, end] : r.first) std::printf(" %d->%.1f", target, end);
      std::printf(
          "\n      true height mean |error| %.2f mm, max %.2f mm; shown mean %.2f mm, "
          "max %.2f mm\n",
          r.mean_true, r.max_true, r.mean_shown, r.max_shown);
      mean_all += r.mean_true / 3;
      max_all = std::max(max_all, r.max_true);
    }
    std::printf("  %s all seeds: mean |error| %.2f mm, max %.2f mm\n", link.name, mean_all,
                max_all);
  }
  return 0;
}
