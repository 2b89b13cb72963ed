// Safety invariant 9 (DESIGN.md §4): no command stream defeats supervision or wears the outputs.
// Minimum off-time, minimum on-time, coalescing, the start budget, no-progress time and the move
// deadline carried across stop/start, and no start towards an obstacle until the fault is cleared.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "motion_fixture.h"

namespace deskd::core::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Kind = MotionCommand::Kind;

class CommandStreamTest : public MotionTest {
 protected:
  // Sends `first`, then `second` `period` later, and so on, for `duration` (or until a fault).
  void stream(const std::function<void()>& first, const std::function<void()>& second,
              milliseconds period, milliseconds duration) {
    const SteadyTime end = now_ + duration;
    for (int i = 0; now_ < end && controller_->fault() == Fault::kNone; ++i) {
      (i % 2 == 0 ? first : second)();
      run_for(period);
    }
  }
  std::function<void()> go(int mm) {
    return [this, mm] { go_to(mm); };
  }
  std::function<void()> stop() {
    return [this] { command(Kind::kStop); };
  }

  // Each drive change from none to a direction, with the off-time before it and the run after.
  struct Run {
    SteadyTime start;
    SteadyTime::duration off_before;
    SteadyTime::duration on;
    Drive dir;
    double start_height;
  };
  std::vector<Run> runs() const {
    std::vector<Run> out;
    std::optional<SteadyTime> last_stop;  // none seen: long ago
    for (std::size_t i = 0; i < changes_.size(); ++i) {
      const DriveChange& c = changes_[i];
      if (c.drive == Drive::kNone) {
        last_stop = c.at;
        continue;
      }
      const SteadyTime end = i + 1 < changes_.size() ? changes_[i + 1].at : now_;
      out.push_back({c.at, last_stop ? c.at - *last_stop : SteadyTime::duration::max(), end - c.at,
                     c.drive, c.height});
    }
    return out;
  }
};

// ---- Minimum off-time and coalescing --------------------------------------------------------

TEST_F(CommandStreamTest, EveryStartWaitsTheMinimumOffTimeAfterTheLastStop) {
  struct Case {
    const char* name;
    int then_mm;  // after a run up to 1100 stopped at ~758 mm
    milliseconds min_off_expected;
  };
  for (const Case& c : {Case{"same direction", 1100, milliseconds(300)},
                        Case{"reversal", 700, milliseconds(500)}}) {
    SCOPED_TRACE(c.name);
    make(settings(), 720.0);
    go_to(1100);
    run_for(seconds(1));
    changes_.clear();
    command(Kind::kStop);
    run_for(milliseconds(10));
    go_to(c.then_mm);
    EXPECT_EQ(controller_->state(), MotionState::kReversePause);
    run_for(seconds(1));
    ASSERT_FALSE(runs().empty());
    EXPECT_GE(runs().front().off_before, c.min_off_expected);
    EXPECT_LE(runs().front().off_before, c.min_off_expected + milliseconds(4));
  }
}

TEST_F(CommandStreamTest, CommandsFasterThanTheOffTimeAreCoalescedAndTheLatestTargetWins) {
  make(settings(), 800.0);
  go_to(1000);
  run_for(milliseconds(500));
  changes_.clear();
  command(Kind::kStop);
  for (int mm : {1100, 900, 1150, 1200}) {  // every 50 ms, all inside the off-time
    run_for(milliseconds(50));
    go_to(mm);
  }
  run_for(seconds(15));
  const auto r = runs();
  ASSERT_GE(r.size(), 1u);
  EXPECT_EQ(r.front().dir, Drive::kUp);
  EXPECT_GE(r.front().off_before, settings_.min_off);
  EXPECT_LE(r.size(), 2u);  // one start, at most one correcting step
  EXPECT_NEAR(controller_->height_mm(now_).value(), 1200, settings_.tolerance_mm);
}

// ---- Minimum on-time ------------------------------------------------------------------------

