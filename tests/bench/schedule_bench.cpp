// Schedule performance targets (DESIGN.md §11): the next 7 days of changes in <= 1 ms, a
// simulated year of schedule with statistics in <= 100 ms.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "core/local_time.h"
#include "core/posture_stats.h"
#include "core/progress.h"
#include "core/scheduler.h"

namespace {

using namespace std::chrono_literals;
using deskd::core::CivilDate;
using deskd::core::MoveOutcome;
using deskd::core::Posture;
using deskd::core::PostureStats;
using deskd::core::ScheduleAction;
using deskd::core::ScheduleEvent;
using deskd::core::ScheduleInputs;
using deskd::core::Scheduler;
using deskd::core::ScheduleSettings;

void use_zone() {
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
}

ScheduleSettings office() {
  ScheduleSettings s;
  for (std::size_t d = 0; d < 5; ++d) {
    s.windows[d] = {*deskd::core::parse_window("09:00-12:00"),
                    *deskd::core::parse_window("13:00-17:30")};
  }
  s.skip_dates = {CivilDate{2026, 12, 24}, CivilDate{2026, 12, 25}};
  s.breaks = {true, 60, 5};
  s.progression = {true, 5, 5, 7, 20, CivilDate{2026, 1, 5}};
  return s;
}

ScheduleInputs inputs_at(CivilDate d, int minute) {
  ScheduleInputs in;
  in.wall = deskd::core::local_to_wall(d, minute);
  in.steady = deskd::core::SteadyTime{} + 1000h;
  in.posture = Posture::kSitting;
  return in;
}

void BM_Preview7Days(benchmark::State& state) {
  use_zone();
  ScheduleInputs in = inputs_at({2026, 11, 23}, 9 * 60 + 10);
  Scheduler scheduler(office());
  std::vector<ScheduleEvent> events;
  scheduler.update(in, events);
  std::size_t changes = 0;
  for (auto _ : state) {
    auto preview = scheduler.preview(in);
    changes = preview.size();
    benchmark::DoNotOptimize(preview.data());
  }
  state.counters["changes"] = static_cast<double>(changes);
}
BENCHMARK(BM_Preview7Days)->Unit(benchmark::kMicrosecond);

// The same with a comfort answer on every day since the progression began (issue 24 §3): the
// progression walks the answers day by day for each standing period it plans.
void BM_Preview7DaysWithComfort(benchmark::State& state) {
  use_zone();
  ScheduleInputs in = inputs_at({2026, 11, 23}, 9 * 60 + 10);
  Scheduler scheduler(office());
  deskd::core::ComfortLog log;
  for (CivilDate d{2026, 1, 5}; d < CivilDate{2026, 11, 23}; d = deskd::core::add_days(d, 1)) {
    log.push_back({d, 4.0});
  }
  scheduler.set_comfort(log);
  std::vector<ScheduleEvent> events;
  scheduler.update(in, events);
  for (auto _ : state) {
    auto preview = scheduler.preview(in);
    benchmark::DoNotOptimize(preview.data());
  }
  state.counters["comfort_days"] = static_cast<double>(log.size());
}
BENCHMARK(BM_Preview7DaysWithComfort)->Unit(benchmark::kMicrosecond);

// A fresh Scheduler each time: nothing cached.
void BM_Preview7DaysCold(benchmark::State& state) {
  use_zone();
  const ScheduleInputs in = inputs_at({2026, 11, 23}, 9 * 60 + 10);
  for (auto _ : state) {
    Scheduler scheduler(office());
    auto preview = scheduler.preview(in);
    benchmark::DoNotOptimize(preview.data());
  }
}
BENCHMARK(BM_Preview7DaysCold)->Unit(benchmark::kMicrosecond);

// A year of working days: the scheduler follows its own wake-ups, an ideal desk follows every
// move, and the statistics are updated at every step.
void BM_SimulateYear(benchmark::State& state) {
  use_zone();
  std::size_t moves = 0;
  std::size_t steps = 0;
  for (auto _ : state) {
    ScheduleInputs in = inputs_at({2026, 1, 1}, 0);
    const auto end = deskd::core::local_to_wall({2027, 1, 1}, 0);
    Scheduler scheduler(office());
    PostureStats stats;
    std::vector<ScheduleEvent> events;
    moves = 0;
    steps = 0;
    while (in.wall < end) {
      events.clear();
      const ScheduleAction a = scheduler.update(in, events);
      ++steps;
      for (const auto& e : events) stats.record(e, in.wall);
      if (a.kind == ScheduleAction::Kind::kMove) {
        ++moves;
        in.posture = a.posture;
        stats.update(in.posture, in.wall, in.steady);
        scheduler.auto_move_finished(MoveOutcome::kReached, in);
        continue;
      }
      stats.update(in.posture, in.wall, in.steady);
      const auto next = scheduler.next_wakeup();
      const auto step = next ? *next - in.wall : end - in.wall;
      in.wall += step;
      in.steady += std::chrono::duration_cast<deskd::core::SteadyTime::duration>(step);
    }
    benchmark::DoNotOptimize(stats.history().data());
  }
  state.counters["moves"] = static_cast<double>(moves);
  state.counters["updates"] = static_cast<double>(steps);
}
BENCHMARK(BM_SimulateYear)->Unit(benchmark::kMillisecond)->MinTime(0.5);

// B/progress with 400 kept days that all met their goal: the streak walks the whole history
// (the worst case; it is computed at every statistics publication and B/get).
void BM_ProgressFullHistory(benchmark::State& state) {
  use_zone();
  const ScheduleSettings settings = office();
  const CivilDate today{2026, 11, 25};
  std::vector<deskd::core::DayStats> history;
  for (int i = -PostureStats::kKeepDays; i <= 0; ++i) {
    deskd::core::DayStats d{deskd::core::add_days(today, i)};
    d.sit_s = 20000;
    d.stand_s = 12000;
    d.transitions = 16;
    d.longest_sit_s = 1800;
    history.push_back(d);
  }
  const auto now = deskd::core::local_to_wall(today, 15 * 60);
  int streak = 0;
  for (auto _ : state) {
    const auto p = deskd::core::compute_progress(history, settings, CivilDate{2026, 1, 5}, now);
    streak = p.streak.days;
    benchmark::DoNotOptimize(streak);
  }
  state.counters["streak_days"] = streak;
}
BENCHMARK(BM_ProgressFullHistory)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
