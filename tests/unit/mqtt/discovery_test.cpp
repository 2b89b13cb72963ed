#include "mqtt/discovery.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <regex>
#include <set>

#include "mqtt/command_codec.h"

namespace deskd::mqtt {
namespace {

namespace json = boost::json;

const std::set<std::string> kPlatforms{"cover",  "number", "select",       "button",
                                       "switch", "sensor", "binary_sensor"};

DiscoveryInfo info() { return DiscoveryInfo{"Office desk", "0.1.0", 620, 1270}; }

Topics topics() { return make_topics("deskd", "office", "homeassistant"); }

// MQTT topic filter matching ('+' one level, '#' the rest).
bool matches(std::string_view filter, std::string_view topic) {
  while (true) {
    const auto fslash = filter.find('/');
    const auto tslash = topic.find('/');
    const std::string_view f = filter.substr(0, fslash);
    const std::string_view t = topic.substr(0, tslash);
    if (f == "#") return true;
    if (f != "+" && f != t) return false;
    if (fslash == filter.npos || tslash == topic.npos) {
      return fslash == filter.npos && tslash == topic.npos;
    }
    filter.remove_prefix(fslash + 1);
    topic.remove_prefix(tslash + 1);
  }
}

// Home Assistant's documented rules for one entity's options; returns the problems found.
std::vector<std::string> check_entity(const std::string& platform, const json::object& c) {
  std::vector<std::string> problems;
  auto need = [&](const char* key) {
    if (!c.contains(key)) problems.push_back(platform + " needs " + key);
  };
  if (!kPlatforms.count(platform)) problems.push_back("unknown platform " + platform);
  need("unique_id");
  if (platform == "cover") {
    need("set_position_topic");
    need("position_topic");
  } else if (platform == "number" || platform == "button" || platform == "switch") {
    need("command_topic");
  } else if (platform == "select") {
    need("command_topic");
    need("options");
    if (c.contains("options") && c.at("options").as_array().empty()) {
      problems.push_back("select options empty");
    }
  } else if (platform == "sensor" || platform == "binary_sensor") {
    need("state_topic");
  }
  // What an entity reads is a retained document deskd publishes.
  for (const char* key : {"state_topic", "position_topic", "json_attributes_topic"}) {
    if (auto v = c.if_contains(key);
        v && v->as_string() != topics().state && v->as_string() != topics().progress) {
      problems.push_back(std::string(key) + " is not B/state or B/progress");
    }
  }
  if (c.contains("json_attributes_template") && !c.contains("json_attributes_topic")) {
    problems.push_back("json_attributes_template without json_attributes_topic");
  }
  if (auto dc = c.if_contains("device_class"); dc && dc->as_string() == "enum") need("options");
  if (auto dc = c.if_contains("device_class"); dc && dc->as_string() == "duration") {
    need("unit_of_measurement");
  }
  for (const auto& [key, value] : c) {
    if (!key.ends_with("_topic")) continue;
    const std::string_view topic = value.as_string();
    if (!valid_topic_name(topic)) problems.push_back(std::string(key) + " is not a topic name");
    if (topic.find_first_of("+#") != topic.npos) problems.push_back(std::string(key) + " has +/#");
    if (key.ends_with("command_topic") || key == "set_position_topic") {
      bool reachable = false;
      for (const auto& f : topics().command_filters(false)) reachable |= matches(f, topic);
      if (!reachable) problems.push_back(std::string(key) + " is not subscribed by deskd");
    }
  }
  return problems;
}

TEST(Discovery, DeviceModeIsOneRetainableMessageOnTheDeviceTopic) {
  const auto msgs = discovery_messages(topics(), config::DiscoveryMode::kDevice, info());
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].first, "homeassistant/device/deskd_office/config");
  EXPECT_TRUE(
      std::regex_match(msgs[0].first, std::regex("homeassistant/device/[a-zA-Z0-9_-]+/config")));
}

TEST(Discovery, DeviceModeFollowsHomeAssistantRules) {
  const auto msgs = discovery_messages(topics(), config::DiscoveryMode::kDevice, info());
  const json::object root = json::parse(msgs.at(0).second).as_object();
  const json::object& dev = root.at("dev").as_object();
  EXPECT_EQ(dev.at("identifiers"), json::array{"deskd_office"});
  EXPECT_EQ(dev.at("name").as_string(), "Office desk");
  EXPECT_EQ(dev.at("model").as_string(), "deskd");
  EXPECT_EQ(dev.at("manufacturer").as_string(), "deskd");
  EXPECT_EQ(dev.at("sw_version").as_string(), "0.1.0");
  EXPECT_EQ(root.at("o").at("name").as_string(), "deskd");
  EXPECT_EQ(root.at("availability_topic").as_string(), "deskd/office/availability");
  const json::object& cmps = root.at("cmps").as_object();
  std::set<std::string> unique_ids;
  std::map<std::string, int> per_platform;
  for (const auto& [id, value] : cmps) {
    EXPECT_TRUE(valid_discovery_id(id)) << id;
    const json::object& c = value.as_object();
    const std::string platform(c.at("p").as_string());
    ++per_platform[platform];
    for (const auto& p : check_entity(platform, c)) ADD_FAILURE() << id << ": " << p;
    const std::string uid(c.at("unique_id").as_string());
    EXPECT_EQ(uid, "deskd_office_" + std::string(id));
    EXPECT_TRUE(unique_ids.insert(uid).second) << "duplicate unique_id " << uid;
  }
  EXPECT_EQ(per_platform, (std::map<std::string, int>{{"binary_sensor", 2},
                                                      {"button", 4},
                                                      {"cover", 1},
                                                      {"number", 1},
                                                      {"select", 2},
                                                      {"sensor", 10},
                                                      {"switch", 1}}));
}

