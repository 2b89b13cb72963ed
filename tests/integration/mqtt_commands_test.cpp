// Every B/set command (DESIGN.md §8), JSON and plain-value forms, carried out by the real deskd
// on the simulated desk and observed through the retained state and the events.
#include <gtest/gtest.h>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::seconds;

class MqttCommands : public MqttDeskTest {};

TEST_F(MqttCommands, HeightMmMovesTheDeskAndReportsTheMove) {
  ASSERT_TRUE(start_all());
  // 910 mm is mid-way between the sitting (<= 815) and standing (>= 1005) bands, so the settled
  // height is "between" wherever within the tolerance the desk comes to rest.
  const auto since = mark();
  send("set", R"({"height_mm":910})");
  auto moving = wait_state(field_is("motion", "up"), since);
  ASSERT_TRUE(moving) << deskd_->log();
  EXPECT_EQ(json_int(*moving, "target_mm"), 910);
  auto started = wait_event("move_started", since);
  ASSERT_TRUE(started);
  EXPECT_EQ(json_int(*started, "target_mm"), 910);
  EXPECT_EQ(json_string(*started, "source"), "mqtt");
  auto done = wait_state(stopped_near(910), since, seconds(15));
  ASSERT_TRUE(done) << deskd_->log();
  EXPECT_EQ(json_string(*done, "posture"), "between");
  EXPECT_NEAR(static_cast<double>(*json_int(*done, "position")), (910 - 620) * 100.0 / 650, 2);
  auto finished = wait_event("move_finished", since);
  ASSERT_TRUE(finished);
  EXPECT_NEAR(static_cast<double>(*json_int(*finished, "height_mm")), 910, 12);
  // While moving, state is published at most 10 times a second.
  EXPECT_LE(count_json("state", field_is("motion", "up"), since), 40u);
}

TEST_F(MqttCommands, PositionMovesToTheMatchingHeight) {
  ASSERT_TRUE(start_all());
  const auto since = mark();
  send("set", R"({"position":50})");
  auto done = wait_state(stopped_near(945), since, seconds(15));  // 620 + 50 % of 650
  ASSERT_TRUE(done) << deskd_->log();
  EXPECT_NEAR(static_cast<double>(*json_int(*done, "position")), 50, 2);
}

TEST_F(MqttCommands, PostureUsesTheConfiguredSitAndStandHeights) {
  ASSERT_TRUE(start_all());
  auto since = mark();
  send("set", R"({"posture":"standing"})");
  auto up = wait_state(stopped_near(1100), since, seconds(15));
  ASSERT_TRUE(up) << deskd_->log();
  EXPECT_EQ(json_string(*up, "posture"), "standing");
  since = mark();
  send("set", R"({"posture":"sitting"})");
  auto down = wait_state(stopped_near(720), since, seconds(15));
  ASSERT_TRUE(down) << deskd_->log();
  EXPECT_EQ(json_string(*down, "posture"), "sitting");
}

TEST_F(MqttCommands, PresetsSitStandAndNamedMoveToTheirHeights) {
  ASSERT_TRUE(start_all());
  auto r = request("presets/set", object{{"presets", object{{"focus", 900}, {"stand", 1150}}}});
  ASSERT_TRUE(r);
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  auto since = mark();
  send("set", R"({"preset":"focus"})");
  ASSERT_TRUE(wait_state(stopped_near(900), since, seconds(15))) << deskd_->log();
  since = mark();
  send("set", R"({"preset":"stand"})");
  ASSERT_TRUE(wait_state(stopped_near(1150), since, seconds(15))) << deskd_->log();
  since = mark();
  send("set", R"({"preset":"sit"})");
  ASSERT_TRUE(wait_state(stopped_near(720), since, seconds(15))) << deskd_->log();
}

TEST_F(MqttCommands, ActionStopHaltsAMoveMidway) {
  ASSERT_TRUE(start_all());
  auto since = mark();
  send("set", R"({"height_mm":1270})");
  ASSERT_TRUE(wait_state(
      [](const object& s) {
        return json_string(s, "motion") == "up" && json_int(s, "height_mm").value_or(0) > 700;
      },
      since));
  since = mark();
  send("set", R"({"action":"stop"})");
  auto stopped = wait_event("stopped", since, seconds(3));
  ASSERT_TRUE(stopped) << deskd_->log();
  auto s = wait_state(
      [](const object& s) {
        return json_string(s, "motion") == "stopped" && json_is_null(s, "target_mm");
      },
      since, seconds(3));
  ASSERT_TRUE(s);
  // The stop's `stopped` comes after the coast has settled: it stays there, short of the target.
  auto settled = fresh_state();
  ASSERT_TRUE(settled);
  EXPECT_EQ(json_string(*settled, "motion"), "stopped");
  EXPECT_EQ(json_int(*settled, "height_mm"), json_int(*s, "height_mm"));
  EXPECT_LT(*json_int(*settled, "height_mm"), 1200);
  EXPECT_GT(*json_int(*settled, "height_mm"), 700);
}

