#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/local_time.h"
#include "core/posture_stats.h"
#include "core/scheduler.h"

namespace deskd::core::testing {

using namespace std::chrono_literals;

// Switches the process's time zone for a scope and restores the previous one.
class TzGuard {
 public:
  explicit TzGuard(const char* zone) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    set(zone);
  }
  ~TzGuard() {
    if (old_) {
      set(old_->c_str());
    } else {
      unsetenv("TZ");
      tzset();
    }
  }
  TzGuard(const TzGuard&) = delete;
  TzGuard& operator=(const TzGuard&) = delete;
  static void set(const char* zone) {
    setenv("TZ", zone, 1);
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

// Local wall time in the current zone (first occurrence if ambiguous).
inline WallTime at(int y, int mo, int d, int h, int mi, int s = 0) {
  return local_to_wall(CivilDate{y, mo, d}, h * 60 + mi) + std::chrono::seconds(s);
}

inline std::vector<TimeWindow> windows(std::initializer_list<const char*> texts) {
  std::vector<TimeWindow> out;
  for (const char* t : texts) out.push_back(*parse_window(t));
  return out;
}

// Weekdays 09:00-12:00 and 13:00-17:30; weekends off.
inline ScheduleSettings office_settings() {
  ScheduleSettings s;
  for (int d = 0; d < 5; ++d)
    s.windows[static_cast<std::size_t>(d)] = windows({"09:00-12:00", "13:00-17:30"});
  s.max_auto_moves_per_day = 100;
  return s;
}

// A scheduler driven by a manual clock, with an ideal desk that follows automatic moves
// instantly. Reads like a story: start(at(...)); run_until(at(...)); EXPECT_EQ(moves(), ...).
class ScheduleTest : public ::testing::Test {
 protected:
  struct Move {
    WallTime at;
    Posture posture;
    friend bool operator==(const Move&, const Move&) = default;
  };
  struct TimedEvent {
    WallTime at;
    ScheduleEvent event;
  };

  ScheduleSettings settings = office_settings();
  std::unique_ptr<Scheduler> scheduler;
  ScheduleInputs in;
  std::vector<Move> moves;
  std::vector<TimedEvent> events;
  std::vector<ScheduleAction> nudges;
  bool desk_follows = true;
  PostureStats* stats = nullptr;  // if set, fed with every step's posture and events
  int steps = 0;

  void start(WallTime t, Posture p = Posture::kSitting, SchedulerMemory memory = {}) {
    in.wall = t;
    in.steady = SteadyTime{} + 100000h;
    in.posture = p;
    scheduler = std::make_unique<Scheduler>(settings, memory);
    step();
  }

  ScheduleAction step() {
    ++steps;
    std::vector<ScheduleEvent> out;
    const ScheduleAction a = scheduler->update(in, out);
    for (auto& e : out) events.push_back({in.wall, e});
    if (stats) {
      for (auto& e : out) stats->record(e, in.wall);
      stats->update(in.posture, in.wall, in.steady);
    }
    if (a.kind == ScheduleAction::Kind::kNudge) nudges.push_back(a);
    if (a.kind == ScheduleAction::Kind::kMove) {
      moves.push_back({in.wall, a.posture});
      if (desk_follows) {
        in.posture = a.posture;
        scheduler->auto_move_finished(MoveOutcome::kReached, in);
        step();
      }
    }
    return a;
  }

  // Moves both clocks by `d` without calling update().
  void pass(std::chrono::system_clock::duration d) {
    in.wall += d;
    in.steady += std::chrono::duration_cast<SteadyTime::duration>(d);
  }

  // Follows next_wakeup() until `t`, then updates at `t`.
  void run_until(WallTime t) {
    for (int guard = 0; guard < 100000; ++guard) {
      const auto w = scheduler->next_wakeup();
      ASSERT_TRUE(!w || *w > in.wall) << "wake-up not in the future";
      if (!w || *w > t) break;
      pass(*w - in.wall);
      step();
    }
    pass(t - in.wall);
    step();
  }
  void run_for(std::chrono::system_clock::duration d) { run_until(in.wall + d); }

  void set_posture(Posture p) {
    in.posture = p;
    scheduler->manual_posture_change(p, in);
    step();
  }

  ScheduleStatus status() const { return scheduler->status(in); }

  std::vector<TimedEvent> events_of(const std::string& type) const {
    std::vector<TimedEvent> out;
    for (const auto& e : events) {
      if (to_string(e.event.kind) == type) out.push_back(e);
    }
    return out;
  }
};

}  // namespace deskd::core::testing
