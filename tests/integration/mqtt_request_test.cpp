// B/request/<op> -> B/response/<op> (DESIGN.md §8): transaction echo, MQTT 5 response topic and
// correlation data, schedule validation and persistence across a restart.
#include <gtest/gtest.h>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::array;
using boost::json::object;
using std::chrono::milliseconds;
using std::chrono::seconds;

object data_of(const object& response) {
  const auto* d = response.if_contains("data");
  return d && d->is_object() ? d->as_object() : object{};
}

class MqttRequest : public MqttDeskTest {};

TEST_F(MqttRequest, ScheduleGetAnswersTheDocumentAndEchoesTheTransaction) {
  ASSERT_TRUE(start_all());
  auto r = request("schedule/get");
  ASSERT_TRUE(r) << deskd_->log();
  EXPECT_EQ(json_string(*r, "status"), "ok");
  EXPECT_EQ(json_string(*r, "transaction"), "t1");
  const object d = data_of(*r);
  EXPECT_EQ(json_bool(d, "enabled"), false);
  EXPECT_EQ(json_int(d, "sit_minutes"), 30);
  EXPECT_TRUE(d.contains("windows"));
  // A numeric transaction comes back as a number; the response is not retained.
  const auto since = mark();
  send("request/schedule/get", R"({"transaction":42})");
  auto m = observer_->wait_for(
      topic("response/schedule/get"),
      [](const std::string& p) { return json_int(json_object(p), "transaction") == 42; },
      seconds(5), since);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->retained);
}

TEST_F(MqttRequest, ScheduleSetIsPersistedRepublishedAndSurvivesARestart) {
  start_broker();
  auto o = desk_options();
  o.state_dir = make_temp_dir("deskd-it-state");
  ASSERT_TRUE(start_all(o));
  const auto since = mark();
  auto r = request("schedule/set",
                   object{{"sit_minutes", 45},
                          {"enabled", true},
                          {"windows", object{{"mon", array{"08:00-12:00", "13:00-17:00"}}}},
                          {"breaks", object{{"enabled", true}}}});
  ASSERT_TRUE(r) << deskd_->log();
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  const object d = data_of(*r);
  EXPECT_EQ(json_int(d, "sit_minutes"), 45);
  EXPECT_EQ(json_int(d, "stand_minutes"), 20);  // untouched fields keep their value
  EXPECT_EQ(boost::json::serialize(d.at("windows").at("mon")), R"(["08:00-12:00","13:00-17:00"])");
  EXPECT_EQ(json_bool(d.at("breaks").as_object(), "enabled"), true);
  EXPECT_EQ(json_int(d.at("breaks").as_object(), "every_minutes"), 60);
  auto published = wait_json(
      "schedule", [](const object& s) { return json_int(s, "sit_minutes") == 45; }, since);
  ASSERT_TRUE(published) << "schedule/set was not re-published on B/schedule";

  // Restart with the same state directory: the run-time schedule is back.
  ASSERT_EQ(deskd_->terminate(), 0);
  ASSERT_TRUE(start_deskd(o));
  auto after = request("schedule/get");
  ASSERT_TRUE(after) << deskd_->log();
  EXPECT_EQ(json_int(data_of(*after), "sit_minutes"), 45);
  EXPECT_EQ(json_bool(data_of(*after), "enabled"), true);
  MqttTestClient late(broker_->port());
  ASSERT_TRUE(late.connect());
  late.subscribe(topic("schedule"));
  auto retained = late.wait_for(topic("schedule"), [](const std::string&) { return true; });
  ASSERT_TRUE(retained);
  EXPECT_TRUE(retained->retained);
  EXPECT_EQ(json_int(json_object(retained->payload), "sit_minutes"), 45);
}

