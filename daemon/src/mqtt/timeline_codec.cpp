#include "mqtt/timeline_codec.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/schedule_settings.h"
#include "mqtt/iso_time.h"

namespace deskd::mqtt {

std::string encode_timeline(const core::DayTimeline& timeline) {
  boost::json::object o;
  if (auto d = timeline.date()) {
    o["date"] = core::format_date(*d);
  } else {
    o["date"] = nullptr;
  }
  boost::json::array periods;
  for (const auto& p : timeline.periods()) {
    periods.push_back(boost::json::object{{"start", format_local_iso8601(p.start)},
                                          {"posture", core::to_string(p.posture)}});
  }
  o["periods"] = std::move(periods);
  return boost::json::serialize(o);
}

}  // namespace deskd::mqtt
