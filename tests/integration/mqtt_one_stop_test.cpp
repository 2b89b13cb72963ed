// Issue 20 §2, "stopped means the desk has stopped" (DESIGN.md §8, B/state `motion`), on the real
// deskd and mosquitto: one move publishes one `stopped`, only when the desk has settled after its
// coast and any correcting step; until then B/state keeps the move's `target_mm` and a moving
// `motion`; the `stopped` state carries the settled height and `move_finished` the same one. And
// under the demo's --time-scale 60 the coast after an automatic move is no `manual_move`.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::milliseconds;
using std::chrono::seconds;

// The default simulated desk (38 mm/s, a 3-8 mm coast, +-10 % speed), close to the target so a
// move is short; a fresh state directory, so nothing is learned yet.
constexpr const char* kDefaultSim = "[sim]\nstart_height_mm = 950\n";

class OneStop : public MqttDeskTest {
 protected:
  // Every B/state published after `since`, in order.
  std::vector<object> states_since(std::size_t since) const {
    std::vector<object> out;
    const auto all = observer_->messages();
    for (std::size_t i = since; i < all.size(); ++i) {
      if (all[i].topic == topic("state")) out.push_back(json_object(all[i].payload));
    }
    return out;
  }

  // Moves to `target`, waits for move_finished and a stopped state, then for a while in which the
  // state must not move again (a late correcting step would); returns the move's states.
  std::vector<object> one_move(int target, object& finished) {
    const auto since = mark();
    send("set", "{\"height_mm\":" + std::to_string(target) + "}");
    auto f = wait_event("move_finished", since, seconds(20));
    EXPECT_TRUE(f) << deskd_->log();
    if (f) finished = *f;
    EXPECT_TRUE(wait_state(field_is("motion", "stopped"), since, seconds(5))) << deskd_->log();
    const auto quiet = mark();
    const bool moved_again =
        wait_state([](const object& s) { return json_string(s, "motion") != "stopped"; }, quiet,
                   seconds(2))
            .has_value();
    EXPECT_FALSE(moved_again) << "B/state moved again after the move finished\n" << deskd_->log();
    return states_since(since);
  }

  // Calibrates (the desk drives to its bottom end stop) and waits until it rests there.
  void calibrate() {
    const auto since = mark();
    send("set", R"({"action":"calibrate"})");
    ASSERT_TRUE(wait_event("calibrated", since, seconds(20))) << deskd_->log();
    const auto at_rest = [](const object& s) {
      return json_string(s, "motion") == "stopped" && json_bool(s, "calibrated") == true;
    };
    ASSERT_TRUE(wait_state(at_rest, since, seconds(5))) << deskd_->log();
  }

  // The checks of the contract on one move's states.
  static void expect_one_stop(const std::vector<object>& states, int target,
                              const object& finished) {
    std::size_t first_moving = states.size();
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (json_string(states[i], "motion") != "stopped") {
        first_moving = i;
        break;
      }
    }
    ASSERT_LT(first_moving, states.size()) << "no moving state";
    int stops = 0;
    std::optional<object> first_stop;
    std::string trace;
    for (std::size_t i = first_moving; i < states.size(); ++i) {
      const auto& s = states[i];
      const auto h = json_int(s, "height_mm");
      const auto t = json_int(s, "target_mm");
      trace += json_string(s, "motion") + "@" + (h ? std::to_string(*h) : "null") + "->" +
               (t ? std::to_string(*t) : "null") + " ";
      const bool stopped = json_string(s, "motion") == "stopped";
      if (stopped && (i == first_moving || json_string(states[i - 1], "motion") != "stopped")) {
        ++stops;
        if (!first_stop) first_stop = s;
      }
      if (!first_stop) {
        EXPECT_EQ(t, std::optional<std::int64_t>(target)) << "target dropped before the stop";
      }
    }
    EXPECT_EQ(stops, 1) << trace;
    ASSERT_TRUE(first_stop) << trace;
    EXPECT_EQ(json_int(*first_stop, "height_mm"), json_int(finished, "height_mm"))
        << "the stopped state and move_finished disagree: " << trace;
    EXPECT_EQ(json_int(*first_stop, "target_mm"), std::nullopt) << trace;
  }
};

TEST_F(OneStop, OneMoveOnTheSimulatedDeskPublishesOneStoppedWithTheSettledHeight) {
  DeskdOptions o = desk_options();
  o.extra_toml = kDefaultSim;
  ASSERT_TRUE(start_all(o));
  calibrate();  // a fresh encoder desk's position is unknown
  object finished;
  const auto states = one_move(1003, finished);
  expect_one_stop(states, 1003, finished);
  // The desk really is at rest there: a fresh state reads the same height.
  const auto now = fresh_state();
  ASSERT_TRUE(now);
  EXPECT_EQ(json_int(*now, "height_mm"), json_int(finished, "height_mm")) << deskd_->log();
}

TEST_F(OneStop, OneMoveOnTheSimulatedJiecangBusDeskPublishesOneStoppedWithTheSettledHeight) {
  DeskdOptions o = desk_options();
  o.sensor_toml = "kind = \"bus\"\n";
  o.extra_toml =
      "[sim]\nstart_height_mm = 950\n"
      "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\n";
  ASSERT_TRUE(start_all(o));
  ASSERT_TRUE(wait_state([](const object& s) { return json_int(s, "height_mm").has_value(); }))
      << deskd_->log();
  object finished;
  const auto states = one_move(1000, finished);
  expect_one_stop(states, 1000, finished);
  const auto now = fresh_state();
  ASSERT_TRUE(now);
  EXPECT_EQ(json_int(*now, "height_mm"), json_int(finished, "height_mm")) << deskd_->log();
}

// The demo (config/demo.toml, scripts/demo.sh): the default simulated desk, the schedule in auto
// mode, --time-scale 60. Every automatic move's coast belongs to that move.
TEST_F(OneStop, UnderTheDemoTimeScaleTheCoastAfterAnAutomaticMoveIsNoManualMove) {
  DeskdOptions o = desk_options();
  o.extra_toml = "[sim]\nstart_height_mm = 720\n";
  o.schedule_toml = all_day_schedule_toml(
      "mode = \"auto\"\nsit_minutes = 5\nstand_minutes = 5\n"
      "warn_seconds = 10\n");  // the shortest periods the config allows
  o.extra_args = {"--time-scale", "60"};
  ASSERT_TRUE(start_all(o));
  calibrate();  // no automatic move before (invariant 5)
  const auto since = mark();
  auto is_auto_finish = [](const object& e) {
    return json_string(e, "type") == "move_finished" && json_string(e, "source") == "schedule";
  };
  // Two automatic moves (to standing and back), each followed by its settle.
  ASSERT_TRUE(wait_json("event", is_auto_finish, since, seconds(20))) << deskd_->log();
  const auto second = mark();
  ASSERT_TRUE(wait_json("event", is_auto_finish, second, seconds(20))) << deskd_->log();
  // Long enough in deskd time for any manual move to be reported (it ends 0.8 s after the last
  // change): 2 real seconds are 2 deskd minutes.
  const auto manual = wait_event("manual_move", since, seconds(2));
  EXPECT_FALSE(manual) << (manual ? boost::json::serialize(*manual) : "") << "\n" << deskd_->log();
  EXPECT_EQ(
      count_json(
          "event", [](const object& e) { return json_string(e, "type") == "manual_move"; }, since),
      0U);
}

}  // namespace
}  // namespace deskd::testing
