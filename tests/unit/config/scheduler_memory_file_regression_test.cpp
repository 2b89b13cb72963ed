// Regressions found by tests/fuzz/scheduler_memory_fuzz.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "config/scheduler_memory_file.h"

namespace deskd::config {
namespace {

// The last whole second system_clock (int64 nanoseconds) can hold: 2262-04-11T23:47:16Z.
constexpr std::int64_t kLastSecond = 9'223'372'036;

// fuzz crash-6d93cd58: paused_until up to "year 3000" (32503680000) was accepted, but seconds
// beyond kLastSecond overflow system_clock's nanoseconds (undefined behaviour; in practice a
// pause that wraps to a time long past, so a kept pause was silently lost).
TEST(SchedulerMemoryFileRegression, PauseBeyondTheClockRangeIsRefusedNotWrapped) {
  for (const std::string value : {"11764590400", "9223372037", "32503680000"}) {
    std::string error;
    const auto m = parse_scheduler_memory("paused_until = " + value + "\n", &error);
    EXPECT_FALSE(m.has_value()) << value;
    EXPECT_EQ(error, "line 1: paused_until: expected Unix seconds") << value;
  }
}

TEST(SchedulerMemoryFileRegression, LatestRepresentablePauseRoundTrips) {
  std::string error;
  const auto m =
      parse_scheduler_memory("paused_until = " + std::to_string(kLastSecond) + "\n", &error);
  ASSERT_TRUE(m.has_value()) << error;
  ASSERT_TRUE(m->paused_until.has_value());
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::seconds>(m->paused_until->time_since_epoch()).count(),
      kLastSecond);
  const auto back = parse_scheduler_memory(serialize_scheduler_memory(*m), &error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(*back, *m);
}

}  // namespace
}  // namespace deskd::config
