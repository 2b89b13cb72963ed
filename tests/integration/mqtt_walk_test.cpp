// "Did you walk?" over MQTT (issue 24 §4): with [schedule.breaks] ask_walked, the end of a
// movement break opens the question in B/state and B/event; {"action":"walked"} answers it and
// is counted in the statistics; an answer without a question is refused.
#include <gtest/gtest.h>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::seconds;

class MqttWalk : public MqttDeskTest {
 protected:
  static std::function<bool(const Json&)> walk_question_is(bool open) {
    return [open](const Json& s) {
      const auto* v = s.if_contains("walk_question");
      return v && v->is_bool() && v->as_bool() == open;
    };
  }
};

TEST_F(MqttWalk, TheEndOfABreakAsksAndTheAnswerIsCounted) {
  auto o = desk_options();
  // At x60 a break every 10 deskd minutes lasting 1 minute: it ends 11 s after the start.
  o.extra_args = {"--time-scale", "60"};
  o.schedule_toml = all_day_schedule_toml("sit_minutes = 240\nstand_minutes = 240\n") +
                    "[schedule.breaks]\nenabled = true\nevery_minutes = 10\n"
                    "duration_minutes = 1\nask_walked = true\n";
  ASSERT_TRUE(start_all(o));
  auto since = mark();
  send("set", R"({"action":"walked"})");
  auto refused = wait_error("nothing to answer", since);
  ASSERT_TRUE(refused) << deskd_->log();

  auto question = wait_event("walk_question", since, seconds(20));
  ASSERT_TRUE(question) << deskd_->log();
  ASSERT_TRUE(wait_state(walk_question_is(true), since)) << deskd_->log();
  since = mark();
  send("set", R"({"action":"walked"})");
  auto walked = wait_event("walked", since, seconds(5));
  ASSERT_TRUE(walked) << deskd_->log();
  EXPECT_EQ(json_string(*walked, "detail"), "yes");
  ASSERT_TRUE(wait_state(walk_question_is(false), since)) << deskd_->log();
  auto r = request("stats/get", object{{"days", 1}});
  ASSERT_TRUE(r) << deskd_->log();
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  const auto days = r->at("data").at("days").as_array();
  ASSERT_FALSE(days.empty());
  EXPECT_EQ(days.back().at("walked_yes").as_int64(), 1);
  EXPECT_EQ(days.back().at("walked_no").as_int64(), 0);
}

}  // namespace
}  // namespace deskd::testing
