#include "mqtt/progress_codec.h"

#include <boost/json/serialize.hpp>
#include <cmath>

namespace deskd::mqtt {
namespace {

boost::json::value rounded(std::optional<double> v, double scale) {
  if (!v) return nullptr;
  return std::round(*v * scale) / scale;
}

boost::json::value trend(std::optional<core::Trend> t) {
  if (!t) return nullptr;
  return boost::json::string(core::to_string(*t));
}

boost::json::object week(const core::WeekFigures& w) {
  boost::json::object o;
  o["from"] = core::format_date(w.from);
  o["to"] = core::format_date(w.to);
  o["working_days"] = w.working_days;
  o["working_s"] = w.working_s;
  o["sit_s"] = w.sit_s;
  o["stand_s"] = w.stand_s;
  o["stand_share"] = rounded(w.stand_share(), 1000.0);
  o["changes"] = w.changes;
  o["changes_per_hour"] = rounded(w.changes_per_hour(), 100.0);
  o["longest_sit_s"] = w.longest_sit_s;
  o["has_data"] = w.has_data;
  return o;
}

boost::json::object streak(const core::Streak& s) {
  boost::json::object o;
  o["days"] = s.days;
  o["today_working"] = s.today_working;
  o["today_met"] = s.today_met;
  o["today_goal_s"] = s.today_goal_s;
  o["today_stand_s"] = s.today_stand_s;
  o["today_minutes"] = s.today_minutes;
  return o;
}

boost::json::object plan(const core::ProgressPlan& p) {
  boost::json::object o;
  o["progression"] = p.progression;
  o["minutes"] = p.minutes;
  o["target_minutes"] = p.target_minutes;
  if (p.next) {
    o["next"] = boost::json::object{{"date", core::format_date(p.next->date)},
                                    {"minutes", p.next->minutes}};
  } else {
    o["next"] = nullptr;
  }
  o["text"] = p.text;
  if (p.decision) {
    o["decision"] = boost::json::object{{"kind", core::to_string(p.decision->kind)},
                                        {"date", core::format_date(p.decision->date)},
                                        {"minutes", p.decision->minutes},
                                        {"reason", p.decision->reason}};
  } else {
    o["decision"] = nullptr;
  }
  return o;
}

boost::json::object comfort(const core::ComfortFigures& c) {
  return boost::json::object{{"this_week", rounded(c.this_week, 10.0)},
                             {"last_week", rounded(c.last_week, 10.0)},
                             {"trend", trend(c.trend)},
                             {"answers_this_week", c.answers_this_week}};
}

}  // namespace

boost::json::object progress_to_json(const core::Progress& p) {
  boost::json::object o;
  o["date"] = core::format_date(p.today);
  o["week_start"] = core::format_date(p.week_start);
  o["this_week"] = week(p.this_week);
  o["last_week"] = week(p.last_week);
  o["trend"] = boost::json::object{{"stand_share", trend(p.trend.stand_share)},
                                   {"changes", trend(p.trend.changes)},
                                   {"longest_sit", trend(p.trend.longest_sit)}};
  o["streak"] = streak(p.streak);
  o["plan"] = plan(p.plan);
  o["comfort"] = comfort(p.comfort);
  o["summary"] =
      boost::json::object{{"went_well", p.summary.went_well}, {"suggestion", p.summary.suggestion}};
  return o;
}

std::string encode_progress(const core::Progress& p) {
  return boost::json::serialize(progress_to_json(p));
}

}  // namespace deskd::mqtt