TEST_F(MqttCommands, CalibrateDrivesToTheBottomEndStop) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(move_to(800)) << deskd_->log();
  const auto since = mark();
  send("set", R"({"action":"calibrate"})");
  auto cal = wait_event("calibrated", since, seconds(15));
  ASSERT_TRUE(cal) << deskd_->log();
  auto s = wait_state(stopped_near(620, 3), since, seconds(5));
  ASSERT_TRUE(s);
  EXPECT_EQ(json_bool(*s, "calibrated"), true);
}

TEST_F(MqttCommands, StallLatchesAFaultThatRefusesMotionUntilCleared) {
  ASSERT_TRUE(start_all());
  auto since = mark();
  send("set", R"({"height_mm":1200})");
  ASSERT_TRUE(wait_state(field_is("motion", "up"), since));
  send("sim/set", R"({"fault":"stall"})");
  auto fault = wait_event("fault", since, seconds(5));
  ASSERT_TRUE(fault) << deskd_->log();
  EXPECT_EQ(json_string(*fault, "fault"), "stall");
  auto s = wait_state(
      [](const object& s) {
        return json_string(s, "fault") == "stall" && json_string(s, "motion") == "stopped";
      },
      since);
  ASSERT_TRUE(s);
  EXPECT_FALSE(json_string(*s, "fault_detail").empty());

  since = mark();
  send("set", R"({"height_mm":900})");
  auto refused = wait_error("fault latched", since);
  ASSERT_TRUE(refused);
  EXPECT_EQ(json_string(*refused, "command"), R"({"height_mm":900})");

  since = mark();
  send("sim/set", R"({"clear":true})");
  send("set", R"({"action":"clear_fault"})");
  auto cleared = wait_state(field_is("fault", "none"), since);
  ASSERT_TRUE(cleared) << deskd_->log();
  // After a stall the position is not trusted: calibrate, then the desk moves again.
  EXPECT_EQ(json_bool(*cleared, "calibrated"), false);
  since = mark();
  send("set", R"({"action":"calibrate"})");
  ASSERT_TRUE(wait_event("calibrated", since, seconds(15))) << deskd_->log();
  ASSERT_TRUE(move_to(800)) << deskd_->log();
}

TEST_F(MqttCommands, ClearFaultWithoutAFaultIsAnError) {
  ASSERT_TRUE(start_all());
  const auto since = mark();
  send("set", R"({"action":"clear_fault"})");
  EXPECT_TRUE(wait_error("no fault is latched", since));
}

TEST_F(MqttCommands, NudgeMovesUpAndBack) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(move_to(800)) << deskd_->log();
  const auto before = fresh_state();
  ASSERT_TRUE(before);
  const auto since = mark();
  send("set", R"({"action":"nudge"})");
  ASSERT_TRUE(wait_state(field_is("motion", "up"), since)) << deskd_->log();
  ASSERT_TRUE(wait_state(field_is("motion", "down"), since)) << deskd_->log();
  auto back = wait_state(stopped_near(static_cast<int>(*json_int(*before, "height_mm")), 6), since,
                         seconds(10));
  ASSERT_TRUE(back) << deskd_->log();
}

TEST_F(MqttCommands, ScheduleActionsThatDoNotApplyAreErrorsNamingWhy) {
  ASSERT_TRUE(start_all());  // schedule disabled
  const std::vector<std::pair<std::string, std::string>> cases{
      {"confirm", "nothing to confirm"}, {"snooze", "nothing to snooze"},
      {"skip", "nothing to skip"},       {"pause_today", "schedule is disabled"},
      {"resume", "not paused"},
  };
  for (const auto& [action, why] : cases) {
    SCOPED_TRACE(action);
    const auto since = mark();
    send("set", R"({"action":")" + action + R"("})");
    auto e = wait_error(why, since);
    ASSERT_TRUE(e) << deskd_->log();
    EXPECT_EQ(json_string(*e, "command"), R"({"action":")" + action + R"("})");
  }
}

TEST_F(MqttCommands, PauseTodayAndResumeChangeThePhase) {
  auto o = desk_options();
  o.schedule_toml = all_day_schedule_toml();
  ASSERT_TRUE(start_all(o));
  ASSERT_TRUE(wait_state(field_is("phase", "counting"))) << deskd_->log();
  auto since = mark();
  send("set", R"({"action":"pause_today"})");
  auto paused = wait_state(field_is("phase", "paused"), since);
  ASSERT_TRUE(paused) << deskd_->log();
  EXPECT_NE(json_string(*paused, "phase_reason").find("paused"), std::string::npos);
  since = mark();
  send("set", R"({"action":"pause_today"})");
  EXPECT_TRUE(wait_error("already paused", since));
  since = mark();
  send("set", R"({"action":"resume"})");
  ASSERT_TRUE(wait_state(field_is("phase", "counting"), since)) << deskd_->log();
}

