#include "config/scheduler_memory_file.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace deskd::config {
namespace {

core::SchedulerMemory full_memory() {
  core::SchedulerMemory m;
  m.paused_until = core::WallTime(std::chrono::seconds(1'790'000'000));
  m.progression_start = core::CivilDate{2026, 1, 5};
  m.moves_date = core::CivilDate{2026, 11, 22};
  m.moves_today = 7;
  m.skips_today = 2;
  return m;
}

TEST(SchedulerMemoryFile, RoundTripsEveryField) {
  const auto m = full_memory();
  std::string error;
  const auto back = parse_scheduler_memory(serialize_scheduler_memory(m), &error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(*back, m);
}

TEST(SchedulerMemoryFile, RoundTripsAnEmptyMemory) {
  const core::SchedulerMemory m;
  const auto text = serialize_scheduler_memory(m);
  EXPECT_EQ(text.find("paused_until"), std::string::npos);
  EXPECT_EQ(text.find("progression_start"), std::string::npos);
  const auto back = parse_scheduler_memory(text, nullptr);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, m);
}

TEST(SchedulerMemoryFile, SubSecondPauseIsKeptToTheSecond) {
  core::SchedulerMemory m;
  m.paused_until = core::WallTime(std::chrono::milliseconds(1'790'000'000'900));
  const auto back = parse_scheduler_memory(serialize_scheduler_memory(m), nullptr);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back->paused_until, core::WallTime(std::chrono::seconds(1'790'000'000)));
}

TEST(SchedulerMemoryFile, AcceptsCommentsBlankLinesSpacesAndCrlf) {
  const std::string text =
      "# written by hand\r\n"
      "\n"
      "   moves_today=3   \r\n"
      "\tmoves_date =  2026-02-28\n"
      "paused_until = 0\n";
  std::string error;
  const auto m = parse_scheduler_memory(text, &error);
  ASSERT_TRUE(m.has_value()) << error;
  EXPECT_EQ(m->moves_today, 3);
  EXPECT_EQ(m->moves_date, (core::CivilDate{2026, 2, 28}));
  EXPECT_EQ(m->paused_until, core::WallTime{});
}

TEST(SchedulerMemoryFile, AFileWithoutAFinalNewlineIsRead) {
  const auto m = parse_scheduler_memory("moves_today = 4", nullptr);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->moves_today, 4);
}

TEST(SchedulerMemoryFile, CorruptInputIsRefusedWithTheLineAndTheReason) {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"moves_today = 1\ngarbage\n", "line 2: expected key = value"},
      {"\x01\x02\xff\n", "line 1: expected key = value"},
      {"colour = blue\n", "line 1: unknown key 'colour'"},
      {"paused_until = soon\n", "line 1: paused_until: expected Unix seconds"},
      {"paused_until = -1\n", "line 1: paused_until: expected Unix seconds"},
      {"paused_until = 12abc\n", "line 1: paused_until: expected Unix seconds"},
      // Beyond what system_clock can hold: refused rather than overflowing.
      {"paused_until = 9223372036854775807\n", "line 1: paused_until: expected Unix seconds"},
      {"# c\nmoves_date = 2026-13-01\n", "line 2: moves_date: expected YYYY-MM-DD"},
      {"progression_start = 2026-02-30\n", "line 1: progression_start: expected YYYY-MM-DD"},
      {"progression_start = \n", "line 1: progression_start: expected YYYY-MM-DD"},
      {"moves_today = -1\n", "line 1: moves_today: expected 0..1000"},
      {"moves_today = 1001\n", "line 1: moves_today: expected 0..1000"},
      {"moves_today = 99999999999999999999\n", "line 1: moves_today: expected 0..1000"},
      // A file cut off in the middle of a value.
      {"moves_date = 2026-11-2", "line 1: moves_date: expected YYYY-MM-DD"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_FALSE(parse_scheduler_memory(c.text, &error).has_value()) << c.text;
    EXPECT_EQ(error, c.error) << c.text;
  }
}

TEST(SchedulerMemoryFile, ErrorOutputIsOptional) {
  EXPECT_FALSE(parse_scheduler_memory("nonsense", nullptr).has_value());
}

}  // namespace
}  // namespace deskd::config
