#include "mqtt/request_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "mqtt/event_codec.h"
#include "mqtt/event_log.h"
#include "mqtt/stats_codec.h"

namespace deskd::mqtt {
namespace {

namespace json = boost::json;

Request request(std::string_view payload) {
  auto r = parse_request(payload);
  if (const auto* e = std::get_if<std::string>(&r)) ADD_FAILURE() << "unexpected error: " << *e;
  return std::get<Request>(r);
}

TEST(RequestCodec, TransactionIsSplitOffAndEchoedAsGiven) {
  const Request s = request(R"({"days":7,"transaction":"t1"})");
  EXPECT_EQ(s.body, json::parse(R"({"days":7})").as_object());
  const auto ok = json::parse(encode_response_ok(json::object{{"x", 1}}, s.transaction));
  EXPECT_EQ(ok, json::parse(R"({"status":"ok","data":{"x":1},"transaction":"t1"})"));

  const Request n = request(R"({"transaction":42})");
  const auto err = json::parse(encode_response_error("days: must be 1..400", n.transaction));
  EXPECT_EQ(err,
            json::parse(R"({"status":"error","error":"days: must be 1..400","transaction":42})"));
}

TEST(RequestCodec, ResponseWithoutTransactionOmitsIt) {
  const Request r = request("");
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.transaction);
  EXPECT_EQ(json::parse(encode_response_error("nope", r.transaction)),
            json::parse(R"({"status":"error","error":"nope"})"));
}

TEST(RequestCodec, MalformedRequestsNameTheProblem) {
  EXPECT_EQ(std::get<std::string>(parse_request("{")), "invalid JSON");
  EXPECT_EQ(std::get<std::string>(parse_request("3")), "expected a JSON object");
  EXPECT_EQ(std::get<std::string>(parse_request(R"({"transaction":[1]})")),
            "transaction: expected a string or a number");
}

TEST(RequestCodec, PresetsRequestChecksNamesAndLimits) {
  auto ok = parse_presets_request(
      json::parse(R"({"presets":{"focus":1000,"sit":700}})").as_object(), 620, 1270);
  using Presets = std::map<std::string, int>;
  ASSERT_TRUE(std::holds_alternative<Presets>(ok));
  EXPECT_EQ(std::get<Presets>(ok), (Presets{{"focus", 1000}, {"sit", 700}}));
  auto err = [](const char* body) {
    auto r = parse_presets_request(json::parse(body).as_object(), 620, 1270);
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string("ok");
  };
  EXPECT_EQ(err(R"({"presets":{"focus":2000}})"), "presets.focus: 2000 is outside 620..1270");
  EXPECT_EQ(err(R"({"presets":{"focus":"high"}})"), "presets.focus: expected an integer");
  EXPECT_EQ(err(R"({"presets":{"my desk":900}})"), "presets.my desk: name must be [a-zA-Z0-9_-]+");
  EXPECT_EQ(err(R"({"presets":[]})"), "presets: expected an object of name: height_mm");
  EXPECT_EQ(err(R"({})"), "presets: missing");
  EXPECT_EQ(err(R"({"presets":{},"extra":1})"), "extra: unknown field");
}

TEST(RequestCodec, PresetsSetTakesSitAndStandAsThePostureHeightsAndKeepsThemApart) {
  core::DeskSettings current;
  current.presets = {{"old", 900}};
  current.sit_height_mm = 720;
  current.stand_height_mm = 1100;
  auto next = apply_presets_request(
      json::parse(R"({"presets":{"focus":1000,"sit":700}})").as_object(), current, 620, 1270);
  ASSERT_TRUE(std::holds_alternative<core::DeskSettings>(next));
  const auto& s = std::get<core::DeskSettings>(next);
  EXPECT_EQ(s.presets, (std::map<std::string, int>{{"focus", 1000}}));
  EXPECT_EQ(s.sit_height_mm, 700);
  EXPECT_EQ(s.stand_height_mm, 1100);
  EXPECT_EQ(
      json::value(presets_to_json(s)),
      json::parse(R"({"presets":{"focus":1000},"sit_height_mm":700,"stand_height_mm":1100})"));
  auto crossed = apply_presets_request(json::parse(R"({"presets":{"sit":1150}})").as_object(),
                                       current, 620, 1270);
  EXPECT_EQ(std::get<std::string>(crossed), "presets: sit (1150 mm) must be below stand (1100 mm)");
}

TEST(RequestCodec, StatsRequestDaysDefaultsAndIsBounded) {
  EXPECT_EQ(std::get<int>(parse_count_request({}, "days", 30, 400)), 30);
  EXPECT_EQ(
      std::get<int>(parse_count_request(json::parse(R"({"days":7})").as_object(), "days", 30, 400)),
      7);
  EXPECT_EQ(std::get<std::string>(
                parse_count_request(json::parse(R"({"days":0})").as_object(), "days", 30, 400)),
            "days: must be 1..400");
  EXPECT_EQ(std::get<std::string>(
                parse_count_request(json::parse(R"({"weeks":1})").as_object(), "days", 30, 400)),
            "weeks: unknown field");
}

TEST(RequestCodec, EventsRequestLimitDefaultsAndIsBounded) {
  const auto body = [](const char* text) { return json::parse(text).as_object(); };
  EXPECT_EQ(std::get<int>(parse_count_request({}, "limit", 200, 200)), 200);
  EXPECT_EQ(std::get<int>(parse_count_request(body(R"({"limit":5})"), "limit", 200, 200)), 5);
  EXPECT_EQ(std::get<std::string>(parse_count_request(body(R"({"limit":201})"), "limit", 200, 200)),
            "limit: must be 1..200");
  EXPECT_EQ(std::get<std::string>(parse_count_request(body(R"({"limit":2.5})"), "limit", 200, 200))
                .rfind("limit: ", 0),
            0u);
  EXPECT_EQ(request_op_from_string("events/get"), RequestOp::kEventsGet);
}

TEST(EventLog, KeepsTheNewestOldestFirst) {
  EventLog log;
  for (int i = 0; i < static_cast<int>(EventLog::kCapacity) + 5; ++i) {
    log.add(json::object{{"type", "moved"}, {"n", i}});
  }
  EXPECT_EQ(log.size(), EventLog::kCapacity);
  const auto last3 = log.last(3);
  ASSERT_EQ(last3.size(), 3u);
  EXPECT_EQ(last3[0].as_object().at("n").as_int64(), 202);
  EXPECT_EQ(last3[2].as_object().at("n").as_int64(), 204);
  EXPECT_EQ(log.last(1000).size(), EventLog::kCapacity);
  EXPECT_EQ(log.last(1000)[0].as_object().at("n").as_int64(), 5) << "the oldest 5 went";
}

TEST(StatsCodec, EncodesDaysOldestFirstWithAgreedFields) {
  std::vector<core::DayStats> days(2);
  days[0].date = {2026, 11, 21};
  days[1] = {{2026, 11, 22}, 1800, 1200, 3, 2, 0, 1, 1800, 2, 1, 3, 1, 7, 2};
  const auto doc = json::parse(encode_stats(days));
  EXPECT_EQ(doc.at("days").as_array().size(), 2u);
  EXPECT_EQ(doc.at("days").at(0).at("date").as_string(), "2026-11-21");
  EXPECT_EQ(doc.at("days").at(1),
            json::parse(R"({"date":"2026-11-22","sit_s":1800,"stand_s":1200,"transitions":3,
                            "auto_moves":2,"declined":0,"snoozed":1,"longest_sit_s":1800,
                            "deferred_busy":2,"auto_moves_at_pause":1,"walked_yes":3,
                            "walked_no":1,"comfort":3.5,"comfort_answers":2})"));
  EXPECT_TRUE(doc.at("days").at(0).at("comfort").is_null());  // no answer that day
  EXPECT_EQ(doc.at("days").at(0).at("comfort_answers").as_int64(), 0);
}

TEST(EventCodec, EventCarriesTypeAndFields) {
  const auto e = json::parse(encode_event("warning", {{"posture", "standing"}, {"in_s", 30}}));
  EXPECT_EQ(e, json::parse(R"({"type":"warning","posture":"standing","in_s":30})"));
  EXPECT_EQ(json::parse(encode_event("declined")), json::parse(R"({"type":"declined"})"));
  EXPECT_EQ(json::parse(encode_event("fault", {{"type", "bogus"}})).at("type").as_string(),
            "fault");
}

TEST(EventCodec, ErrorEventNamesTheCommandWhenGiven) {
  EXPECT_EQ(json::parse(encode_error_event("unknown action 'jump'", "deskd/office/set/action")),
            json::parse(R"({"type":"error","error":"unknown action 'jump'",
                            "command":"deskd/office/set/action"})"));
  EXPECT_EQ(json::parse(encode_error_event("invalid JSON")),
            json::parse(R"({"type":"error","error":"invalid JSON"})"));
}

}  // namespace
}  // namespace deskd::mqtt
