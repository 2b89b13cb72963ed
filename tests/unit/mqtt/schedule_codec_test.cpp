#include "mqtt/schedule_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace deskd::mqtt {
namespace {

namespace json = boost::json;

core::ScheduleSettings sample() {
  core::ScheduleSettings s;
  s.windows[0] = {{9 * 60, 12 * 60}, {13 * 60, 17 * 60 + 30}};
  s.skip_dates = {{2026, 12, 24}};
  return s;
}

core::ScheduleSettings patched(const core::ScheduleSettings& current, const char* patch) {
  auto r = apply_schedule_patch(current, json::parse(patch).as_object());
  if (const auto* e = std::get_if<std::string>(&r)) ADD_FAILURE() << "unexpected error: " << *e;
  return std::get<core::ScheduleSettings>(r);
}

std::string patch_error(const core::ScheduleSettings& current, const char* patch) {
  auto r = apply_schedule_patch(current, json::parse(patch).as_object());
  if (const auto* e = std::get_if<std::string>(&r)) return *e;
  ADD_FAILURE() << "expected an error for " << patch;
  return {};
}

TEST(ScheduleCodec, DocumentHasTheAgreedShape) {
  const json::value doc = json::parse(encode_schedule(sample()));
  const json::value expected = json::parse(R"({"enabled":true,"mode":"auto","sit_minutes":30,
    "stand_minutes":20,"warn_seconds":30,"snooze_minutes":10,"nudge":false,
    "max_auto_moves_per_day":16,"max_skips_per_day":0,"require_time_sync":true,
    "busy_max_defer_minutes":60,"break_wait_minutes":10,"break_idle_seconds":60,
    "comfort_checkin":"off","windows":{"mon":["09:00-12:00","13:00-17:30"],"tue":[],"wed":[],"thu":[],"fri":[],"sat":[],
    "sun":[]},"skip_dates":["2026-12-24"],
    "progression":{"enabled":false,"start_minutes":5,"step_minutes":5,"period_days":7,
    "target_minutes":20,"start_date":null},
    "breaks":{"enabled":false,"every_minutes":60,"duration_minutes":5,"ask_walked":false}})");
  EXPECT_EQ(doc, expected);
}

TEST(ScheduleCodec, FullDocumentRoundTripsThroughPatch) {
  core::ScheduleSettings s = sample();
  s.mode = core::ScheduleMode::kRemind;
  s.progression.enabled = true;
  s.progression.start_date = core::CivilDate{2026, 1, 5};
  s.breaks.enabled = true;
  const auto back = patched(core::ScheduleSettings{}, encode_schedule(s).c_str());
  EXPECT_EQ(back, s);
}

TEST(ScheduleCodec, PatchChangesOnlyTheFieldsGiven) {
  const core::ScheduleSettings current = sample();
  const auto s = patched(current, R"({"sit_minutes":45,"mode":"confirm","transaction":"t1"})");
  EXPECT_EQ(s.sit_minutes, 45);
  EXPECT_EQ(s.mode, core::ScheduleMode::kConfirm);
  core::ScheduleSettings expected = current;
  expected.sit_minutes = 45;
  expected.mode = core::ScheduleMode::kConfirm;
  EXPECT_EQ(s, expected);
  EXPECT_EQ(patched(current, R"({"comfort_checkin":"daily"})").comfort_checkin,
            core::ComfortCheckinMode::kDaily);
  EXPECT_EQ(patched(current, R"({"comfort_checkin":"after_stand"})").comfort_checkin,
            core::ComfortCheckinMode::kAfterStand);
}

