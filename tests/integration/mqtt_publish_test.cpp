// What deskd publishes over MQTT (DESIGN.md §8): retained availability, state, schedule, stats
// and Home Assistant discovery, checked with the real binary against a real mosquitto.
#include <gtest/gtest.h>

#include <set>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::seconds;

// The retained message a fresh subscriber gets on `topic`, or nullopt.
std::optional<ReceivedMessage> retained_on(MqttTestClient& c, const std::string& topic) {
  auto m = c.wait_for(
      topic, [](const std::string&) { return true; }, seconds(3));
  if (m && !m->retained) return std::nullopt;
  return m;
}

bool has_wildcard(std::string_view s) {
  return s.find('+') != std::string_view::npos || s.find('#') != std::string_view::npos;
}

// Home Assistant's documented required options per MQTT platform.
const std::map<std::string, std::vector<std::string>>& required_keys() {
  static const std::map<std::string, std::vector<std::string>> keys{
      {"cover", {"command_topic"}},
      {"number", {"command_topic"}},
      {"select", {"command_topic", "options"}},
      {"button", {"command_topic"}},
      {"switch", {"command_topic"}},
      {"sensor", {"state_topic"}},
      {"binary_sensor", {"state_topic"}},
  };
  return keys;
}

// Checks one entity's options against HA's rules and deskd's topics; returns its platform.
void check_entity(const object& e, const std::string& platform, const std::string& base,
                  std::set<std::string>& unique_ids) {
  SCOPED_TRACE(boost::json::serialize(e));
  ASSERT_TRUE(required_keys().count(platform)) << "unexpected platform " << platform;
  for (const auto& k : required_keys().at(platform)) EXPECT_TRUE(e.contains(k)) << k;
  const std::string uid = json_string(e, "unique_id");
  EXPECT_FALSE(uid.empty());
  EXPECT_EQ(uid.rfind("deskd_itest_", 0), 0u) << uid;
  EXPECT_TRUE(unique_ids.insert(uid).second) << "duplicate unique_id " << uid;
  for (const auto& kv : e) {
    const std::string key(kv.key());
    if (key.size() < 6 || key.substr(key.size() - 6) != "_topic") continue;
    ASSERT_TRUE(kv.value().is_string()) << key;
    const std::string t(kv.value().as_string());
    EXPECT_FALSE(has_wildcard(t)) << key << " = " << t;
    EXPECT_EQ(t.rfind(base + "/", 0), 0u) << key << " = " << t;
    if (key == "state_topic" || key == "position_topic" || key == "json_attributes_topic") {
      EXPECT_TRUE(t == base + "/state" || t == base + "/progress") << key << " = " << t;
    }
  }
  if (platform == "sensor" && json_string(e, "device_class") == "enum") {
    ASSERT_TRUE(e.contains("options"));
  }
}

object expected_device(const std::string& sw_version) {
  return object{{"identifiers", boost::json::array{"deskd_itest"}},
                {"name", "Desk itest"},
                {"model", "deskd"},
                {"manufacturer", "deskd"},
                {"sw_version", sw_version}};
}

class MqttPublish : public MqttDeskTest {};

