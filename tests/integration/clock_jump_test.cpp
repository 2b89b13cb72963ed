// Clock jumps under load: deskd's wall clock is stepped forwards and backwards (hours, a day,
// minutes; B/sim/set {"clock_jump_s":N}, the simulated desk's test hook) while the schedule
// moves the desk, commands move it and settings are saved. deskd must keep running, never move
// twice for one change, and its statistics must still add up to the time that really passed.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <thread>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr double kScale = 120;  // a 5-minute period passes in 2.5 real seconds
constexpr int kSitMm = 720;
constexpr int kStandMm = 1100;

class ClockJump : public MqttDeskTest {
 protected:
  struct Totals {
    std::int64_t seconds = 0;  // sitting + standing, all days
    std::int64_t transitions = 0;
  };

  std::optional<Totals> totals() {
    auto r = request("stats/get", Json{{"days", 30}});
    if (!r || json_string(*r, "status") != "ok") return std::nullopt;
    Totals t;
    for (const auto& d : (*r)["data"].as_object()["days"].as_array()) {
      const auto& o = d.as_object();
      t.seconds += json_int(o, "sit_s").value_or(0) + json_int(o, "stand_s").value_or(0);
      t.transitions += json_int(o, "transitions").value_or(0);
    }
    return t;
  }

  static std::string posture_of(const Json& s) { return json_string(s, "posture"); }
};

TEST_F(ClockJump, JumpsBothWaysUnderLoadNeitherCrashNorMoveTwiceAndStatisticsAddUp) {
  start_broker();
  DeskdOptions o = desk_options();
  o.extra_toml.clear();  // the default simulated desk: a move takes ~10 s of deskd time
  o.extra_args = {"--time-scale", "120"};
  o.schedule_toml = all_day_schedule_toml(
      "mode = \"auto\"\nsit_minutes = 5\nstand_minutes = 5\nwarn_seconds = 10\n");
  ASSERT_TRUE(start_all(o));
  // Calibrate (the position of a fresh desk is unknown), then count from a known posture.
  auto since = mark();
  send("set", R"({"action":"calibrate"})");
  ASSERT_TRUE(wait_event("calibrated", since, seconds(20))) << deskd_->log();
  ASSERT_TRUE(move_to(kSitMm)) << deskd_->log();
  ASSERT_TRUE(wait_event("move_finished", since, seconds(10)));

  const auto t0 = totals();
  ASSERT_TRUE(t0.has_value());
  const auto real0 = Clock::now();
  const auto from = mark();

  // Jumps of hours, a day and minutes, both ways, one every 6-10 minutes of deskd time (a jump
  // restarts the period being counted, so the schedule changes between jumps).
  const std::vector<int> jumps = {7200, -7200, 86400, -1800, -86400, 600, -3600, 3 * 3600, -45, 45};
  std::mt19937 rng(13);
  int moves_sent = 0;
  for (std::size_t i = 0; i < jumps.size(); ++i) {
    if (i % 3 == 1) {  // a jump while the desk moves (a move lasts ~80 ms of real time)
      send("set", i % 2 ? R"({"posture":"standing"})" : R"({"posture":"sitting"})");
      ++moves_sent;
      std::this_thread::sleep_for(milliseconds(30));  // the jump lands mid-move: the stimulus
    }
    send("request/presets/set",  // a settings save at the jump
         "{\"presets\":{\"j\":" + std::to_string(800 + static_cast<int>(i)) + "}}");
    send("sim/set", "{\"clock_jump_s\":" + std::to_string(jumps[i]) + "}");
    // The pace of the jumps (6-10 deskd minutes apart) is the stimulus, not a wait for a result.
    std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(3000, 5000)(rng)));
    ASSERT_TRUE(deskd_->process().running()) << "deskd died after jump " << jumps[i] << "\n"
                                             << deskd_->log();
  }
  // Let the last move end before the books are closed.
  ASSERT_TRUE(wait_until_state(field_is("motion", "stopped"))) << deskd_->log();
  const auto t1 = totals();
  const auto real1 = Clock::now();
  ASSERT_TRUE(t1.has_value());

  // Walk what deskd published: moves, postures, jumps.
  const auto all = observer_->messages();
  int schedule_moves = 0, jumps_seen = 0, posture_changes = 0, moves_started = 0;
  std::string posture = "sitting";  // the desk is sitting at `from`
  std::optional<int> stopped_at;    // height of the last stopped state
  bool moving = false;
  for (std::size_t i = from; i < all.size(); ++i) {
    const auto& m = all[i];
    const auto j = json_object(m.payload);
    if (m.topic == topic("state")) {
      const auto p = posture_of(j);
      if ((p == "sitting" || p == "standing") && p != posture) {
        ++posture_changes;
        posture = p;
      }
      if (json_string(j, "motion") == "stopped") {
        if (auto h = json_int(j, "height_mm")) stopped_at = static_cast<int>(*h);
      }
    } else if (m.topic == topic("event")) {
      const auto type = json_string(j, "type");
      if (type == "clock_jump") ++jumps_seen;
      if (type == "move_started") {
        ++moves_started;
        const auto target = json_int(j, "target_mm");
        if (json_string(j, "source") == "schedule") {
          ++schedule_moves;
          // A double move: the schedule drives to the posture the desk already stands in.
          ASSERT_TRUE(target.has_value());
          if (stopped_at && !moving) {
            EXPECT_GT(std::abs(*stopped_at - static_cast<int>(*target)), 30)
                << "schedule move to " << *target << " while already at " << *stopped_at;
          }
        }
        moving = true;
      }
      if (type == "move_finished" || type == "stopped" || type == "fault") moving = false;
    }
  }
  const double virtual_s =
      std::chrono::duration<double>(real1 - real0).count() * kScale;  // steady time that passed
  const std::int64_t counted = t1->seconds - t0->seconds;
  std::cout << "clock jumps: " << jumps.size() << " jumps sent, " << jumps_seen
            << " seen by the schedule; " << moves_started << " moves (" << schedule_moves
            << " by the schedule, " << moves_sent << " commanded); " << counted << " s counted for "
            << static_cast<long>(virtual_s) << " s of deskd time; "
            << t1->transitions - t0->transitions << " transitions, " << posture_changes
            << " posture changes seen" << std::endl;
  EXPECT_GE(jumps_seen, 1) << "the schedule never noticed a jump";
  EXPECT_GE(schedule_moves, 1) << "no schedule move under load: the test checked no double move";
  // Sitting + standing never exceed the time that passed (a jump is not time spent), and miss
  // only the moments in between postures (~5 s of deskd time per move) and the real-time error of
  // measuring from outside (~0.2 s real = 24 s of deskd time).
  EXPECT_LE(counted, static_cast<std::int64_t>(virtual_s + 30));
  EXPECT_GE(counted, static_cast<std::int64_t>(virtual_s - 30 - 5.0 * moves_started));
  EXPECT_EQ(t1->transitions - t0->transitions, posture_changes);
  EXPECT_EQ(deskd_->terminate(), 0);
}

}  // namespace
}  // namespace deskd::testing