TEST(Discovery, EntityModeFollowsHomeAssistantRules) {
  const auto msgs = discovery_messages(topics(), config::DiscoveryMode::kEntities, info());
  ASSERT_EQ(msgs.size(), 21u);
  const std::regex shape("homeassistant/([a-z_]+)/(?:([a-zA-Z0-9_-]+)/)?([a-zA-Z0-9_-]+)/config");
  std::set<std::string> unique_ids;
  std::set<std::string> topics_seen;
  std::optional<json::value> first_device;
  for (const auto& [topic, payload] : msgs) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(topic, m, shape)) << topic;
    EXPECT_EQ(m[2].str(), "deskd_office");
    EXPECT_TRUE(topics_seen.insert(topic).second) << "duplicate topic " << topic;
    const json::object c = json::parse(payload).as_object();
    for (const auto& p : check_entity(m[1].str(), c)) ADD_FAILURE() << topic << ": " << p;
    EXPECT_EQ(c.at("availability_topic").as_string(), "deskd/office/availability") << topic;
    EXPECT_EQ(c.at("origin").at("name").as_string(), "deskd") << topic;
    if (!first_device) first_device = c.at("device");
    EXPECT_EQ(c.at("device"), *first_device) << topic << ": device block differs";
    const std::string uid(c.at("unique_id").as_string());
    EXPECT_EQ(uid, "deskd_office_" + m[3].str());
    EXPECT_TRUE(unique_ids.insert(uid).second) << "duplicate unique_id " << uid;
  }
  EXPECT_EQ(first_device->at("identifiers"), json::array{"deskd_office"});
}

TEST(Discovery, BothModesDescribeTheSameEntities) {
  const auto device = discovery_messages(topics(), config::DiscoveryMode::kDevice, info());
  const auto entities = discovery_messages(topics(), config::DiscoveryMode::kEntities, info());
  const json::object cmps = json::parse(device.at(0).second).at("cmps").as_object();
  for (const auto& [topic, payload] : entities) {
    json::object c = json::parse(payload).as_object();
    const std::string id(c.at("unique_id").as_string().subview().substr(13));
    ASSERT_TRUE(cmps.contains(id)) << id;
    json::object from_device = cmps.at(id).as_object();
    from_device.erase("p");
    for (const char* k :
         {"device", "origin", "availability_topic", "payload_available", "payload_not_available"}) {
      c.erase(k);
    }
    EXPECT_EQ(c, from_device) << id;
  }
}

TEST(Discovery, HeightIsShownInCentimetresWithinTheLimits) {
  const auto msgs = discovery_messages(topics(), config::DiscoveryMode::kDevice,
                                       DiscoveryInfo{"Desk", "1", 625, 1270});
  const json::object h = json::parse(msgs.at(0).second).at("cmps").at("height").as_object();
  EXPECT_EQ(h.at("unit_of_measurement").as_string(), "cm");
  EXPECT_DOUBLE_EQ(h.at("min").to_number<double>(), 62.5);
  EXPECT_DOUBLE_EQ(h.at("max").to_number<double>(), 127.0);
  EXPECT_EQ(h.at("command_topic").as_string(), "deskd/office/set/height_mm");
  EXPECT_NE(h.at("command_template").as_string().find("value * 10"), std::string::npos);
  EXPECT_NE(h.at("value_template").as_string().find("height_mm / 10"), std::string::npos);
}

TEST(Discovery, CoverOpensToStandingAndClosesToSittingThroughSet) {
  const auto msgs = discovery_messages(topics(), config::DiscoveryMode::kDevice, info());
  const json::object c = json::parse(msgs.at(0).second).at("cmps").at("desk").as_object();
  EXPECT_EQ(c.at("command_topic").as_string(), "deskd/office/set");
  EXPECT_EQ(json::parse(c.at("payload_open").as_string()),
            json::parse(R"({"posture":"standing"})"));
  EXPECT_EQ(json::parse(c.at("payload_close").as_string()),
            json::parse(R"({"posture":"sitting"})"));
  EXPECT_EQ(json::parse(c.at("payload_stop").as_string()), json::parse(R"({"action":"stop"})"));
  EXPECT_EQ(c.at("set_position_topic").as_string(), "deskd/office/set/position");
  EXPECT_EQ(c.at("position_topic").as_string(), "deskd/office/state");
}