TEST_F(MqttPublish, ConnectPublishesRetainedAvailabilityStateScheduleAndStats) {
  ASSERT_TRUE(start_all());
  // The observer subscribed after deskd connected: everything below arrives as retained.
  auto avail = retained_on(*observer_, topic("availability"));
  ASSERT_TRUE(avail) << "no retained availability";
  EXPECT_EQ(avail->payload, "online");

  auto state_msg = retained_on(*observer_, topic("state"));
  ASSERT_TRUE(state_msg) << "no retained state";
  const object s = json_object(state_msg->payload);
  for (const char* k : {"height_mm",
                        "position",
                        "target_mm",
                        "motion",
                        "posture",
                        "calibrated",
                        "fault",
                        "fault_detail",
                        "schedule_enabled",
                        "mode",
                        "phase",
                        "phase_reason",
                        "next_change",
                        "next_posture",
                        "sit_today_s",
                        "stand_today_s",
                        "transitions_today",
                        "longest_sit_today_s",
                        "min_height_mm",
                        "max_height_mm",
                        "sit_height_mm",
                        "stand_height_mm",
                        "presets",
                        "stand_minutes",
                        "break_due",
                        "warning_remaining_s",
                        "version"}) {
    EXPECT_TRUE(s.contains(k)) << "state lacks " << k << ": " << state_msg->payload;
  }
  // The fresh simulated desk rests calibrated on its bottom end stop.
  EXPECT_EQ(json_int(s, "height_mm"), 620);
  EXPECT_EQ(json_int(s, "position"), 0);
  EXPECT_TRUE(json_is_null(s, "target_mm"));
  EXPECT_EQ(json_string(s, "motion"), "stopped");
  EXPECT_EQ(json_string(s, "posture"), "sitting");
  EXPECT_EQ(json_bool(s, "calibrated"), true);
  EXPECT_EQ(json_string(s, "fault"), "none");
  EXPECT_EQ(json_bool(s, "schedule_enabled"), false);
  EXPECT_EQ(json_string(s, "mode"), "auto");
  EXPECT_EQ(json_string(s, "phase"), "disabled");
  EXPECT_TRUE(json_is_null(s, "next_change"));
  EXPECT_EQ(json_int(s, "min_height_mm"), 620);
  EXPECT_EQ(json_int(s, "max_height_mm"), 1270);
  EXPECT_EQ(json_int(s, "sit_height_mm"), 720);
  EXPECT_EQ(json_int(s, "stand_height_mm"), 1100);
  ASSERT_TRUE(s.at("presets").is_object());
  EXPECT_FALSE(json_string(s, "version").empty());
  for (const char* k :
       {"sit_today_s", "stand_today_s", "transitions_today", "longest_sit_today_s"}) {
    ASSERT_TRUE(json_int(s, k)) << k;
    EXPECT_GE(*json_int(s, k), 0) << k;
  }

  auto schedule = retained_on(*observer_, topic("schedule"));
  ASSERT_TRUE(schedule) << "no retained schedule";
  const object sched = json_object(schedule->payload);
  for (const char* k : {"enabled", "mode", "sit_minutes", "stand_minutes", "warn_seconds",
                        "snooze_minutes", "nudge", "max_auto_moves_per_day", "require_time_sync",
                        "windows", "skip_dates", "progression", "breaks"}) {
    EXPECT_TRUE(sched.contains(k)) << "schedule lacks " << k << ": " << schedule->payload;
  }
  EXPECT_EQ(json_bool(sched, "enabled"), false);
  ASSERT_TRUE(sched.contains("windows") && sched.at("windows").is_object());
  EXPECT_EQ(sched.at("windows").as_object().size(), 7u);

  auto stats = retained_on(*observer_, topic("stats"));
  ASSERT_TRUE(stats) << "no retained stats";
  const object st = json_object(stats->payload);
  ASSERT_TRUE(st.contains("days") && st.at("days").is_array()) << stats->payload;
}

TEST_F(MqttPublish, DeviceDiscoveryMessageFollowsHomeAssistantRules) {
  ASSERT_TRUE(start_all());
  auto m = retained_on(*observer_, "homeassistant/device/deskd_itest/config");
  ASSERT_TRUE(m) << "no retained device discovery message";
  const object d = json_object(m->payload);
  ASSERT_FALSE(d.empty()) << m->payload;

  ASSERT_TRUE(d.contains("dev") && d.at("dev").is_object());
  const object& dev = d.at("dev").as_object();
  const std::string version = json_string(dev, "sw_version");
  EXPECT_FALSE(version.empty());
  EXPECT_EQ(dev, expected_device(version));
  ASSERT_TRUE(d.contains("o") && d.at("o").is_object());
  EXPECT_EQ(json_string(d.at("o").as_object(), "name"), "deskd");
  EXPECT_EQ(json_string(d, "availability_topic"), base() + "/availability");
  EXPECT_EQ(json_string(d, "payload_available"), "online");
  EXPECT_EQ(json_string(d, "payload_not_available"), "offline");

  ASSERT_TRUE(d.contains("cmps") && d.at("cmps").is_object());
  std::set<std::string> unique_ids;
  std::map<std::string, int> per_platform;
  std::map<std::string, std::string> sensor_classes;
  for (const auto& kv : d.at("cmps").as_object()) {
    ASSERT_TRUE(kv.value().is_object());
    const object& e = kv.value().as_object();
    const std::string platform = json_string(e, "p");
    ++per_platform[platform];
    check_entity(e, platform, base(), unique_ids);
    if (platform == "sensor" || platform == "binary_sensor") {
      sensor_classes[std::string(kv.key())] = json_string(e, "device_class");
    }
  }
  // §8's entity set.
  EXPECT_EQ(per_platform["cover"], 1);
  EXPECT_EQ(per_platform["number"], 1);
  EXPECT_EQ(per_platform["select"], 2);  // posture, comfort (issue 24 §3)
  EXPECT_EQ(per_platform["button"], 4);
  EXPECT_EQ(per_platform["switch"], 1);
  EXPECT_EQ(per_platform["sensor"], 10);
  EXPECT_EQ(per_platform["binary_sensor"], 2);
  EXPECT_EQ(sensor_classes["sit_today"], "duration");
  EXPECT_EQ(sensor_classes["stand_today"], "duration");
  EXPECT_EQ(sensor_classes["next_change"], "timestamp");
  EXPECT_EQ(sensor_classes["fault"], "enum");
  EXPECT_EQ(sensor_classes["longest_sit_week"], "duration");
  EXPECT_EQ(sensor_classes["moving"], "moving");
  EXPECT_EQ(sensor_classes["problem"], "problem");
  // Heights are shown in cm.
  const object& height = d.at("cmps").as_object().at("height").as_object();
  EXPECT_EQ(json_string(height, "unit_of_measurement"), "cm");
  EXPECT_EQ(json_number(height, "min"), 62.0);
  EXPECT_EQ(json_number(height, "max"), 127.0);
}

