#include "mqtt/topics.h"

namespace deskd::mqtt {

std::string Topics::response(std::string_view op) const {
  return response_prefix + std::string(op);
}

std::string Topics::device_discovery() const {
  return discovery_prefix + "/device/" + node_id + "/config";
}

std::string Topics::entity_discovery(std::string_view platform, std::string_view object_id) const {
  return discovery_prefix + "/" + std::string(platform) + "/" + node_id + "/" +
         std::string(object_id) + "/config";
}

std::optional<std::string_view> Topics::set_key(std::string_view topic) const {
  if (topic.size() <= set_prefix.size() || !topic.starts_with(set_prefix)) return std::nullopt;
  std::string_view key = topic.substr(set_prefix.size());
  if (!valid_topic_level(key)) return std::nullopt;
  return key;
}

std::optional<std::string_view> Topics::request_op(std::string_view topic) const {
  if (topic.size() <= request_prefix.size() || !topic.starts_with(request_prefix)) {
    return std::nullopt;
  }
  return topic.substr(request_prefix.size());
}

std::vector<std::string> Topics::command_filters(bool simulated) const {
  std::vector<std::string> filters{set, set_prefix + "+", get, request_prefix + "#", ha_status};
  if (simulated) filters.push_back(sim_set);
  return filters;
}

Topics make_topics(std::string_view base_topic, std::string_view desk_id,
                   std::string_view discovery_prefix) {
  Topics t;
  t.base = std::string(base_topic) + "/" + std::string(desk_id);
  t.availability = t.base + "/availability";
  t.state = t.base + "/state";
  t.set = t.base + "/set";
  t.set_prefix = t.base + "/set/";
  t.get = t.base + "/get";
  t.schedule = t.base + "/schedule";
  t.request_prefix = t.base + "/request/";
  t.response_prefix = t.base + "/response/";
  t.event = t.base + "/event";
  t.stats = t.base + "/stats";
  t.progress = t.base + "/progress";
  t.timeline = t.base + "/timeline";
  t.sim_set = t.base + "/sim/set";
  t.discovery_prefix = std::string(discovery_prefix);
  t.ha_status = t.discovery_prefix + "/status";
  t.node_id = "deskd_" + std::string(desk_id);
  return t;
}

bool valid_topic_level(std::string_view level) {
  return !level.empty() && level.find_first_of(std::string_view("/+#\0", 4)) == level.npos;
}

bool valid_topic_name(std::string_view topic) {
  if (topic.empty() || topic.size() > 65535) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = topic.find('/', start);
    std::string_view level = topic.substr(start, slash == topic.npos ? topic.npos : slash - start);
    if (!valid_topic_level(level)) return false;
    if (slash == topic.npos) return true;
    start = slash + 1;
  }
}

bool valid_discovery_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace deskd::mqtt
