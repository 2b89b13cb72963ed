#include "mqtt/topics.h"

#include <gtest/gtest.h>

namespace deskd::mqtt {
namespace {

TEST(Topics, AllContractTopicsHangOffBaseTopicAndDeskId) {
  const Topics t = make_topics("deskd", "office", "homeassistant");
  EXPECT_EQ(t.base, "deskd/office");
  EXPECT_EQ(t.availability, "deskd/office/availability");
  EXPECT_EQ(t.state, "deskd/office/state");
  EXPECT_EQ(t.set, "deskd/office/set");
  EXPECT_EQ(t.set_prefix, "deskd/office/set/");
  EXPECT_EQ(t.get, "deskd/office/get");
  EXPECT_EQ(t.schedule, "deskd/office/schedule");
  EXPECT_EQ(t.request_prefix, "deskd/office/request/");
  EXPECT_EQ(t.response("schedule/set"), "deskd/office/response/schedule/set");
  EXPECT_EQ(t.event, "deskd/office/event");
  EXPECT_EQ(t.stats, "deskd/office/stats");
  EXPECT_EQ(t.sim_set, "deskd/office/sim/set");
  EXPECT_EQ(t.ha_status, "homeassistant/status");
}

TEST(Topics, DiscoveryTopicsUseDeskdPrefixedNodeId) {
  const Topics t = make_topics("deskd", "office", "ha");
  EXPECT_EQ(t.device_discovery(), "ha/device/deskd_office/config");
  EXPECT_EQ(t.entity_discovery("sensor", "fault"), "ha/sensor/deskd_office/fault/config");
}

TEST(Topics, SetKeyIsTheSingleLevelAfterSet) {
  const Topics t = make_topics("deskd", "office", "homeassistant");
  EXPECT_EQ(t.set_key("deskd/office/set/height_mm"), "height_mm");
  EXPECT_FALSE(t.set_key("deskd/office/set"));
  EXPECT_FALSE(t.set_key("deskd/office/set/"));
  EXPECT_FALSE(t.set_key("deskd/office/set/a/b"));
  EXPECT_FALSE(t.set_key("deskd/other/set/height_mm"));
}

TEST(Topics, RequestOpMayHaveSeveralLevels) {
  const Topics t = make_topics("deskd", "office", "homeassistant");
  EXPECT_EQ(t.request_op("deskd/office/request/schedule/set"), "schedule/set");
  EXPECT_FALSE(t.request_op("deskd/office/request/"));
  EXPECT_FALSE(t.request_op("deskd/office/response/schedule/set"));
}

TEST(Topics, CommandFiltersIncludeSimOnlyWhenSimulated) {
  const Topics t = make_topics("deskd", "office", "homeassistant");
  const auto real = t.command_filters(false);
  const std::vector<std::string> expected{"deskd/office/set", "deskd/office/set/+",
                                          "deskd/office/get", "deskd/office/request/#",
                                          "homeassistant/status"};
  EXPECT_EQ(real, expected);
  const auto sim = t.command_filters(true);
  ASSERT_EQ(sim.size(), expected.size() + 1);
  EXPECT_EQ(sim.back(), "deskd/office/sim/set");
}

TEST(Topics, TopicLevelRejectsWildcardsSeparatorsAndEmpty) {
  EXPECT_TRUE(valid_topic_level("office-1"));
  EXPECT_FALSE(valid_topic_level(""));
  EXPECT_FALSE(valid_topic_level("a/b"));
  EXPECT_FALSE(valid_topic_level("a+"));
  EXPECT_FALSE(valid_topic_level("#"));
  EXPECT_FALSE(valid_topic_level(std::string_view("a\0b", 3)));
}

TEST(Topics, TopicNameAllowsLevelsButNoWildcards) {
  EXPECT_TRUE(valid_topic_name("home/deskd"));
  EXPECT_FALSE(valid_topic_name("home/+/deskd"));
  EXPECT_FALSE(valid_topic_name("home/#"));
  EXPECT_FALSE(valid_topic_name("home//deskd"));
  EXPECT_FALSE(valid_topic_name(""));
}

TEST(Topics, DiscoveryIdAllowsOnlyAlnumUnderscoreHyphen) {
  EXPECT_TRUE(valid_discovery_id("deskd_office-1"));
  EXPECT_FALSE(valid_discovery_id("deskd.office"));
  EXPECT_FALSE(valid_discovery_id(""));
}

}  // namespace
}  // namespace deskd::mqtt