TEST_F(MqttPublish, EntityDiscoveryPublishesOneMessagePerEntityWithTheSameDeviceBlock) {
  auto o = desk_options();
  o.mqtt_toml = "discovery = \"entities\"\n";
  ASSERT_TRUE(start_all(o));
  // 21 entities; give the retained burst a moment to arrive. The burst may still be under way
  // when the first observer subscribes (its tail then arrives live, not flagged retained): a
  // second observer, connected after it, sees every message as the broker keeps it.
  ASSERT_TRUE(observer_->wait_for(
      "homeassistant/binary_sensor/deskd_itest/problem/config",
      [](const std::string&) { return true; }, seconds(3)));
  ASSERT_TRUE(connect_observer());
  ASSERT_TRUE(observer_->wait_for(
      "homeassistant/binary_sensor/deskd_itest/problem/config",
      [](const std::string&) { return true; }, seconds(3)));
  std::set<std::string> unique_ids;
  std::optional<object> first_device;
  int entities = 0;
  for (const auto& m : observer_->messages()) {
    if (m.topic.rfind("homeassistant/", 0) != 0) continue;
    SCOPED_TRACE(m.topic);
    EXPECT_TRUE(m.retained);
    // <prefix>/<platform>/<node_id>/<object_id>/config, ids [a-zA-Z0-9_-].
    std::vector<std::string> levels;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= m.topic.size(); ++i) {
      if (i == m.topic.size() || m.topic[i] == '/') {
        levels.push_back(m.topic.substr(start, i - start));
        start = i + 1;
      }
    }
    ASSERT_EQ(levels.size(), 5u);
    EXPECT_EQ(levels[2], "deskd_itest");
    EXPECT_EQ(levels[4], "config");
    for (char c : levels[3]) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    const object e = json_object(m.payload);
    check_entity(e, levels[1], base(), unique_ids);
    ASSERT_TRUE(e.contains("device") && e.at("device").is_object());
    if (!first_device) first_device = e.at("device").as_object();
    EXPECT_EQ(e.at("device").as_object(), *first_device);
    EXPECT_EQ(json_string(e, "availability_topic"), base() + "/availability");
    EXPECT_TRUE(e.contains("origin"));
    ++entities;
  }
  EXPECT_EQ(entities, 21);
  ASSERT_TRUE(first_device);
  EXPECT_EQ(*first_device, expected_device(json_string(*first_device, "sw_version")));
  // Device-based discovery is not used in this mode.
  EXPECT_FALSE(observer_->last("homeassistant/device/deskd_itest/config").value_or("").size());
}

TEST_F(MqttPublish, HomeAssistantComingOnlineRepublishesDiscovery) {
  ASSERT_TRUE(start_all());
  const std::string dt = "homeassistant/device/deskd_itest/config";
  ASSERT_TRUE(retained_on(*observer_, dt));
  const auto since = mark();
  observer_->publish("homeassistant/status", "online");
  auto again = observer_->wait_for(
      dt, [](const std::string& p) { return !p.empty(); }, seconds(5), since);
  ASSERT_TRUE(again) << deskd_->log();
  EXPECT_FALSE(again->retained);  // a live re-publication, not the broker's retained copy
  EXPECT_NE(deskd_->log().find("Home Assistant came online"), std::string::npos);
}

TEST_F(MqttPublish, DiscoveryOffRemovesThePublishedDiscovery) {
  start_broker();
  auto o = desk_options();
  o.state_dir = make_temp_dir("deskd-it-state");
  ASSERT_TRUE(start_all(o));
  const std::string dt = "homeassistant/device/deskd_itest/config";
  ASSERT_TRUE(retained_on(*observer_, dt));
  ASSERT_EQ(deskd_->terminate(), 0);

  o.mqtt_toml = "discovery = \"off\"\n";
  ASSERT_TRUE(start_deskd(o));
  ASSERT_TRUE(deskd_->process().wait_for_log("MQTT connected", seconds(5)));
  // A new subscriber finds no device message any more.
  MqttTestClient late(broker_->port());
  ASSERT_TRUE(late.connect());
  late.subscribe(base() + "/availability");
  late.subscribe("homeassistant/#");
  ASSERT_TRUE(
      late.wait_for(base() + "/availability", [](const std::string& p) { return p == "online"; }));
  EXPECT_FALSE(late.wait_for(
      dt, [](const std::string& p) { return !p.empty(); }, std::chrono::milliseconds(500)))
      << "discovery still retained after discovery = \"off\"";
}

