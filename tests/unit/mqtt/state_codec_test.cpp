#include "mqtt/state_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "mqtt/iso_time.h"
#include "mqtt/position.h"

namespace deskd::mqtt {
namespace {

namespace json = boost::json;

TEST(StateCodec, EncodesEveryContractFieldWithCoreNames) {
  StateView s;
  s.height_mm = 1100;
  s.position = 74;
  s.motion = core::Drive::kUp;
  s.posture = core::Posture::kStanding;
  s.calibrated = true;
  s.fault = core::Fault::kObstruction;
  s.fault_detail = "stopped at 800 mm";
  s.mode = core::ScheduleMode::kConfirm;
  s.phase = "counting";
  s.next_change = "2026-11-22T10:30:00+01:00";
  s.next_posture = core::Posture::kSitting;
  s.sit_today_s = 1800;
  s.stand_today_s = 1200;
  s.transitions_today = 3;
  s.height_uncertainty_mm = 8;
  s.longest_sit_today_s = 1700;
  s.presets = {{"focus", 1000}};
  s.version = "0.1.0";
  const json::object o = json::parse(encode_state(s)).as_object();
  EXPECT_EQ(o.at("height_mm").as_int64(), 1100);
  EXPECT_EQ(o.at("position").as_int64(), 74);
  EXPECT_TRUE(o.at("target_mm").is_null());
  EXPECT_EQ(o.at("motion").as_string(), "up");
  EXPECT_EQ(o.at("posture").as_string(), "standing");
  EXPECT_EQ(o.at("calibrated").as_bool(), true);
  EXPECT_EQ(o.at("height_uncertainty_mm").as_int64(), 8);
  EXPECT_EQ(o.at("fault").as_string(), "obstruction");
  EXPECT_EQ(o.at("fault_detail").as_string(), "stopped at 800 mm");
  EXPECT_EQ(o.at("schedule_enabled").as_bool(), true);
  EXPECT_EQ(o.at("mode").as_string(), "confirm");
  EXPECT_EQ(o.at("phase").as_string(), "counting");
  EXPECT_EQ(o.at("phase_reason").as_string(), "");
  EXPECT_EQ(o.at("next_change").as_string(), "2026-11-22T10:30:00+01:00");
  EXPECT_EQ(o.at("next_posture").as_string(), "sitting");
  EXPECT_EQ(o.at("sit_today_s").as_int64(), 1800);
  EXPECT_EQ(o.at("stand_today_s").as_int64(), 1200);
  EXPECT_EQ(o.at("transitions_today").as_int64(), 3);
  EXPECT_EQ(o.at("longest_sit_today_s").as_int64(), 1700);
  EXPECT_EQ(o.at("min_height_mm").as_int64(), 620);
  EXPECT_EQ(o.at("max_height_mm").as_int64(), 1270);
  EXPECT_EQ(o.at("sit_height_mm").as_int64(), 720);
  EXPECT_EQ(o.at("stand_height_mm").as_int64(), 1100);
  EXPECT_EQ(o.at("presets").as_object().at("focus").as_int64(), 1000);
  EXPECT_EQ(o.at("stand_minutes").as_int64(), 20);
  EXPECT_EQ(o.at("break_due").as_bool(), false);
  EXPECT_TRUE(o.at("warning_remaining_s").is_null());
  EXPECT_TRUE(o.at("skips_left").is_null());  // no daily skip limit
  EXPECT_EQ(o.at("version").as_string(), "0.1.0");
  EXPECT_EQ(o.at("time_scale").as_double(), 1.0);
  EXPECT_FALSE(o.contains("now"));  // only when deskd says what time it is
  EXPECT_EQ(o.at("storage").as_string(), "ok");
  EXPECT_EQ(o.at("storage_detail").as_string(), "");
  EXPECT_FALSE(o.at("walk_question").as_bool());
  EXPECT_FALSE(o.at("comfort_question").as_bool());
  EXPECT_TRUE(o.at("comfort_today").is_null());
  EXPECT_EQ(o.size(), 35u);  // nothing more than the agreed fields
}

TEST(StateCodec, CarriesAnOpenComfortCheckInAndTodaysComfort) {
  StateView s;
  s.comfort_question = true;
  s.comfort_today = 11.0 / 3.0;
  const json::object o = json::parse(encode_state(s)).as_object();
  EXPECT_TRUE(o.at("comfort_question").as_bool());
  EXPECT_DOUBLE_EQ(o.at("comfort_today").as_double(), 3.7);  // the mean to one decimal
}

TEST(StateCodec, UnknownValuesArePublishedAsNull) {
  StateView s;  // height, position, target, next change and next posture unknown
  const json::object o = json::parse(encode_state(s)).as_object();
  for (const char* key : {"height_mm", "position", "target_mm", "next_change", "next_posture",
                          "warning_remaining_s", "skips_left"}) {
    EXPECT_TRUE(o.at(key).is_null()) << key;
  }
  EXPECT_EQ(o.at("motion").as_string(), "stopped");
  EXPECT_EQ(o.at("posture").as_string(), "unknown");
  EXPECT_EQ(o.at("fault").as_string(), "none");
}

TEST(Position, MapsLimitsToZeroAndHundredAndRoundsInBetween) {
  EXPECT_EQ(position_from_height(620, 620, 1270), 0);
  EXPECT_EQ(position_from_height(1270, 620, 1270), 100);
  EXPECT_EQ(position_from_height(1100, 620, 1270), 74);
  EXPECT_EQ(position_from_height(600, 620, 1270), 0);
  EXPECT_EQ(position_from_height(1300, 620, 1270), 100);
  EXPECT_EQ(height_from_position(0, 620, 1270), 620);
  EXPECT_EQ(height_from_position(100, 620, 1270), 1270);
  EXPECT_EQ(height_from_position(50, 620, 1270), 945);
}

TEST(IsoTime, FormatsLocalTimeWithOffset) {
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  // 2026-11-22T09:30:00Z is 10:30 in Berlin (CET, +01:00).
  const core::WallTime t = std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} +
                           std::chrono::hours(9) + std::chrono::minutes(30);
  EXPECT_EQ(format_local_iso8601(t), "2026-11-22T10:30:00+01:00");
  setenv("TZ", "UTC", 1);
  tzset();
  EXPECT_EQ(format_local_iso8601(t), "2026-11-22T09:30:00+00:00");
  unsetenv("TZ");
  tzset();
}

}  // namespace
}  // namespace deskd::mqtt