TEST_F(CommandStreamTest, AReversalWaitsTheMinimumOnTimeButAStopIsObeyedAtOnce) {
  struct Case {
    const char* name;
    bool stop;
    milliseconds run_at_least;
    milliseconds run_at_most;
  };
  for (const Case& c : {Case{"reversal", false, milliseconds(300), milliseconds(302)},
                        Case{"stop", true, milliseconds(50), milliseconds(50)}}) {
    SCOPED_TRACE(c.name);
    make(settings(), 800.0);
    motor_ = Drive::kNone;  // from the case before
    coast_left_ = 0;
    changes_.clear();
    go_to(1100);
    run_for(milliseconds(50));
    if (c.stop) {
      command(Kind::kStop);
      EXPECT_EQ(motor_, Drive::kNone);
    } else {
      go_to(700);
      EXPECT_EQ(motor_, Drive::kUp);  // still driving: the run is younger than min_on
    }
    run_for(seconds(3));
    const auto r = runs();
    ASSERT_FALSE(r.empty());
    EXPECT_GE(r.front().on, c.run_at_least);
    EXPECT_LE(r.front().on, c.run_at_most);
    if (!c.stop) {
      ASSERT_GE(r.size(), 2u);
      EXPECT_EQ(r[1].dir, Drive::kDown);
      EXPECT_GE(r[1].off_before, settings_.reverse_delay);
    }
  }
}

TEST_F(CommandStreamTest, ASameDirectionCommandRetargetsTheRunWithoutAStop) {
  make(settings(), 800.0);
  changes_.clear();
  go_to(1100);
  for (int mm : {1000, 1050, 950, 1000}) {
    run_for(milliseconds(30));
    go_to(mm);
  }
  run_for(seconds(10));
  const auto r = runs();
  ASSERT_FALSE(r.empty());
  EXPECT_LE(r.size(), 2u);  // one run (and perhaps a correcting step)
  EXPECT_NEAR(controller_->height_mm(now_).value(), 1000, settings_.tolerance_mm);
}

TEST_F(CommandStreamTest, AlternatingTargetsNeverProduceARunShorterThanTheMinimumOnTime) {
  make(settings(), 900.0);
  changes_.clear();
  stream(go(1200), go(700), milliseconds(4), seconds(2));  // 500 commands in 2 s
  run_for(seconds(30));
  const auto r = runs();
  ASSERT_FALSE(r.empty());
  for (std::size_t i = 0; i + 1 < r.size(); ++i) {  // the last one may be a correcting step
    EXPECT_GE(r[i].on, settings_.min_on) << "run " << i;
  }
  for (const Run& run : r) EXPECT_GE(run.off_before, settings_.min_off);
  EXPECT_LE(r.size(), 6u);
}

// ---- Start budget ---------------------------------------------------------------------------

TEST_F(CommandStreamTest, StartsBeyondTheBudgetAreRefusedWithWhenToTryAgain) {
  make(settings(), 800.0);
  changes_.clear();
  std::optional<std::string> refused;
  for (int i = 0; i < 40 && !refused; ++i) {
    auto fx = go_to(i % 2 ? 700 : 1100);
    if (fx.error) refused = fx.error;
    run_for(milliseconds(200));
    command(Kind::kStop);  // a stop is always obeyed, budget or not
    EXPECT_EQ(motor_, Drive::kNone);
    run_for(milliseconds(600));
  }
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("start budget used up: 20 starts in the last minute"), std::string::npos)
      << *refused;
  EXPECT_NE(refused->find("try again in "), std::string::npos) << *refused;
  EXPECT_EQ(runs().size(), 20u);
  run_for(seconds(45));  // the oldest starts leave the window
  EXPECT_FALSE(go_to(1000).error.has_value());
}

TEST_F(CommandStreamTest, AnAcceptedMoveKeepsItsStepsWhenTheBudgetIsUsedUp) {
  auto s = settings();
  s.start_budget = 1;
  make(s, 800.0);
  changes_.clear();
  EXPECT_FALSE(command(Kind::kNudge).error.has_value());  // up by nudge_mm and back: two starts
  run_for(seconds(5));
  EXPECT_EQ(runs().size(), 2u);
  EXPECT_NEAR(controller_->height_mm(now_).value(), 800, settings_.tolerance_mm);
  EXPECT_TRUE(go_to(900).error.has_value());  // a new command is over budget
}

// ---- Supervision across stop/start ----------------------------------------------------------

