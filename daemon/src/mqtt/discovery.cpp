#include "mqtt/discovery.h"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace deskd::mqtt {
namespace {

using boost::json::array;
using boost::json::object;

// Millimetres as centimetres: an integer when whole, so the payload reads "min":62.
boost::json::value cm(int mm) {
  if (mm % 10 == 0) return mm / 10;
  return mm / 10.0;
}

object button(const Topics& t, std::string_view name, std::string_view payload) {
  object o;
  o["name"] = name;
  o["command_topic"] = t.set_prefix + "action";
  o["payload_press"] = payload;
  return o;
}

object state_reader(const Topics& t, std::string_view name, std::string_view value_template) {
  object o;
  o["name"] = name;
  o["state_topic"] = t.state;
  o["value_template"] = value_template;
  return o;
}

// A sensor on B/progress; its attributes (last week's figure and the trend, ...) come from the
// same message through `attributes_template`, which renders a JSON object.
object progress_reader(const Topics& t, std::string_view name, std::string_view value_template,
                       std::string_view attributes_template) {
  object o;
  o["name"] = name;
  o["state_topic"] = t.progress;
  o["value_template"] = value_template;
  o["json_attributes_topic"] = t.progress;
  o["json_attributes_template"] = attributes_template;
  return o;
}

// ---- One builder per entity: its platform-specific options (no device, origin, availability).

object desk_cover(const Topics& t, const DiscoveryInfo&) {
  object o;
  o["name"] = nullptr;  // the entity takes the device's name
  o["command_topic"] = t.set;
  o["payload_open"] = R"({"posture":"standing"})";
  o["payload_close"] = R"({"posture":"sitting"})";
  o["payload_stop"] = R"({"action":"stop"})";
  o["state_topic"] = t.state;
  o["value_template"] =
      "{% if value_json.motion == 'up' %}opening{% elif value_json.motion == 'down' %}closing"
      "{% elif value_json.position is none %}None{% elif value_json.position > 0 %}open"
      "{% else %}closed{% endif %}";
  o["position_topic"] = t.state;
  o["position_template"] =
      "{{ value_json.position if value_json.position is not none else 'None' }}";
  o["set_position_topic"] = t.set_prefix + "position";
  o["position_open"] = 100;
  o["position_closed"] = 0;
  return o;
}

object height_number(const Topics& t, const DiscoveryInfo& info) {
  object o = state_reader(t, "Height",
                          "{{ (value_json.height_mm / 10) | round(1) if value_json.height_mm is "
                          "not none else 'None' }}");
  o["command_topic"] = t.set_prefix + "height_mm";
  o["command_template"] = "{{ (value * 10) | round(0) | int }}";
  o["min"] = cm(info.min_height_mm);
  o["max"] = cm(info.max_height_mm);
  o["step"] = 0.1;
  o["unit_of_measurement"] = "cm";
  o["device_class"] = "distance";
  o["mode"] = "box";
  return o;
}

object posture_select(const Topics& t, const DiscoveryInfo&) {
  object o = state_reader(t, "Posture",
                          "{{ value_json.posture if value_json.posture in ['sitting', "
                          "'standing'] else 'None' }}");
  o["command_topic"] = t.set_prefix + "posture";
  o["options"] = array{"sitting", "standing"};
  return o;
}

object stop_button(const Topics& t, const DiscoveryInfo&) { return button(t, "Stop", "stop"); }
object confirm_button(const Topics& t, const DiscoveryInfo&) {
  return button(t, "Confirm posture change", "confirm");
}
object snooze_button(const Topics& t, const DiscoveryInfo&) {
  return button(t, "Snooze", "snooze");
}
object clear_fault_button(const Topics& t, const DiscoveryInfo&) {
  object o = button(t, "Clear fault", "clear_fault");
  o["entity_category"] = "diagnostic";
  return o;
}

object schedule_switch(const Topics& t, const DiscoveryInfo&) {
  object o = state_reader(t, "Schedule", "{{ 'ON' if value_json.schedule_enabled else 'OFF' }}");
  o["command_topic"] = t.set_prefix + "schedule_enabled";
  o["payload_on"] = "ON";
  o["payload_off"] = "OFF";
  return o;
}

object today_sensor(const Topics& t, std::string_view name, std::string_view value_template) {
  object o = state_reader(t, name, value_template);
  o["device_class"] = "duration";
  o["unit_of_measurement"] = "s";
  o["state_class"] = "total_increasing";
  return o;
}
object sit_today(const Topics& t, const DiscoveryInfo&) {
  return today_sensor(t, "Sitting today", "{{ value_json.sit_today_s }}");
}
object stand_today(const Topics& t, const DiscoveryInfo&) {
  return today_sensor(t, "Standing today", "{{ value_json.stand_today_s }}");
}

object next_change_sensor(const Topics& t, const DiscoveryInfo&) {
  object o = state_reader(
      t, "Next posture change",
      "{{ value_json.next_change if value_json.next_change is not none else 'None' }}");
  o["device_class"] = "timestamp";
  return o;
}

object fault_sensor(const Topics& t, const DiscoveryInfo&) {
  object o = state_reader(t, "Fault", "{{ value_json.fault }}");
  o["device_class"] = "enum";
  o["options"] = array{"none", "stall", "obstruction", "timeout", "limit", "sensor", "gpio"};
  o["entity_category"] = "diagnostic";
  return o;
}

object stand_share_week(const Topics& t, const DiscoveryInfo&) {
  object o = progress_reader(t, "Standing share this week",
                             "{{ (value_json.this_week.stand_share * 100) | round(1) if "
                             "value_json.this_week.stand_share "
                             "is not none else 'None' }}",
                             "{{ {'last_week': value_json.last_week.stand_share, 'trend': "
                             "value_json.trend.stand_share} | tojson }}");
  o["unit_of_measurement"] = "%";
  o["state_class"] = "measurement";
  return o;
}

object changes_week(const Topics& t, const DiscoveryInfo&) {
  object o = progress_reader(t, "Posture changes this week", "{{ value_json.this_week.changes }}",
                             "{{ {'per_hour': value_json.this_week.changes_per_hour, "
                             "'last_week': value_json.last_week.changes, 'last_week_per_hour': "
                             "value_json.last_week.changes_per_hour, 'trend': "
                             "value_json.trend.changes} | tojson }}");
  o["state_class"] = "total_increasing";
  return o;
}

object longest_sit_week(const Topics& t, const DiscoveryInfo&) {
  object o = progress_reader(t, "Longest sitting stretch this week",
                             "{{ value_json.this_week.longest_sit_s }}",
                             "{{ {'last_week_s': value_json.last_week.longest_sit_s, 'trend': "
                             "value_json.trend.longest_sit} | tojson }}");
  o["device_class"] = "duration";
  o["unit_of_measurement"] = "s";
  o["state_class"] = "measurement";
  return o;
}

object standing_streak(const Topics& t, const DiscoveryInfo&) {
  object o = progress_reader(t, "Standing goal streak", "{{ value_json.streak.days }}",
                             "{{ {'today_met': value_json.streak.today_met, 'today_goal_s': "
                             "value_json.streak.today_goal_s, 'today_stand_s': "
                             "value_json.streak.today_stand_s} | tojson }}");
  o["unit_of_measurement"] = "d";
  o["state_class"] = "measurement";
  return o;
}

object progression_plan(const Topics& t, const DiscoveryInfo&) {
  return progress_reader(t, "Standing plan", "{{ value_json.plan.text }}",
                         "{{ {'minutes': value_json.plan.minutes, 'next_date': "
                         "value_json.plan.next.date if value_json.plan.next else none, "
                         "'next_minutes': value_json.plan.next.minutes if value_json.plan.next "
                         "else none} | tojson }}");
}

object comfort_week(const Topics& t, const DiscoveryInfo&) {
  object o = progress_reader(t, "Comfort this week",
                             "{{ value_json.comfort.this_week if value_json.comfort.this_week "
                             "is not none else 'None' }}",
                             "{{ {'last_week': value_json.comfort.last_week, 'trend': "
                             "value_json.comfort.trend, 'answers': "
                             "value_json.comfort.answers_this_week, 'progression': "
                             "value_json.plan.decision.reason if value_json.plan.decision else "
                             "none} | tojson }}");
  o["state_class"] = "measurement";
  o["icon"] = "mdi:human-handsup";
  return o;
}

// The comfort check-in: shows today's answer (rounded mean), publishes {"comfort":N} on B/set.
object comfort_select(const Topics& t, const DiscoveryInfo&) {
  object o = state_reader(t, "Comfort check-in",
                          "{{ (value_json.comfort_today | round(0) | int) | string if "
                          "value_json.comfort_today is not none else 'None' }}");
  o["command_topic"] = t.set;
  o["command_template"] = "{\"comfort\": {{ value }}}";
  o["options"] = array{"1", "2", "3", "4", "5"};
  o["icon"] = "mdi:human-handsup";
  return o;
}

object moving_sensor(const Topics& t, const DiscoveryInfo&) {
  object o = state_reader(t, "Moving", "{{ 'ON' if value_json.motion != 'stopped' else 'OFF' }}");
  o["device_class"] = "moving";
  return o;
}

object problem_sensor(const Topics& t, const DiscoveryInfo&) {
  object o = state_reader(t, "Problem", "{{ 'ON' if value_json.fault != 'none' else 'OFF' }}");
  o["device_class"] = "problem";
  o["entity_category"] = "diagnostic";
  return o;
}

// Every entity deskd announces, in the order it announces them.
struct Entity {
  std::string_view object_id;
  std::string_view platform;
  object (*build)(const Topics&, const DiscoveryInfo&);
};

constexpr std::array<Entity, 21> kEntities{{
    {"desk", "cover", desk_cover},
    {"height", "number", height_number},
    {"posture", "select", posture_select},
    {"stop", "button", stop_button},
    {"confirm", "button", confirm_button},
    {"snooze", "button", snooze_button},
    {"clear_fault", "button", clear_fault_button},
    {"schedule", "switch", schedule_switch},
    {"sit_today", "sensor", sit_today},
    {"stand_today", "sensor", stand_today},
    {"next_change", "sensor", next_change_sensor},
    {"fault", "sensor", fault_sensor},
    {"stand_share_week", "sensor", stand_share_week},
    {"changes_week", "sensor", changes_week},
    {"longest_sit_week", "sensor", longest_sit_week},
    {"standing_streak", "sensor", standing_streak},
    {"progression_plan", "sensor", progression_plan},
    {"comfort_week", "sensor", comfort_week},
    {"comfort", "select", comfort_select},
    {"moving", "binary_sensor", moving_sensor},
    {"problem", "binary_sensor", problem_sensor},
}};

// The platform-specific options of one entity, with its unique_id.
object entity_config(const Topics& t, const Entity& e, const DiscoveryInfo& info) {
  object o = e.build(t, info);
  o["unique_id"] = t.node_id + "_" + std::string(e.object_id);
  return o;
}

object device_block(const Topics& t, const DiscoveryInfo& info) {
  object d;
  d["identifiers"] = array{boost::json::value(t.node_id)};
  d["name"] = info.desk_name;
  d["model"] = "deskd";
  d["manufacturer"] = "deskd";
  d["sw_version"] = info.sw_version;
  return d;
}

object origin_block(const DiscoveryInfo& info) {
  object o;
  o["name"] = "deskd";
  o["sw_version"] = info.sw_version;
  return o;
}

void add_availability(object& o, const Topics& t) {
  o["availability_topic"] = t.availability;
  o["payload_available"] = "online";
  o["payload_not_available"] = "offline";
}

}  // namespace

