#include "mqtt/activity_codec.h"

#include <gtest/gtest.h>

namespace deskd::mqtt {
namespace {

using core::Activity;

std::optional<Activity> kind(std::string_view payload) {
  const auto a = parse_activity(payload);
  return a ? std::optional<Activity>(a->activity) : std::nullopt;
}

TEST(ActivityCodec, WordsFromHomeAssistantAndScripts) {
  EXPECT_EQ(kind("active"), Activity::kActive);
  EXPECT_EQ(kind(" ON\n"), Activity::kActive);
  EXPECT_EQ(kind("true"), Activity::kActive);
  EXPECT_EQ(kind("Unlocked"), Activity::kActive);
  EXPECT_EQ(kind("idle"), Activity::kIdle);
  EXPECT_EQ(kind("off"), Activity::kIdle);
  EXPECT_EQ(kind("FALSE"), Activity::kIdle);
  EXPECT_EQ(kind("locked"), Activity::kLocked);
}

TEST(ActivityCodec, JsonSaysHowLongIdleAndWhetherLocked) {
  const auto idle = parse_activity(R"({"idle_seconds": 95, "locked": false})");
  ASSERT_TRUE(idle);
  EXPECT_EQ(idle->activity, Activity::kIdle);
  EXPECT_EQ(idle->idle_for, std::chrono::seconds(95));
  EXPECT_EQ(kind(R"({"idle_seconds":0})"), Activity::kActive);
  EXPECT_EQ(kind(R"({"locked":true,"idle_seconds":3})"), Activity::kLocked);
  EXPECT_EQ(kind(R"({"locked":false})"), Activity::kActive);
}

TEST(ActivityCodec, AnythingElseIsRefused) {
  for (const char* bad : {"", "away", "1", "{}", "[]", R"({"idle_seconds":-1})",
                          R"({"idle_seconds":1.5})", R"({"idle_seconds":999999999})",
                          R"({"locked":"yes"})", R"({"idle_seconds":5,"extra":1})", "{nope"}) {
    EXPECT_EQ(parse_activity(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace deskd::mqtt
