#include "mqtt/timeline_codec.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

namespace deskd::mqtt {
namespace {

TEST(TimelineCodec, EncodesTodaysPeriodsWithLocalTimesAndPostureNames) {
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  core::DayTimeline t;
  EXPECT_EQ(encode_timeline(t), R"({"date":null,"periods":[]})");
  // 2026-11-22T07:00:00Z is 08:00 in Berlin.
  const core::WallTime eight =
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + std::chrono::hours(7);
  t.observe(core::Posture::kSitting, eight);
  t.observe(core::Posture::kBetween, eight + std::chrono::minutes(30));
  t.observe(core::Posture::kUnknown, eight + std::chrono::minutes(31));
  EXPECT_EQ(encode_timeline(t), R"({"date":"2026-11-22","periods":[)"
                                R"({"start":"2026-11-22T08:00:00+01:00","posture":"sitting"},)"
                                R"({"start":"2026-11-22T08:30:00+01:00","posture":"between"},)"
                                R"({"start":"2026-11-22T08:31:00+01:00","posture":"unknown"}]})");
  unsetenv("TZ");
  tzset();
}

}  // namespace
}  // namespace deskd::mqtt
