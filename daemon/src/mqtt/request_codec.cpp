#include "mqtt/request_codec.h"

#include <boost/json/serialize.hpp>
#include <cmath>
#include <utility>

#include "mqtt/iso_time.h"
#include "mqtt/json_util.h"
#include "mqtt/topics.h"

namespace deskd::mqtt {
namespace {

void put_transaction(boost::json::object& o, const std::optional<boost::json::value>& t) {
  if (t) o["transaction"] = *t;
}

}  // namespace

std::variant<Request, std::string> parse_request(std::string_view payload) {
  Request r;
  if (payload.find_first_not_of(" \t\r\n") == std::string_view::npos) return r;
  std::string error;
  auto obj = parse_json_object(payload, &error);
  if (!obj) return error;
  if (auto it = obj->find("transaction"); it != obj->end()) {
    // A number beyond the double range parses to infinity, which would be echoed as the bare
    // word Infinity (not JSON): refused like any other non-number.
    const boost::json::value& t = it->value();
    const bool number = t.is_number() && (!t.is_double() || std::isfinite(t.get_double()));
    if (!t.is_string() && !number) {
      return std::string("transaction: expected a string or a number");
    }
    r.transaction = it->value();
    obj->erase(it);
  }
  r.body = std::move(*obj);
  return r;
}

std::string encode_response_ok(const boost::json::value& data,
                               const std::optional<boost::json::value>& transaction) {
  boost::json::object o;
  o["status"] = "ok";
  o["data"] = data;
  put_transaction(o, transaction);
  return boost::json::serialize(o);
}

std::string encode_response_error(std::string_view message,
                                  const std::optional<boost::json::value>& transaction) {
  boost::json::object o;
  o["status"] = "error";
  o["error"] = message;
  put_transaction(o, transaction);
  return boost::json::serialize(o);
}

std::variant<std::map<std::string, int>, std::string> parse_presets_request(
    const boost::json::object& body, int min_mm, int max_mm) {
  for (const auto& kv : body) {
    if (kv.key() != "presets") return std::string(kv.key()) + ": unknown field";
  }
  auto it = body.find("presets");
  if (it == body.end()) return std::string("presets: missing");
  if (!it->value().is_object())
    return std::string("presets: expected an object of name: height_mm");
  std::map<std::string, int> presets;
  for (const auto& [k, v] : it->value().get_object()) {
    const std::string name(k);
    const std::string path = "presets." + name;
    if (!valid_discovery_id(name)) return path + ": name must be [a-zA-Z0-9_-]+";
    std::string why;
    auto mm = json_int(v, &why);
    if (!mm) return path + ": " + why;
    if (*mm < min_mm || *mm > max_mm) {
      return path + ": " + std::to_string(*mm) + " is outside " + std::to_string(min_mm) + ".." +
             std::to_string(max_mm);
    }
    presets[name] = *mm;
  }
  return presets;
}

std::variant<int, std::string> parse_count_request(const boost::json::object& body,
                                                   std::string_view key, int fallback, int max) {
  int count = fallback;
  for (const auto& [k, v] : body) {
    if (k != key) return std::string(k) + ": unknown field";
    std::string why;
    auto n = json_int(v, &why);
    if (!n) return std::string(key) + ": " + why;
    if (*n < 1 || *n > max) return std::string(key) + ": must be 1.." + std::to_string(max);
    count = *n;
  }
  return count;
}

std::optional<RequestOp> request_op_from_string(std::string_view op) {
  static constexpr std::pair<std::string_view, RequestOp> kOps[] = {
      {"schedule/get", RequestOp::kScheduleGet},
      {"schedule/set", RequestOp::kScheduleSet},
      {"schedule/preview", RequestOp::kSchedulePreview},
      {"presets/set", RequestOp::kPresetsSet},
      {"stats/get", RequestOp::kStatsGet},
      {"events/get", RequestOp::kEventsGet},
  };
  for (const auto& [name, value] : kOps) {
    if (name == op) return value;
  }
  return std::nullopt;
}

bool request_saves(RequestOp op) {
  return op == RequestOp::kScheduleSet || op == RequestOp::kPresetsSet;
}

std::variant<core::DeskSettings, std::string> apply_presets_request(
    const boost::json::object& body, const core::DeskSettings& current, int min_mm, int max_mm) {
  auto presets = parse_presets_request(body, min_mm, max_mm);
  if (auto* e = std::get_if<std::string>(&presets)) return std::move(*e);
  core::DeskSettings next = current;
  next.presets = std::get<std::map<std::string, int>>(std::move(presets));
  auto& p = next.presets;
  if (auto it = p.find("sit"); it != p.end()) next.sit_height_mm = it->second, p.erase(it);
  if (auto it = p.find("stand"); it != p.end()) next.stand_height_mm = it->second, p.erase(it);
  if (next.sit_height_mm >= next.stand_height_mm) {
    return "presets: sit (" + std::to_string(next.sit_height_mm) + " mm) must be below stand (" +
           std::to_string(next.stand_height_mm) + " mm)";
  }
  return next;
}

boost::json::object presets_to_json(const core::DeskSettings& s) {
  boost::json::object presets;
  for (const auto& [name, mm] : s.presets) presets[name] = mm;
  return {{"presets", std::move(presets)},
          {"sit_height_mm", s.sit_height_mm},
          {"stand_height_mm", s.stand_height_mm}};
}

boost::json::object preview_to_json(const std::vector<core::PlannedChange>& changes) {
  boost::json::array list;
  for (const auto& c : changes) {
    list.push_back(boost::json::object{{"at", format_local_iso8601(c.at)},
                                       {"posture", core::to_string(c.posture)}});
  }
  return {{"changes", std::move(list)}};
}

}  // namespace deskd::mqtt