TEST_F(CommandStreamTest, NoProgressTimeAccumulatesAcrossStopStartAtTheSamePlace) {
  for (int period_ms : {100, 170, 250, 400}) {
    SCOPED_TRACE(period_ms);
    auto s = settings();
    s.start_budget = 0;  // this test is about the stall rule alone
    make(s, 900.0);
    stalled_ = true;  // something under the desk: it cannot move down at all
    stall_dir_ = Drive::kDown;
    changes_.clear();
    stream(go(650), stop(), milliseconds(period_ms), seconds(20));
    run_for(seconds(2));
    EXPECT_EQ(controller_->fault(), Fault::kStall);
    SteadyTime::duration pressing{};
    for (const Run& r : runs()) pressing += r.dir == Drive::kDown ? r.on : SteadyTime::duration{};
    EXPECT_LE(pressing, settings_.stall_timeout + milliseconds(4));
  }
}

TEST_F(CommandStreamTest, ProgressBetweenStopsClearsTheNoProgressTime) {
  auto s = settings();
  s.start_budget = 0;
  make(s, 1200.0);
  stream(go(650), stop(), milliseconds(150), seconds(20));  // a free desk, 150 ms at a time
  EXPECT_EQ(controller_->fault(), Fault::kNone);
  EXPECT_LT(controller_->height_mm(now_).value(), 900);
}

TEST_F(CommandStreamTest, StartStopStreamCannotDefeatObstructionDetection) {
  // A knee under the desk: it crawls at 15 % of its speed within 30 mm of 800 mm. Crawling fills
  // the stall clock at 1 - 0.15 / obstruction_ratio of real time (0.625 here), so whatever the
  // period, the stream presses on it for at most stall_timeout / 0.625 in all (a dead stop: for
  // stall_timeout), and one that presses long enough latches the fault.
  for (int period_ms : {150, 170, 250, 400, 700}) {
    SCOPED_TRACE(period_ms);
    make(settings(), 840.0);
    motor_ = Drive::kNone;
    coast_left_ = 0;
    obstruction_ = 800.0;
    changes_.clear();
    stream(go(650), stop(), milliseconds(period_ms), seconds(20));
    run_for(seconds(2));
    SteadyTime::duration pressing{};
    for (const Run& r : runs()) {
      if (r.dir == Drive::kDown && r.start_height <= *obstruction_ + 30) pressing += r.on;
    }
    const Fault f = controller_->fault();
    const double fill = 1.0 - 0.15 / settings_.obstruction_ratio;
    EXPECT_LE(pressing / milliseconds(1), settings_.stall_timeout / milliseconds(1) / fill + 20);
    if (pressing >= settings_.stall_timeout || period_ms >= 250) {
      EXPECT_TRUE(f == Fault::kStall || f == Fault::kObstruction) << to_string(f);
    }
    std::printf("period %d ms: %zu runs, pressing %lld ms, fault %s\n", period_ms, runs().size(),
                static_cast<long long>(pressing / milliseconds(1)), to_string(f).data());
  }
}

TEST_F(CommandStreamTest, AStopStartStreamDoesNotResetTheMoveDeadline) {
  auto s = settings();
  s.start_budget = 0;
  make(s, 700.0);
  speed_ = 16;  // slow but steady (above the obstruction ratio): only the deadline can tell
  coast_mm_ = 0;
  changes_.clear();
  stream(go(1250), stop(), milliseconds(300), seconds(120));
  EXPECT_EQ(controller_->fault(), Fault::kTimeout) << controller_->fault_detail();
  SteadyTime::duration driven{};
  for (const Run& r : runs()) driven += r.on;
  // The estimate for 550 mm at 38 mm/s, * 1.5 + 2 s, counted in driving time.
  EXPECT_LE(driven, milliseconds(550 * 1000 * 3 / 2 / 38 + 2000 + 10));
}

TEST_F(CommandStreamTest, AfterAStallNoStartTowardsTheObstacleUntilTheFaultIsCleared) {
  make(settings(), 900.0);
  go_to(1200);
  run_for(milliseconds(500));
  stalled_ = true;  // blocked going up (a shelf above)
  stall_dir_ = Drive::kUp;
  run_for(seconds(3));
  ASSERT_EQ(controller_->fault(), Fault::kStall);
  changes_.clear();
  for (Kind k : {Kind::kCalibrate, Kind::kNudge}) EXPECT_TRUE(command(k).error.has_value());
  EXPECT_TRUE(go_to(1250).error.has_value());
  run_for(seconds(1));
  EXPECT_TRUE(changes_.empty());
  stalled_ = false;
  command(Kind::kClearFault);
  EXPECT_EQ(controller_->fault(), Fault::kNone);
  EXPECT_FALSE(command(Kind::kCalibrate).error.has_value());
}

}  // namespace
}  // namespace deskd::core::testing