TEST(ScheduleCodec, NestedObjectsReplaceOnlyTheSubKeysGiven) {
  const core::ScheduleSettings current = sample();
  const auto s = patched(current,
                         R"({"windows":{"tue":["08:00-10:00"]},"progression":{"enabled":true,
                            "start_date":"2026-01-05"},"breaks":{"every_minutes":90}})");
  EXPECT_EQ(s.windows[0], current.windows[0]);  // mon untouched
  ASSERT_EQ(s.windows[1].size(), 1u);
  EXPECT_EQ(s.windows[1][0], (core::TimeWindow{8 * 60, 10 * 60}));
  EXPECT_TRUE(s.progression.enabled);
  EXPECT_EQ(s.progression.step_minutes, current.progression.step_minutes);
  EXPECT_EQ(s.progression.start_date, (core::CivilDate{2026, 1, 5}));
  EXPECT_EQ(s.breaks.every_minutes, 90);
  EXPECT_EQ(s.breaks.duration_minutes, current.breaks.duration_minutes);
}

TEST(ScheduleCodec, NullStartDateClearsIt) {
  core::ScheduleSettings current = sample();
  current.progression.start_date = core::CivilDate{2026, 1, 5};
  EXPECT_FALSE(patched(current, R"({"progression":{"start_date":null}})").progression.start_date);
}

TEST(ScheduleCodec, BadPatchesAreRejectedWithTheFieldName) {
  const core::ScheduleSettings c = sample();
  EXPECT_EQ(patch_error(c, R"({"frobnicate":1})"), "frobnicate: unknown field");
  EXPECT_EQ(patch_error(c, R"({"sit_minutes":"30"})"), "sit_minutes: expected an integer");
  EXPECT_EQ(patch_error(c, R"({"enabled":1})"), "enabled: expected true or false");
  EXPECT_EQ(patch_error(c, R"({"mode":"sometimes"})"),
            "mode: expected auto, confirm or remind, got 'sometimes'");
  EXPECT_EQ(patch_error(c, R"({"comfort_checkin":"weekly"})"),
            "comfort_checkin: expected off, after_stand or daily, got 'weekly'");
  EXPECT_EQ(patch_error(c, R"({"comfort_checkin":3})"), "comfort_checkin: expected a string");
  EXPECT_EQ(patch_error(c, R"({"windows":{"mon":["9:00-12:00"]}})"),
            "windows.mon[0]: malformed window '9:00-12:00'");
  EXPECT_EQ(patch_error(c, R"({"windows":{"mon":["12:00-09:00"]}})"),
            "windows.mon[0]: malformed window '12:00-09:00'");
  EXPECT_EQ(patch_error(c, R"({"windows":{"funday":[]}})"),
            "windows.funday: unknown field (expected mon..sun)");
  EXPECT_EQ(patch_error(c, R"({"windows":["09:00-12:00"]})"),
            "windows: expected an object of weekdays");
  EXPECT_EQ(patch_error(c, R"({"skip_dates":["2026-02-30"]})"),
            "skip_dates[0]: invalid date '2026-02-30'");
  EXPECT_EQ(patch_error(c, R"({"progression":{"speed":2}})"), "progression.speed: unknown field");
  EXPECT_EQ(patch_error(c, R"({"breaks":{"enabled":"yes"}})"),
            "breaks.enabled: expected true or false");
}

TEST(ScheduleCodec, PatchIsValidatedAsAWhole) {
  const core::ScheduleSettings c = sample();
  EXPECT_EQ(patch_error(c, R"({"sit_minutes":2})"),
            "sit_minutes: must be between 5 and 240, got 2");
  EXPECT_EQ(patch_error(c, R"({"windows":{"mon":["09:00-12:00","11:00-13:00"]}})"),
            "mon: windows 09:00-12:00 and 11:00-13:00 overlap");
}

TEST(ScheduleCodec, RejectedPatchLeavesCurrentUntouched) {
  const core::ScheduleSettings c = sample();
  const core::ScheduleSettings copy = c;
  patch_error(c, R"({"sit_minutes":45,"bogus":true})");
  EXPECT_EQ(c, copy);
}

}  // namespace
}  // namespace deskd::mqtt
