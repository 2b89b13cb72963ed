#include "mqtt/command_codec.h"

#include <gtest/gtest.h>

namespace deskd::mqtt {
namespace {

Command ok(const CommandResult& r) {
  if (const auto* e = std::get_if<std::string>(&r)) ADD_FAILURE() << "unexpected error: " << *e;
  return std::get<Command>(r);
}

std::string error(const CommandResult& r) {
  if (const auto* e = std::get_if<std::string>(&r)) return *e;
  ADD_FAILURE() << "expected an error";
  return {};
}

TEST(CommandCodec, ParsesEveryJsonCommand) {
  EXPECT_EQ(ok(parse_set_json(R"({"height_mm":1100})")), Command{GoToHeight{1100}});
  EXPECT_EQ(ok(parse_set_json(R"({"position":80})")), Command{GoToPosition{80}});
  EXPECT_EQ(ok(parse_set_json(R"({"posture":"standing"})")),
            Command{GoToPosture{core::Posture::kStanding}});
  EXPECT_EQ(ok(parse_set_json(R"({"posture":"sitting"})")),
            Command{GoToPosture{core::Posture::kSitting}});
  EXPECT_EQ(ok(parse_set_json(R"({"preset":"focus"})")), Command{GoToPreset{"focus"}});
  EXPECT_EQ(ok(parse_set_json(R"({"schedule_enabled":false})")),
            Command{SetScheduleEnabled{false}});
}

TEST(CommandCodec, ParsesEveryAction) {
  const std::vector<std::pair<std::string, Action>> actions{{"stop", Action::kStop},
                                                            {"clear_fault", Action::kClearFault},
                                                            {"calibrate", Action::kCalibrate},
                                                            {"confirm", Action::kConfirm},
                                                            {"snooze", Action::kSnooze},
                                                            {"skip", Action::kSkip},
                                                            {"pause_today", Action::kPauseToday},
                                                            {"resume", Action::kResume},
                                                            {"nudge", Action::kNudge},
                                                            {"walked", Action::kWalked},
                                                            {"not_walked", Action::kNotWalked}};
  for (const auto& [name, action] : actions) {
    EXPECT_EQ(ok(parse_set_json(R"({"action":")" + name + R"("})")), Command{RunAction{action}})
        << name;
    EXPECT_EQ(ok(parse_set_plain("action", name)), Command{RunAction{action}}) << name;
    EXPECT_EQ(to_string(action), name);
  }
}

TEST(CommandCodec, ComfortIsAnIntegerFromOneToFive) {
  for (int n = 1; n <= 5; ++n) {
    EXPECT_EQ(parse_set_json("{\"comfort\":" + std::to_string(n) + "}"),
              CommandResult{Command{RecordComfort{n}}});
    EXPECT_EQ(parse_set_plain("comfort", std::to_string(n)),
              CommandResult{Command{RecordComfort{n}}});
  }
  EXPECT_EQ(command_key(Command{RecordComfort{3}}), "comfort");
}

TEST(CommandCodec, BadComfortAnswersNameTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"comfort":0})", "comfort: expected an integer from 1 to 5, got 0"},
      {R"({"comfort":6})", "comfort: expected an integer from 1 to 5, got 6"},
      {R"({"comfort":-2})", "comfort: expected an integer from 1 to 5, got -2"},
      {R"({"comfort":2.5})", "comfort: expected an integer from 1 to 5"},
      {R"({"comfort":"3"})", "comfort: expected an integer from 1 to 5"},
      {R"({"comfort":null})", "comfort: expected an integer from 1 to 5"},
      {R"({"comfort":true})", "comfort: expected an integer from 1 to 5"},
      {R"({"comfort":3,"action":"stop"})", "expected one command key, got 'comfort', 'action'"},
      {R"({})", "expected one command key, got none"},
  };
  for (const auto& [payload, error] : cases) {
    EXPECT_EQ(parse_set_json(payload), CommandResult{std::string(error)}) << payload;
  }
  EXPECT_EQ(parse_set_plain("comfort", "6"),
            CommandResult{std::string("comfort: expected an integer from 1 to 5, got 6")});
  EXPECT_EQ(parse_set_plain("comfort", "good"),
            CommandResult{std::string("comfort: expected an integer, got 'good'")});
}

