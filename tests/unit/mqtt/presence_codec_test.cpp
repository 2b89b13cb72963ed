#include "mqtt/presence_codec.h"

#include <gtest/gtest.h>

#include "core/schedule_settings.h"

namespace deskd::mqtt {
namespace {

const core::ScheduleSettings kDefaults;

std::optional<bool> parse_default(std::string_view payload) {
  return parse_presence(payload, kDefaults.presence_on, kDefaults.presence_off);
}

TEST(PresenceCodec, DefaultWordsMeanPresentOrAbsentInAnyCase) {
  EXPECT_EQ(parse_default("on"), true);
  EXPECT_EQ(parse_default("Home"), true);
  EXPECT_EQ(parse_default("TRUE"), true);
  EXPECT_EQ(parse_default("off"), false);
  EXPECT_EQ(parse_default("NOT_HOME"), false);
  EXPECT_EQ(parse_default("False"), false);
}

TEST(PresenceCodec, AnyOtherPayloadIsUnknown) {
  EXPECT_EQ(parse_default(""), std::nullopt);
  EXPECT_EQ(parse_default("maybe"), std::nullopt);
  EXPECT_EQ(parse_default("on "), std::nullopt);  // not trimmed: exactly the configured words
  EXPECT_EQ(parse_default(std::string_view("on\0", 3)), std::nullopt);
}

TEST(PresenceCodec, ConfiguredWordsReplaceTheDefaultsAndOnWinsOverOff) {
  const std::vector<std::string> on{"Present", "both"};
  const std::vector<std::string> off{"absent", "BOTH"};
  EXPECT_EQ(parse_presence("present", on, off), true);
  EXPECT_EQ(parse_presence("ABSENT", on, off), false);
  EXPECT_EQ(parse_presence("Both", on, off), true);
  EXPECT_EQ(parse_presence("on", on, off), std::nullopt);
}

}  // namespace
}  // namespace deskd::mqtt
