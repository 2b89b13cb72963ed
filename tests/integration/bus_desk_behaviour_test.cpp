// The bus desks as they really behave (issue 20 §3), end to end: the real deskd binary on the
// simulated controller (its modes: B/sim/set {"bus":"reminder"|"preset_store"|"limit_set"},
// [sim] bus_whole_units, the real report rates) against a real mosquitto. The byte-level
// replays of the public captures are in tests/unit/bus/captured_traffic_test.cpp and
// tests/unit/hw/bus_capture_replay_test.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using std::chrono::seconds;

class BusDeskBehaviour : public MqttDeskTest {
 protected:
  // `bus` and `sim` are extra lines for those tables.
  ::testing::AssertionResult start_bus(const std::string& protocol, const std::string& unit,
                                       const std::string& bus = "", const std::string& sim = "") {
    DeskdOptions o = desk_options();
    o.sensor_toml = "kind = \"bus\"\n";
    o.extra_toml = "[sim]\nspeed_noise = 0\n" + sim + "[bus]\nprotocol = \"" + protocol +
                   "\"\nheight_unit = \"" + unit + "\"\n" +
                   (protocol == "loctek" ? "wake_line = 23\n" : "") + bus;
    auto started = start_all(o);
    if (!started) return started;
    if (!wait_state(known_height(), 0, seconds(5))) {
      return ::testing::AssertionFailure() << "no height: " << deskd_->log();
    }
    return ::testing::AssertionSuccess();
  }
  void sim(const std::string& payload) { send("sim/set", payload); }
  static std::function<bool(const Json&)> known_height() {
    return [](const Json& s) { return json_int(s, "height_mm").has_value(); };
  }
  std::size_t states_with_fault(std::size_t since) const {
    return count_json(
        "state", [](const Json& s) { return json_string(s, "fault") != "none"; }, since);
  }
};

// iMicknl/LoctekMotion_IoT #44 and PR #18: the reminder " 99" and the preset store "S-1" are
// normal use. They latched fault "sensor" (blocking the schedule); now they are no height.
TEST_F(BusDeskBehaviour, LoctekReminderAndPresetStoreDisplaysDoNotFault) {
  ASSERT_TRUE(start_bus("loctek", "mm", "", "start_height_mm = 720\n"));
  const auto since = mark();
  sim("{\"bus\":\"reminder\"}");
  ASSERT_TRUE(deskd_->process().wait_for_log("the display shows ' 99'", seconds(5)))
      << deskd_->log();
  sim("{\"bus\":\"preset_store\"}");
  ASSERT_TRUE(deskd_->process().wait_for_log("the display shows 'S-1'", seconds(5)))
      << deskd_->log();
  auto s = fresh_state();
  ASSERT_TRUE(s);
  EXPECT_EQ(json_string(*s, "fault"), "none") << deskd_->log();
  EXPECT_NEAR(json_int(*s, "height_mm").value_or(0), 720, 1);
  EXPECT_EQ(states_with_fault(since), 0U) << deskd_->log();
  // Once the display shows the height again the desk moves (no latched fault refuses it). A move
  // while it shows no height would stop on the stale-height rule, as it should.
  ASSERT_TRUE(deskd_->process().wait_for_log("the display shows the height again", seconds(6)))
      << deskd_->log();
  EXPECT_TRUE(move_to(800, 12)) << deskd_->log();
  EXPECT_EQ(states_with_fault(since), 0U) << deskd_->log();
}

// phord/Jarvis: after a limit is set the controller reports 9999 and 0. On an inch desk deskd
// published 25397 mm and 0 mm plus a manual_move. Never a height, a move or a statistic.
TEST_F(BusDeskBehaviour, JiecangFakeHeightsAfterALimitSetAreNeverPublished) {
  ASSERT_TRUE(start_bus("jiecang", "inch_tenths", "", "start_height_mm = 720\n"));
  // deskd reports the first height after start-up as a manual move "from unknown" (the core's
  // manual-use rule, unrelated to the bus): let it pass before watching.
  (void)wait_event("manual_move", 0, seconds(2));
  auto before = fresh_state();
  ASSERT_TRUE(before);
  const auto since = mark();
  sim("{\"bus\":\"limit_set\"}");
  ASSERT_TRUE(deskd_->process().wait_for_log("ignored: outside the desk's range", seconds(5)))
      << deskd_->log();
  // The controller shows them for 3 s: no manual move may come of them meanwhile.
  const auto manual = wait_event("manual_move", since, seconds(4));
  EXPECT_FALSE(manual) << boost::json::serialize(*manual) << deskd_->log();
  const auto outside = [](const Json& s) {
    const auto h = json_int(s, "height_mm");
    return h && (*h < 520 || *h > 1370);
  };
  EXPECT_EQ(count_json("state", outside, since), 0U) << deskd_->log();
  auto after = fresh_state();
  ASSERT_TRUE(after);
  EXPECT_EQ(json_string(*after, "fault"), "none");
  EXPECT_NEAR(json_int(*after, "height_mm").value_or(0), 720, 2);
  EXPECT_EQ(json_string(*after, "posture"), json_string(*before, "posture"));
  EXPECT_EQ(json_int(*after, "transitions_today"), json_int(*before, "transitions_today"));
}

// A Loctek display that truncates whole units (from 100 cm up) holds "100" for the whole
// centimetre above it: going down through 100 cm the tenths then seem to crawl. With
// `whole_units = "truncate"` deskd reads "100" as 100.5 cm: no false obstruction or stall, at
// the E5B's real report rate (100 ms).
TEST_F(BusDeskBehaviour, LoctekGoingDownThrough100cmOnATruncatingDisplayIsNoSlowDown) {
  ASSERT_TRUE(start_bus("loctek", "mm", "whole_units = \"truncate\"\n",
                        "start_height_mm = 1100\nbus_whole_units = \"truncate\"\n"));
  const auto since = mark();
  auto s = move_to(900, 12);
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_EQ(json_string(*s, "fault"), "none");
  EXPECT_EQ(states_with_fault(since), 0U) << deskd_->log();
}

// The same at Jiecang's real report rate (200 ms while moving): the stall rule still finds a
// stalled desk, and a desk moving freely is never taken for one.
TEST_F(BusDeskBehaviour, JiecangStallIsFoundAndAFreeMoveIsNoStallAtTheRealReportRate) {
  ASSERT_TRUE(start_bus("jiecang", "mm", "", "start_height_mm = 720\n"));
  auto since = mark();
  auto s = move_to(1000, 12);
  ASSERT_TRUE(s) << deskd_->log();
  EXPECT_EQ(states_with_fault(since), 0U) << deskd_->log();
  since = mark();
  send("set", "{\"height_mm\":800}");
  ASSERT_TRUE(wait_state([](const Json& j) { return json_string(j, "motion") == "down"; }, since,
                         seconds(5)));
  sim("{\"fault\":\"stall\"}");
  EXPECT_TRUE(wait_state(field_is("fault", "stall"), since, seconds(5))) << deskd_->log();
}

}  // namespace
}  // namespace deskd::testing