TEST(CommandCodec, IntegralDecimalHeightIsAccepted) {
  EXPECT_EQ(ok(parse_set_json(R"({"height_mm":1100.0})")), Command{GoToHeight{1100}});
}

TEST(CommandCodec, MalformedJsonCommandsNameTheProblem) {
  EXPECT_EQ(error(parse_set_json("{height_mm:")), "invalid JSON");
  EXPECT_EQ(error(parse_set_json("[1]")), "expected a JSON object");
  EXPECT_EQ(error(parse_set_json(R"({"hieght_mm":1100})")), "unknown key 'hieght_mm'");
  EXPECT_EQ(error(parse_set_json(R"({"height_mm":"high"})")), "height_mm: expected an integer");
  EXPECT_EQ(error(parse_set_json(R"({"height_mm":1100.5})")), "height_mm: expected an integer");
  EXPECT_EQ(error(parse_set_json(R"({"height_mm":99999999999})")), "height_mm: out of range");
  EXPECT_EQ(error(parse_set_json(R"({"position":101})")), "position: must be 0..100");
  EXPECT_EQ(error(parse_set_json(R"({"position":-1})")), "position: must be 0..100");
  EXPECT_EQ(error(parse_set_json(R"({"action":"jump"})")), "unknown action 'jump'");
  EXPECT_EQ(error(parse_set_json(R"({"action":1})")), "action: expected a string");
  EXPECT_EQ(error(parse_set_json(R"({"posture":"lying"})")),
            "posture: expected 'sitting' or 'standing', got 'lying'");
  EXPECT_EQ(error(parse_set_json(R"({"schedule_enabled":"yes"})")),
            "schedule_enabled: expected true or false");
  EXPECT_EQ(error(parse_set_json(R"({"preset":""})")), "preset: must not be empty");
}

TEST(CommandCodec, OneObjectCarriesExactlyOneCommand) {
  EXPECT_EQ(error(parse_set_json(R"({"height_mm":1100,"action":"stop"})")),
            "expected one command key, got 'height_mm', 'action'");
  EXPECT_EQ(error(parse_set_json("{}")), "expected one command key, got none");
}

TEST(CommandCodec, PlainValuesParsePerKey) {
  EXPECT_EQ(ok(parse_set_plain("height_mm", " 1100\n")), Command{GoToHeight{1100}});
  EXPECT_EQ(ok(parse_set_plain("height_mm", "1100.0")), Command{GoToHeight{1100}});
  EXPECT_EQ(ok(parse_set_plain("position", "80")), Command{GoToPosition{80}});
  EXPECT_EQ(ok(parse_set_plain("posture", "standing")),
            Command{GoToPosture{core::Posture::kStanding}});
  EXPECT_EQ(ok(parse_set_plain("preset", "focus")), Command{GoToPreset{"focus"}});
}

TEST(CommandCodec, PlainScheduleEnabledAcceptsOnOffTrueFalseOneZero) {
  for (const char* on : {"ON", "on", "true", "TRUE", "1"}) {
    EXPECT_EQ(ok(parse_set_plain("schedule_enabled", on)), Command{SetScheduleEnabled{true}}) << on;
  }
  for (const char* off : {"OFF", "off", "false", "0"}) {
    EXPECT_EQ(ok(parse_set_plain("schedule_enabled", off)), Command{SetScheduleEnabled{false}})
        << off;
  }
  EXPECT_EQ(error(parse_set_plain("schedule_enabled", "maybe")),
            "schedule_enabled: expected ON or OFF, got 'maybe'");
}

TEST(CommandCodec, MalformedPlainValuesNameTheProblem) {
  EXPECT_EQ(error(parse_set_plain("hieght_mm", "1100")), "unknown key 'hieght_mm'");
  EXPECT_EQ(error(parse_set_plain("height_mm", "tall")),
            "height_mm: expected an integer, got 'tall'");
  EXPECT_EQ(error(parse_set_plain("position", "150")), "position: must be 0..100");
  EXPECT_EQ(error(parse_set_plain("action", "jump")), "unknown action 'jump'");
}

TEST(CommandCodec, CommandKeyNamesTheSetKey) {
  EXPECT_EQ(command_key(GoToHeight{1}), "height_mm");
  EXPECT_EQ(command_key(RunAction{Action::kStop}), "action");
  EXPECT_EQ(command_key(SetScheduleEnabled{true}), "schedule_enabled");
}

}  // namespace
}  // namespace deskd::mqtt