std::vector<TopicPayload> discovery_messages(const Topics& topics, config::DiscoveryMode mode,
                                             const DiscoveryInfo& info) {
  std::vector<TopicPayload> out;
  if (mode == config::DiscoveryMode::kOff) return out;
  if (mode == config::DiscoveryMode::kDevice) {
    object msg;
    msg["dev"] = device_block(topics, info);
    msg["o"] = origin_block(info);
    add_availability(msg, topics);
    object cmps;
    for (const auto& e : kEntities) {
      object c;
      c["p"] = e.platform;
      for (auto& kv : entity_config(topics, e, info)) c[kv.key()] = kv.value();
      cmps[e.object_id] = std::move(c);
    }
    msg["cmps"] = std::move(cmps);
    out.emplace_back(topics.device_discovery(), boost::json::serialize(msg));
    return out;
  }
  for (const auto& e : kEntities) {
    object msg = entity_config(topics, e, info);
    msg["device"] = device_block(topics, info);
    msg["origin"] = origin_block(info);
    add_availability(msg, topics);
    out.emplace_back(topics.entity_discovery(e.platform, e.object_id), boost::json::serialize(msg));
  }
  return out;
}

std::vector<TopicPayload> removal_messages(const Topics& topics) {
  std::vector<TopicPayload> out;
  out.emplace_back(topics.device_discovery(), "");
  for (const auto& e : kEntities) {
    out.emplace_back(topics.entity_discovery(e.platform, e.object_id), "");
  }
  return out;
}

}  // namespace deskd::mqtt