TEST_F(MqttPublish, ForgetRemovesEveryRetainedMessageOfTheDesk) {
  start_broker();
  auto o = desk_options();
  ASSERT_TRUE(start_all(o));
  ASSERT_TRUE(retained_on(*observer_, topic("state")));
  ASSERT_EQ(deskd_->terminate(), 0);
  std::string out;
  ASSERT_EQ(run_command({DESKD_BINARY, "--forget", "--config", deskd_->config_path()}, out), 0)
      << out;
  MqttTestClient late(broker_->port());
  ASSERT_TRUE(late.connect());
  late.subscribe(base() + "/#");
  late.subscribe("homeassistant/#");
  ASSERT_TRUE(late.flush());  // every retained message of both subscriptions has arrived
  for (const auto& m : late.messages()) {
    EXPECT_TRUE(m.payload.empty()) << m.topic << " still retained: " << m.payload;
  }
}

TEST_F(MqttPublish, ConnectPublishesRetainedProgressOfTheScheduledWeek) {
  auto o = desk_options();
  o.schedule_toml = all_day_schedule_toml(
      "[schedule.progression]\nenabled = true\nstart_minutes = 5\nstep_minutes = 5\n"
      "period_days = 7\ntarget_minutes = 20\n");
  ASSERT_TRUE(start_all(o));
  auto m = retained_on(*observer_, topic("progress"));
  ASSERT_TRUE(m) << "no retained progress";
  const object p = json_object(m->payload);
  SCOPED_TRACE(m->payload);
  for (const char* k :
       {"date", "week_start", "this_week", "last_week", "trend", "streak", "plan"}) {
    EXPECT_TRUE(p.contains(k)) << k;
  }
  const object& week = p.at("this_week").as_object();
  for (const char* k : {"from", "to", "working_days", "working_s", "sit_s", "stand_s",
                        "stand_share", "changes", "changes_per_hour", "longest_sit_s"}) {
    EXPECT_TRUE(week.contains(k)) << k;
  }
  EXPECT_EQ(json_string(week, "from"), json_string(p, "week_start"));
  EXPECT_EQ(json_string(week, "to"), json_string(p, "date"));
  // Every day has working hours, and the desk has counted nothing last week.
  EXPECT_GE(json_int(week, "working_days").value_or(0), 1);
  EXPECT_FALSE(json_bool(p.at("last_week").as_object(), "has_data").value_or(true));
  EXPECT_TRUE(json_is_null(p.at("trend").as_object(), "stand_share"));
  const object& plan = p.at("plan").as_object();
  EXPECT_EQ(json_bool(plan, "progression"), true);
  EXPECT_EQ(json_int(plan, "minutes"), 5);
  ASSERT_TRUE(plan.at("next").is_object());
  EXPECT_EQ(json_int(plan.at("next").as_object(), "minutes"), 10);
  EXPECT_NE(json_string(plan, "text").find("you stand 10 min each period"), std::string::npos);
}

TEST_F(MqttPublish, GetRepublishesStateScheduleAndProgress) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(wait_state([](const object&) { return true; }));
  const auto since = mark();
  send("get", "");
  auto s = wait_state([](const object&) { return true; }, since, seconds(2));
  ASSERT_TRUE(s) << "B/get was not answered";
  EXPECT_EQ(json_int(*s, "height_mm"), 620);
  EXPECT_TRUE(wait_json(
      "schedule", [](const object& o) { return o.contains("windows"); }, since, seconds(2)));
  EXPECT_TRUE(wait_json(
      "progress", [](const object& o) { return o.contains("this_week"); }, since, seconds(2)));
}

TEST_F(MqttPublish, CleanShutdownPublishesOfflineRetained) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(observer_->wait_for_containing(topic("availability"), "online"));
  const auto since = mark();
  ASSERT_EQ(deskd_->terminate(), 0);
  auto off = observer_->wait_for(
      topic("availability"), [](const std::string& p) { return p == "offline"; }, seconds(3),
      since);
  ASSERT_TRUE(off) << deskd_->log();
  MqttTestClient late(broker_->port());
  ASSERT_TRUE(late.connect());
  late.subscribe(topic("availability"));
  auto kept = late.wait_for(topic("availability"), [](const std::string&) { return true; });
  ASSERT_TRUE(kept);
  EXPECT_TRUE(kept->retained);
  EXPECT_EQ(kept->payload, "offline");
}

}  // namespace
}  // namespace deskd::testing