TEST_F(MqttRequest, InvalidScheduleSetNamesTheFieldAndChangesNothing) {
  ASSERT_TRUE(start_all());
  auto before = request("schedule/get");
  ASSERT_TRUE(before);
  const auto start = mark();
  const std::vector<std::pair<object, std::string>> cases{
      {object{{"sit_minutes", "long"}}, "sit_minutes"},
      {object{{"sit_minutes", 1}}, "sit_minutes"},
      {object{{"bogus", 1}}, "bogus"},
      {object{{"mode", "sometimes"}}, "mode"},
      {object{{"windows", object{{"mon", array{"25:00-26:00"}}}}}, "windows"},
      {object{{"windows", object{{"someday", array{}}}}}, "windows"},
      {object{{"progression", object{{"step_minutes", "x"}}}}, "progression"},
      // A valid field does not sneak in next to an invalid one.
      {object{{"stand_minutes", 25}, {"warn_seconds", -5}}, "warn_seconds"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(boost::json::serialize(body));
    auto r = request("schedule/set", body);
    ASSERT_TRUE(r) << deskd_->log();
    EXPECT_EQ(json_string(*r, "status"), "error");
    EXPECT_EQ(json_string(*r, "error").rfind(field, 0), 0u) << json_string(*r, "error");
  }
  auto after = request("schedule/get");
  ASSERT_TRUE(after);
  EXPECT_EQ(data_of(*after), data_of(*before));
  EXPECT_EQ(count_json(
                "schedule", [](const object&) { return true; }, start),
            0u);
}

TEST_F(MqttRequest, SchedulePreviewListsTheComingChanges) {
  auto o = desk_options();
  o.schedule_toml = all_day_schedule_toml();
  ASSERT_TRUE(start_all(o));
  auto r = request("schedule/preview");
  ASSERT_TRUE(r) << deskd_->log();
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  const object d = data_of(*r);
  ASSERT_TRUE(d.contains("changes") && d.at("changes").is_array());
  const auto& changes = d.at("changes").as_array();
  ASSERT_GE(changes.size(), 2u);
  for (const auto& c : changes) {
    const auto& co = c.as_object();
    const std::string at = json_string(co, "at");
    // ISO 8601 with an offset: 2026-11-22T10:30:00+01:00 (or Z).
    ASSERT_GE(at.size(), 20u) << at;
    EXPECT_EQ(at[10], 'T') << at;
    EXPECT_TRUE(at.back() == 'Z' || at[at.size() - 6] == '+' || at[at.size() - 6] == '-') << at;
    const std::string p = json_string(co, "posture");
    EXPECT_TRUE(p == "sitting" || p == "standing") << p;
  }
  // The first change is from sitting (the desk's posture) to standing.
  EXPECT_EQ(json_string(changes[0].as_object(), "posture"), "standing");
}

TEST_F(MqttRequest, PresetsSetReplacesThePresetsAndValidatesHeights) {
  ASSERT_TRUE(start_all());
  auto since = mark();
  auto r = request("presets/set",
                   object{{"presets", object{{"focus", 1000}, {"sit", 700}, {"stand", 1120}}}});
  ASSERT_TRUE(r) << deskd_->log();
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  EXPECT_EQ(json_int(data_of(*r), "sit_height_mm"), 700);
  EXPECT_EQ(json_int(data_of(*r), "stand_height_mm"), 1120);
  auto s = wait_state(
      [](const object& s) {
        const auto* p = s.if_contains("presets");
        return p && p->is_object() && json_int(p->as_object(), "focus") == 1000;
      },
      since);
  ASSERT_TRUE(s);
  EXPECT_EQ(json_int(*s, "sit_height_mm"), 700);
  EXPECT_EQ(json_int(*s, "stand_height_mm"), 1120);

  for (const object& bad :
       {object{{"presets", object{{"high", 5000}}}}, object{{"presets", object{{"bad name", 900}}}},
        object{{"presets", object{{"sit", 1200}, {"stand", 900}}}}, object{{"presets", 3}}}) {
    SCOPED_TRACE(boost::json::serialize(bad));
    auto e = request("presets/set", bad);
    ASSERT_TRUE(e);
    EXPECT_EQ(json_string(*e, "status"), "error");
    EXPECT_FALSE(json_string(*e, "error").empty());
  }
  auto after = fresh_state();
  ASSERT_TRUE(after);
  EXPECT_EQ(boost::json::serialize(after->at("presets")), R"({"focus":1000})");
  EXPECT_EQ(json_int(*after, "sit_height_mm"), 700);
}

TEST_F(MqttRequest, StatsGetAnswersDaysAndRejectsABadCount) {
  ASSERT_TRUE(start_all());
  auto r = request("stats/get", object{{"days", 7}});
  ASSERT_TRUE(r) << deskd_->log();
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  const object d = data_of(*r);
  ASSERT_TRUE(d.contains("days") && d.at("days").is_array());
  EXPECT_LE(d.at("days").as_array().size(), 7u);
  auto bad = request("stats/get", object{{"days", 0}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(json_string(*bad, "status"), "error");
  EXPECT_NE(json_string(*bad, "error").find("days"), std::string::npos);
}

TEST_F(MqttRequest, UnknownOpAndInvalidJsonAreAnsweredWithAnError) {
  ASSERT_TRUE(start_all());
  auto r = request("frobnicate");
  ASSERT_TRUE(r);
  EXPECT_EQ(json_string(*r, "status"), "error");
  EXPECT_NE(json_string(*r, "error").find("frobnicate"), std::string::npos);
  const auto since = mark();
  send("request/schedule/get", "{oops");
  auto e = wait_json(
      "response/schedule/get", [](const object& o) { return json_string(o, "status") == "error"; },
      since, seconds(5));
  ASSERT_TRUE(e);
  EXPECT_NE(json_string(*e, "error").find("JSON"), std::string::npos);
}

TEST_F(MqttRequest, Mqtt5ResponseTopicReceivesTheAnswerWithCorrelationData) {
  ASSERT_TRUE(start_all());
  observer_->subscribe("itest/replies/#");
  const auto since = mark();
  observer_->publish_request(topic("request/schedule/get"), R"({"transaction":"v5"})",
                             "itest/replies/a", "corr-42");
  auto reply = observer_->wait_for(
      "itest/replies/a", [](const std::string&) { return true; }, seconds(5), since);
  ASSERT_TRUE(reply) << deskd_->log();
  const object o = json_object(reply->payload);
  EXPECT_EQ(json_string(o, "status"), "ok");
  EXPECT_EQ(json_string(o, "transaction"), "v5");
  EXPECT_EQ(observer_->correlations_on("itest/replies/a"), std::vector<std::string>{"corr-42"});
  // The zigbee2mqtt-style response topic is answered too.
  EXPECT_TRUE(wait_json(
      "response/schedule/get",
      [](const object& o) { return json_string(o, "transaction") == "v5"; }, since, seconds(2)));
  // Errors take the same way back.
  observer_->publish_request(topic("request/schedule/set"), R"({"sit_minutes":"x"})",
                             "itest/replies/b", "corr-43");
  auto err = observer_->wait_for(
      "itest/replies/b", [](const std::string&) { return true; }, seconds(5), since);
  ASSERT_TRUE(err);
  EXPECT_EQ(json_string(json_object(err->payload), "status"), "error");
  EXPECT_EQ(observer_->correlations_on("itest/replies/b"), std::vector<std::string>{"corr-43"});
}

}  // namespace
}  // namespace deskd::testing
