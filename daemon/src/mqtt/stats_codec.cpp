#include "mqtt/stats_codec.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "core/comfort.h"

namespace deskd::mqtt {

boost::json::object stats_to_json(const std::vector<core::DayStats>& days) {
  boost::json::array list;
  list.reserve(days.size());
  for (const auto& d : days) {
    boost::json::object o;
    o["date"] = core::format_date(d.date);
    o["sit_s"] = d.sit_s;
    o["stand_s"] = d.stand_s;
    o["transitions"] = d.transitions;
    o["auto_moves"] = d.auto_moves;
    o["declined"] = d.declined;
    o["snoozed"] = d.snoozed;
    o["longest_sit_s"] = d.longest_sit_s;
    o["deferred_busy"] = d.deferred_busy;
    o["auto_moves_at_pause"] = d.auto_moves_at_pause;
    o["walked_yes"] = d.walked_yes;
    o["walked_no"] = d.walked_no;
    if (const auto c = core::day_comfort(d)) {
      o["comfort"] = std::round(*c * 10.0) / 10.0;  // the day's mean, one decimal
    } else {
      o["comfort"] = nullptr;
    }
    o["comfort_answers"] = d.comfort_answers;
    list.emplace_back(std::move(o));
  }
  boost::json::object doc;
  doc["days"] = std::move(list);
  return doc;
}

std::string encode_stats(const std::vector<core::DayStats>& days) {
  return boost::json::serialize(stats_to_json(days));
}

}  // namespace deskd::mqtt