TEST_F(MqttCommands, SnoozeAndSkipPostponeTheNextChange) {
  auto o = desk_options();
  o.schedule_toml = all_day_schedule_toml("sit_minutes = 30\nsnooze_minutes = 10\n");
  ASSERT_TRUE(start_all(o));
  auto s = wait_state([](const object& s) {
    return json_string(s, "phase") == "counting" && !json_string(s, "next_change").empty();
  });
  ASSERT_TRUE(s) << deskd_->log();
  const std::string first = json_string(*s, "next_change");

  auto since = mark();
  send("set", R"({"action":"snooze"})");
  auto snoozed = wait_event("snoozed", since);
  ASSERT_TRUE(snoozed) << deskd_->log();
  EXPECT_FALSE(json_string(*snoozed, "until").empty());
  auto later = wait_state(
      [&](const object& s) {
        const auto n = json_string(s, "next_change");
        return !n.empty() && n > first;  // same offset: ISO strings order by time
      },
      since);
  ASSERT_TRUE(later) << "snooze did not postpone " << first;

  const std::string second = json_string(*later, "next_change");
  since = mark();
  send("set", R"({"action":"skip"})");
  ASSERT_TRUE(wait_state(
      [&](const object& s) {
        const auto n = json_string(s, "next_change");
        return !n.empty() && n > second;
      },
      since))
      << "skip did not postpone " << second;
}

TEST_F(MqttCommands, ConfirmStartsThePromptedMove) {
  DeskdOptions o;  // the default simulated desk: at x60 it already moves 2.3 m/s
  // Confirm mode; one deskd minute is one real second, so the prompt comes after 5 s.
  o.schedule_toml =
      all_day_schedule_toml("mode = \"confirm\"\nsit_minutes = 5\nwarn_seconds = 30\n");
  o.extra_args = {"--time-scale", "60"};
  ASSERT_TRUE(start_all(o));
  const auto since = mark();
  auto prompt = wait_json(
      "event",
      [](const object& e) {
        return json_string(e, "type") == "prompt" || json_string(e, "type") == "warning";
      },
      since, seconds(12));
  ASSERT_TRUE(prompt) << deskd_->log();
  ASSERT_TRUE(wait_state(
      [](const object& s) {
        return json_string(s, "phase") == "awaiting_confirm" ||
               json_string(s, "phase") == "warning";
      },
      since));
  send("set", R"({"action":"confirm"})");
  auto started = wait_event("move_started", since, seconds(15));
  ASSERT_TRUE(started) << deskd_->log();
  EXPECT_EQ(json_string(*started, "source"), "schedule");
  EXPECT_TRUE(wait_state(
      [](const object& s) {
        return json_string(s, "posture") == "standing" && json_string(s, "motion") == "stopped";
      },
      since, seconds(10)))
      << deskd_->log();
}

TEST_F(MqttCommands, ScheduleEnabledFromJsonAndPlainOnOff) {
  ASSERT_TRUE(start_all());
  auto since = mark();
  send("set", R"({"schedule_enabled":true})");
  auto on =
      wait_state([](const object& s) { return json_bool(s, "schedule_enabled") == true; }, since);
  ASSERT_TRUE(on) << deskd_->log();
  EXPECT_NE(json_string(*on, "phase"), "disabled");
  EXPECT_TRUE(wait_json(
      "schedule", [](const object& s) { return json_bool(s, "enabled") == true; }, since));

  since = mark();
  send("set/schedule_enabled", "OFF");
  auto off =
      wait_state([](const object& s) { return json_bool(s, "schedule_enabled") == false; }, since);
  ASSERT_TRUE(off);
  EXPECT_EQ(json_string(*off, "phase"), "disabled");
  EXPECT_TRUE(wait_json(
      "schedule", [](const object& s) { return json_bool(s, "enabled") == false; }, since));

  since = mark();
  send("set/schedule_enabled", "ON");
  ASSERT_TRUE(
      wait_state([](const object& s) { return json_bool(s, "schedule_enabled") == true; }, since));
  since = mark();
  send("set/schedule_enabled", "false");
  ASSERT_TRUE(
      wait_state([](const object& s) { return json_bool(s, "schedule_enabled") == false; }, since));
}

TEST_F(MqttCommands, PlainValueTopicsCarryOneKey) {
  ASSERT_TRUE(start_all());
  auto since = mark();
  send("set/height_mm", "900");
  ASSERT_TRUE(wait_state(stopped_near(900), since, seconds(15))) << deskd_->log();
  since = mark();
  send("set/position", "0");
  ASSERT_TRUE(wait_state(stopped_near(620), since, seconds(15))) << deskd_->log();
  since = mark();
  send("set/posture", "standing");
  ASSERT_TRUE(wait_state(field_is("motion", "up"), since)) << deskd_->log();
  since = mark();
  send("set/action", "stop");
  ASSERT_TRUE(wait_event("stopped", since, seconds(3))) << deskd_->log();
  since = mark();
  send("set/preset", "sit");
  ASSERT_TRUE(wait_state(stopped_near(720), since, seconds(15))) << deskd_->log();
}

}  // namespace
}  // namespace deskd::testing
