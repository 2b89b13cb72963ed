#include "mqtt/progress_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace deskd::mqtt {
namespace {

namespace json = boost::json;

core::Progress sample() {
  core::Progress p;
  p.today = {2026, 12, 2};
  p.week_start = {2026, 11, 30};
  p.this_week = {{2026, 11, 30}, {2026, 12, 2}, 3, 64800, 41000, 22800, 18, 2400, true};
  p.last_week = {{2026, 11, 23}, {2026, 11, 25}, 3, 81000, 60000, 10800, 15, 3600, true};
  p.trend = {core::Trend::kUp, core::Trend::kFlat, core::Trend::kDown};
  p.streak = {4, true, false, 9000, 3600, 15};
  p.plan = {true, 15, 20, core::ProgressionStep{{2026, 12, 7}, 20},
            "From Monday you stand 20 min each period"};
  p.summary = {"You met your standing goal 4 working days in a row.",
               "Keep going. From Monday you stand 20 min each period."};
  return p;
}

TEST(ProgressCodec, CarriesBothWeeksTrendsStreakAndPlan) {
  const json::object o = progress_to_json(sample());
  EXPECT_EQ(o.at("date").as_string(), "2026-12-02");
  EXPECT_EQ(o.at("week_start").as_string(), "2026-11-30");
  const json::object& tw = o.at("this_week").as_object();
  EXPECT_EQ(tw.at("from").as_string(), "2026-11-30");
  EXPECT_EQ(tw.at("to").as_string(), "2026-12-02");
  EXPECT_EQ(tw.at("working_s").as_int64(), 64800);
  EXPECT_EQ(tw.at("stand_s").as_int64(), 22800);
  EXPECT_DOUBLE_EQ(tw.at("stand_share").as_double(), 0.357);  // 22800 / 63800 to 3 decimals
  EXPECT_EQ(tw.at("changes").as_int64(), 18);
  EXPECT_DOUBLE_EQ(tw.at("changes_per_hour").as_double(), 1.0);
  EXPECT_EQ(tw.at("longest_sit_s").as_int64(), 2400);
  EXPECT_EQ(o.at("last_week").at("from").as_string(), "2026-11-23");
  EXPECT_DOUBLE_EQ(o.at("last_week").at("stand_share").as_double(), 0.153);  // 10800 / 70800
  EXPECT_EQ(o.at("trend"), json::parse(R"({"stand_share":"up","changes":"flat",
                                           "longest_sit":"down"})"));
  EXPECT_EQ(o.at("streak"), json::parse(R"({"days":4,"today_working":true,"today_met":false,
                            "today_goal_s":9000,"today_stand_s":3600,"today_minutes":15})"));
  EXPECT_EQ(o.at("plan"), json::parse(R"({"progression":true,"minutes":15,"target_minutes":20,
      "next":{"date":"2026-12-07","minutes":20},
      "text":"From Monday you stand 20 min each period","decision":null})"));
  EXPECT_EQ(o.at("summary"), json::parse(R"({"went_well":
      "You met your standing goal 4 working days in a row.",
      "suggestion":"Keep going. From Monday you stand 20 min each period."})"));
}

TEST(ProgressCodec, CarriesComfortAndTheProgressionsDecisionWithItsReason) {
  core::Progress p = sample();
  p.plan.decision =
      core::ProgressionDecision{core::ProgressionDecisionKind::kHold,
                                {2026, 11, 30},
                                15,
                                "holding at 15 min: comfort fell from 4 to 3 this week"};
  p.comfort = {3.0, 4.04, core::Trend::kDown, 5};
  const json::object o = progress_to_json(p);
  EXPECT_EQ(o.at("plan").at("decision"),
            json::parse(R"({"kind":"hold","date":"2026-11-30","minutes":15,
                "reason":"holding at 15 min: comfort fell from 4 to 3 this week"})"));
  EXPECT_EQ(o.at("comfort"), json::parse(R"({"this_week":3.0,"last_week":4.0,"trend":"down",
                                             "answers_this_week":5})"));
}

TEST(ProgressCodec, WithoutAnswersComfortAndTheDecisionAreNull) {
  const json::object o = progress_to_json(sample());
  EXPECT_TRUE(o.at("plan").at("decision").is_null());
  EXPECT_EQ(o.at("comfort"), json::parse(R"({"this_week":null,"last_week":null,"trend":null,
                                             "answers_this_week":0})"));
}

TEST(ProgressCodec, MissingFiguresAndTrendsAreNull) {
  core::Progress p = sample();
  p.last_week = {{2026, 11, 23}, {2026, 11, 25}, 3, 81000, 0, 0, 0, 0, false};
  p.trend = {};
  p.plan.next.reset();
  const json::object o = progress_to_json(p);
  EXPECT_TRUE(o.at("last_week").at("stand_share").is_null());
  EXPECT_TRUE(o.at("last_week").at("changes_per_hour").is_null());
  EXPECT_FALSE(o.at("last_week").at("has_data").as_bool());
  EXPECT_TRUE(o.at("trend").at("stand_share").is_null());
  EXPECT_TRUE(o.at("trend").at("changes").is_null());
  EXPECT_TRUE(o.at("trend").at("longest_sit").is_null());
  EXPECT_TRUE(o.at("plan").at("next").is_null());
  EXPECT_EQ(json::parse(encode_progress(p)), json::value(o));
}

}  // namespace
}  // namespace deskd::mqtt