namespace deskd::mqtt {
namespace {

TEST(StateCodec, CarriesDeskdsClockForCountdownsUnderTimeScale) {
  StateView s;
  s.now = "2026-11-22T09:00:00+01:00";
  s.time_scale = 60;
  const auto o = boost::json::parse(encode_state(s)).as_object();
  EXPECT_EQ(o.at("now").as_string(), "2026-11-22T09:00:00+01:00");
  EXPECT_EQ(o.at("time_scale").as_double(), 60.0);
}

TEST(StateCodec, StorageIsOkOrErrorWithItsDetail) {
  StateView s;
  auto o = boost::json::parse(encode_state(s)).as_object();
  EXPECT_EQ(o.at("storage").as_string(), "ok");
  EXPECT_EQ(o.at("storage_detail").as_string(), "");
  s.storage_ok = false;
  s.storage_detail = "stats.txt: No space left on device";
  o = boost::json::parse(encode_state(s)).as_object();
  EXPECT_EQ(o.at("storage").as_string(), "error");
  EXPECT_EQ(o.at("storage_detail").as_string(), "stats.txt: No space left on device");
}

TEST(StateCodec, ABusDeskCarriesTheControllersPresetsAndLimitsAsReported) {
  StateView s;
  EXPECT_FALSE(json::parse(encode_state(s)).as_object().contains("controller"));  // no bus
  s.controller = StateView::Controller{"jiecang", {}};
  s.controller->memory.presets[0] = 719.6;
  s.controller->memory.presets[3] = 1104.9;  // 0.1 inch: 435 x 2.54
  s.controller->memory.physical_min = 620;
  s.controller->memory.user_max = 1200.2;
  const auto c = json::parse(encode_state(s)).as_object().at("controller").as_object();
  EXPECT_EQ(c.at("protocol").as_string(), "jiecang");
  const auto& p = c.at("presets_mm").as_array();
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].as_int64(), 720);
  EXPECT_TRUE(p[1].is_null());  // never reported
  EXPECT_TRUE(p[2].is_null());
  EXPECT_EQ(p[3].as_int64(), 1105);
  const auto& l = c.at("limits_mm").as_object();
  EXPECT_EQ(l.at("physical_min").as_int64(), 620);
  EXPECT_TRUE(l.at("physical_max").is_null());
  EXPECT_TRUE(l.at("user_min").is_null());
  EXPECT_EQ(l.at("user_max").as_int64(), 1200);
}

}  // namespace
}  // namespace deskd::mqtt
