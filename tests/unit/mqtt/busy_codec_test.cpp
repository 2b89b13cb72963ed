#include "mqtt/busy_codec.h"

#include <gtest/gtest.h>

namespace deskd::mqtt {
namespace {

TEST(BusyCodec, WordsInAnyCaseAndWithSurroundingSpaceSayBusyOrFree) {
  for (const char* busy : {"ON", "on", "true", "True", "busy", "BUSY", " on\n"}) {
    EXPECT_EQ(parse_busy(busy), true) << busy;
  }
  for (const char* free : {"OFF", "off", "false", "FALSE", "free", "Free", "\tfree "}) {
    EXPECT_EQ(parse_busy(free), false) << free;
  }
}

TEST(BusyCodec, AJsonObjectWithOneBooleanBusyKey) {
  EXPECT_EQ(parse_busy(R"({"busy":true})"), true);
  EXPECT_EQ(parse_busy(R"( {"busy": false} )"), false);
  EXPECT_EQ(parse_busy(R"({"busy":"yes"})"), std::nullopt);
  EXPECT_EQ(parse_busy(R"({"busy":true,"extra":1})"), std::nullopt);
  EXPECT_EQ(parse_busy(R"({"busy":tru)"), std::nullopt);
}

TEST(BusyCodec, AnythingElseIsUnknown) {
  for (const char* other : {"", "maybe", "1", "0", "[true]", "in a meeting", "onn"}) {
    EXPECT_EQ(parse_busy(other), std::nullopt) << other;
  }
  EXPECT_EQ(parse_busy(std::string_view("on\0", 3)), std::nullopt);
}

}  // namespace
}  // namespace deskd::mqtt
