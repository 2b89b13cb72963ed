// The comfort check-in over MQTT (issue 24 §3): with [schedule] comfort_checkin = "after_stand",
// the end of a standing period opens the question in B/state and B/event; {"comfort":N} answers
// it and shows in B/stats and B/progress; bad answers are refused and change nothing; the
// progression's decision is published with its reason.
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <thread>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::seconds;

// Local date `days_back` days before today, "YYYY-MM-DD" (deskd's clock starts at the real time).
std::string local_date_before(int days_back) {
  std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days_back) * 86400;
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

class MqttComfort : public MqttDeskTest {
 protected:
  static std::function<bool(const Json&)> question_is(bool open) {
    return [open](const Json& s) { return json_bool(s, "comfort_question") == open; };
  }
  static std::function<bool(const Json&)> posture_at_rest(const std::string& posture) {
    return [posture](const Json& s) { return at_rest(s) && json_string(s, "posture") == posture; };
  }
};

TEST_F(MqttComfort, TheEndOfAStandIsAskedAndTheAnswerShowsInStatsAndProgress) {
  auto o = desk_options();
  o.extra_args = {"--time-scale", "60"};
  // No schedule move gets in the way; a progression that started a week ago steps today.
  o.schedule_toml = all_day_schedule_toml(
                        "sit_minutes = 240\nstand_minutes = 240\n"
                        "comfort_checkin = \"after_stand\"\n") +
                    "[schedule.progression]\nenabled = true\nstart_date = \"" +
                    local_date_before(7) + "\"\n";
  o.state_dir = make_temp_dir("deskd-comfort");
  std::ofstream(o.state_dir + "/desk.toml") << "height_mm = 720.0\nclean_shutdown = true\n";
  ASSERT_TRUE(start_all(o));

  // Bad answers: refused, nothing recorded.
  auto since = mark();
  for (const char* bad :
       {R"({"comfort":2.5})", R"({"comfort":"3"})", R"({"comfort":0})", R"({"comfort":6})"}) {
    send("set", bad);
  }
  ASSERT_TRUE(wait_error("comfort: expected an integer from 1 to 5, got 0", since));
  ASSERT_TRUE(wait_error("comfort: expected an integer from 1 to 5, got 6", since));  // the last
  EXPECT_EQ(count_json(
                "event",
                [](const Json& e) {
                  return json_string(e, "type") == "error" &&
                         json_string(e, "error") == "comfort: expected an integer from 1 to 5";
                },
                since),
            2u);

  // Stand for 6 deskd minutes (6 s), sit down: the question opens.
  since = mark();
  send("set", R"({"posture":"standing"})");
  ASSERT_TRUE(wait_state(posture_at_rest("standing"), since, seconds(20))) << deskd_->log();
  std::this_thread::sleep_for(seconds(6));
  since = mark();
  send("set", R"({"posture":"sitting"})");
  ASSERT_TRUE(wait_event("comfort_question", since, seconds(20))) << deskd_->log();
  ASSERT_TRUE(wait_state(question_is(true), since)) << deskd_->log();

  // The answer closes it and is counted today.
  since = mark();
  send("set", R"({"comfort":4})");
  auto answered = wait_event("comfort", since);
  ASSERT_TRUE(answered) << deskd_->log();
  EXPECT_EQ(json_int(*answered, "comfort"), 4);
  ASSERT_TRUE(wait_state(
      [](const Json& s) {
        return json_bool(s, "comfort_question") == false && json_number(s, "comfort_today") == 4.0;
      },
      since))
      << deskd_->log();
  auto stats = wait_json(
      "stats",
      [](const Json& d) {
        const auto& days = d.at("days").as_array();
        return !days.empty() && json_int(days.back().as_object(), "comfort_answers") == 1;
      },
      since);
  ASSERT_TRUE(stats) << deskd_->log();
  EXPECT_EQ(json_number(stats->at("days").as_array().back().as_object(), "comfort"), 4.0);
  auto progress = wait_json(
      "progress",
      [](const Json& p) { return json_number(p.at("comfort").as_object(), "this_week") == 4.0; },
      since);
  ASSERT_TRUE(progress) << deskd_->log();
  EXPECT_EQ(json_int(progress->at("comfort").as_object(), "answers_this_week"), 1);
  const auto& decision = progress->at("plan").at("decision").as_object();
  EXPECT_EQ(json_string(decision, "kind"), "advance");
  EXPECT_EQ(json_string(decision, "reason"),
            "stepped up to 10 min: no comfort answers this week, the plan goes on");

  // Any time, asked or not: a second answer today makes the day's mean.
  since = mark();
  send("set/comfort", "2");
  ASSERT_TRUE(
      wait_state([](const Json& s) { return json_number(s, "comfort_today") == 3.0; }, since))
      << deskd_->log();
}

}  // namespace
}  // namespace deskd::testing