TEST(Discovery, ComfortIsASensorOnBProgressAndASelectThatAnswersOnBSet) {
  const auto msgs = discovery_messages(topics(), config::DiscoveryMode::kDevice, info());
  const json::object cmps = json::parse(msgs.at(0).second).at("cmps").as_object();
  const json::object& sensor = cmps.at("comfort_week").as_object();
  EXPECT_EQ(sensor.at("p").as_string(), "sensor");
  EXPECT_EQ(sensor.at("state_topic").as_string(), "deskd/office/progress");
  EXPECT_NE(sensor.at("value_template").as_string().find("value_json.comfort.this_week"),
            std::string::npos);
  EXPECT_NE(sensor.at("json_attributes_template").as_string().find("comfort.last_week"),
            std::string::npos);
  const json::object& select = cmps.at("comfort").as_object();
  EXPECT_EQ(select.at("p").as_string(), "select");
  EXPECT_EQ(select.at("options"), json::parse(R"(["1","2","3","4","5"])"));
  EXPECT_EQ(select.at("command_topic").as_string(), "deskd/office/set");
  EXPECT_EQ(select.at("state_topic").as_string(), "deskd/office/state");
  EXPECT_NE(select.at("value_template").as_string().find("comfort_today"), std::string::npos);
  // Home Assistant renders the template with the chosen option: a command deskd accepts.
  std::string tpl(select.at("command_template").as_string());
  tpl.replace(tpl.find("{{ value }}"), 11, "4");
  EXPECT_EQ(json::parse(tpl), json::parse(R"({"comfort":4})"));
  EXPECT_EQ(parse_set_json(tpl), CommandResult{Command{RecordComfort{4}}});
}

TEST(Discovery, ProgressSensorsReadBProgressWithLastWeekAndTrendAsAttributes) {
  const auto msgs = discovery_messages(topics(), config::DiscoveryMode::kDevice, info());
  const json::object cmps = json::parse(msgs.at(0).second).at("cmps").as_object();
  const std::map<std::string, std::string> expected{{"stand_share_week", "trend.stand_share"},
                                                    {"changes_week", "trend.changes"},
                                                    {"longest_sit_week", "trend.longest_sit"},
                                                    {"standing_streak", "streak.today_met"},
                                                    {"progression_plan", "plan.next"}};
  for (const auto& [id, attribute] : expected) {
    SCOPED_TRACE(id);
    ASSERT_TRUE(cmps.contains(id));
    const json::object& c = cmps.at(id).as_object();
    EXPECT_EQ(c.at("p").as_string(), "sensor");
    EXPECT_EQ(c.at("state_topic").as_string(), "deskd/office/progress");
    EXPECT_EQ(c.at("json_attributes_topic").as_string(), "deskd/office/progress");
    const std::string_view attrs = c.at("json_attributes_template").as_string();
    EXPECT_NE(attrs.find(attribute), attrs.npos);
    EXPECT_NE(attrs.find("| tojson"), attrs.npos);
  }
  EXPECT_EQ(cmps.at("stand_share_week").at("unit_of_measurement").as_string(), "%");
  EXPECT_NE(cmps.at("stand_share_week").at("value_template").as_string().find("* 100"),
            std::string::npos);
  EXPECT_EQ(cmps.at("longest_sit_week").at("device_class").as_string(), "duration");
  EXPECT_EQ(cmps.at("standing_streak").at("unit_of_measurement").as_string(), "d");
  EXPECT_EQ(cmps.at("progression_plan").at("value_template").as_string(),
            "{{ value_json.plan.text }}");
}

TEST(Discovery, OffPublishesNothing) {
  EXPECT_TRUE(discovery_messages(topics(), config::DiscoveryMode::kOff, info()).empty());
}

TEST(Discovery, RemovalClearsEveryTopicOfBothModesWithEmptyPayloads) {
  const auto removal = removal_messages(topics());
  std::set<std::string> removed;
  for (const auto& [topic, payload] : removal) {
    EXPECT_TRUE(payload.empty()) << topic;
    removed.insert(topic);
  }
  for (auto mode : {config::DiscoveryMode::kDevice, config::DiscoveryMode::kEntities}) {
    for (const auto& [topic, payload] : discovery_messages(topics(), mode, info())) {
      EXPECT_TRUE(removed.count(topic)) << topic << " is never removed";
    }
  }
  EXPECT_EQ(removed.size(), 22u);
}

}  // namespace
}  // namespace deskd::mqtt
