#include "mqtt/state_codec.h"

#include <boost/json/serialize.hpp>
#include <cmath>

namespace deskd::mqtt {
namespace {

template <typename T>
boost::json::value nullable(const std::optional<T>& v) {
  if (!v) return nullptr;
  return boost::json::value(*v);
}

boost::json::value whole_mm(const std::optional<double>& mm) {
  if (!mm) return nullptr;
  return std::lround(*mm);
}

// {"protocol", "presets_mm": [4 x mm|null], "limits_mm": {physical_min, physical_max, user_min,
// user_max}} as the controller reported them.
boost::json::object controller_to_json(const StateView::Controller& c) {
  boost::json::array presets;
  for (const auto& p : c.memory.presets) presets.push_back(whole_mm(p));
  boost::json::object limits;
  limits["physical_min"] = whole_mm(c.memory.physical_min);
  limits["physical_max"] = whole_mm(c.memory.physical_max);
  limits["user_min"] = whole_mm(c.memory.user_min);
  limits["user_max"] = whole_mm(c.memory.user_max);
  boost::json::object o;
  o["protocol"] = c.protocol;
  o["presets_mm"] = std::move(presets);
  o["limits_mm"] = std::move(limits);
  return o;
}

}  // namespace

boost::json::object state_to_json(const StateView& s) {
  boost::json::object o;
  o["height_mm"] = nullable(s.height_mm);
  o["position"] = nullable(s.position);
  o["target_mm"] = nullable(s.target_mm);
  o["motion"] = core::to_string(s.motion);
  o["posture"] = core::to_string(s.posture);
  o["calibrated"] = s.calibrated;
  o["height_uncertainty_mm"] = s.height_uncertainty_mm;
  o["fault"] = core::to_string(s.fault);
  o["fault_detail"] = s.fault_detail;
  o["schedule_enabled"] = s.schedule_enabled;
  o["mode"] = core::to_string(s.mode);
  o["phase"] = s.phase;
  o["phase_reason"] = s.phase_reason;
  o["next_change"] = nullable(s.next_change);
  if (s.next_posture) {
    o["next_posture"] = core::to_string(*s.next_posture);
  } else {
    o["next_posture"] = nullptr;
  }
  o["sit_today_s"] = s.sit_today_s;
  o["stand_today_s"] = s.stand_today_s;
  o["transitions_today"] = s.transitions_today;
  o["longest_sit_today_s"] = s.longest_sit_today_s;
  o["min_height_mm"] = s.min_height_mm;
  o["max_height_mm"] = s.max_height_mm;
  o["sit_height_mm"] = s.sit_height_mm;
  o["stand_height_mm"] = s.stand_height_mm;
  boost::json::object presets;
  for (const auto& [name, mm] : s.presets) presets[name] = mm;
  o["presets"] = std::move(presets);
  o["stand_minutes"] = s.stand_minutes;
  o["break_due"] = s.break_due;
  o["warning_remaining_s"] = nullable(s.warning_remaining_s);
  o["skips_left"] = nullable(s.skips_left);
  o["walk_question"] = s.walk_question;
  o["comfort_question"] = s.comfort_question;
  if (s.comfort_today) {
    o["comfort_today"] = std::round(*s.comfort_today * 10.0) / 10.0;
  } else {
    o["comfort_today"] = nullptr;
  }
  o["version"] = s.version;
  if (s.now) o["now"] = *s.now;
  o["time_scale"] = s.time_scale;
  o["storage"] = s.storage_ok ? "ok" : "error";
  o["storage_detail"] = s.storage_detail;
  if (s.controller) o["controller"] = controller_to_json(*s.controller);
  return o;
}

std::string encode_state(const StateView& s) { return boost::json::serialize(state_to_json(s)); }

}  // namespace deskd::mqtt
