#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/stats_codec.h"

namespace deskd::core {
namespace {

std::vector<DayStats> sample() {
  return {DayStats{{2026, 11, 21}, 1800, 1200, 3, 2, 0, 1, 1800},
          DayStats{{2026, 11, 22}, 20000, 9000, 24, 16, 2, 3, 3600, 5, 7, 2, 1, 7, 2},
          DayStats{{2026, 11, 23}, 0, 0, 0, 0, 0, 0, 0}};
}

TEST(StatsCodec, SerializeThenParseRoundTrips) {
  const std::string text = serialize_stats(sample());
  EXPECT_EQ(text.substr(0, 42), "deskd-stats 4\n2026-11-21 1800 1200 3 2 0 1");
  EXPECT_NE(text.find("2026-11-22 20000 9000 24 16 2 3 3600 5 7 2 1 7 2\n"), std::string::npos);
  std::string error;
  const auto parsed = parse_stats(text, &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(*parsed, sample());
  EXPECT_EQ(parse_stats(serialize_stats({}), nullptr), std::vector<DayStats>{});
}

TEST(StatsCodec, AVersionOneFileIsReadWithNoDeferrals) {
  std::string error;
  const auto parsed = parse_stats("deskd-stats 1\n2026-11-21 1800 1200 3 2 0 1 900\n", &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].longest_sit_s, 900);
  EXPECT_EQ((*parsed)[0].deferred_busy, 0);
  EXPECT_EQ(parse_stats("deskd-stats 1\n2026-11-21 1800 1200 3 2 0 1 900 4\n", &error),
            std::nullopt);
  EXPECT_EQ(error, "line 2: expected 8 fields, got 9");
}

TEST(StatsCodec, AVersionTwoFileIsReadWithNoMovesAtAPause) {
  std::string error;
  const auto parsed = parse_stats("deskd-stats 2\n2026-11-21 1800 1200 3 2 0 1 900 4\n", &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ((*parsed)[0].deferred_busy, 4);
  EXPECT_EQ((*parsed)[0].auto_moves_at_pause, 0);
  EXPECT_EQ(parse_stats("deskd-stats 3\n2026-11-21 1800 1200 3 2 0 1 900 4 3 0 0\n", &error),
            std::nullopt);  // 3 of 2 automatic moves at a pause
  EXPECT_EQ(error, "line 2: more moves at a pause than automatic moves");
}

TEST(StatsCodec, AVersionThreeFileIsReadWithNoComfortAnswers) {
  std::string error;
  const auto parsed =
      parse_stats("deskd-stats 3\n2026-11-21 1800 1200 3 2 0 1 900 4 1 2 1\n", &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ((*parsed)[0].walked_yes, 2);
  EXPECT_EQ((*parsed)[0].walked_no, 1);
  EXPECT_EQ((*parsed)[0].comfort_sum, 0);
  EXPECT_EQ((*parsed)[0].comfort_answers, 0);
  EXPECT_EQ(parse_stats("deskd-stats 3\n2026-11-21 1800 1200 3 2 0 1 900 4 1 2 1 4 1\n", &error),
            std::nullopt);
  EXPECT_EQ(error, "line 2: expected 12 fields, got 14");
}

TEST(StatsCodec, AComfortSumOutsideOneToFivePerAnswerIsCorrupt) {
  std::string error;
  EXPECT_TRUE(parse_stats("deskd-stats 4\n2026-11-21 1 2 3 2 0 1 0 0 0 0 0 10 2\n", &error));
  for (const char* line : {"2026-11-21 1 2 3 2 0 1 0 0 0 0 0 11 2\n",    // more than 5 each
                           "2026-11-21 1 2 3 2 0 1 0 0 0 0 0 1 2\n",     // less than 1 each
                           "2026-11-21 1 2 3 2 0 1 0 0 0 0 0 3 0\n"}) {  // a sum without answers
    EXPECT_EQ(parse_stats(std::string("deskd-stats 4\n") + line, &error), std::nullopt) << line;
    EXPECT_EQ(error, "line 2: comfort sum outside 1..5 per answer");
  }
}

struct CorruptCase {
  const char* name;
  const char* text;
  const char* error;
};

class StatsCodecCorrupt : public ::testing::TestWithParam<CorruptCase> {};

TEST_P(StatsCodecCorrupt, CorruptTextIsAnErrorWithItsLine) {
  std::string error;
  EXPECT_EQ(parse_stats(GetParam().text, &error), std::nullopt);
  EXPECT_EQ(error, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Table, StatsCodecCorrupt,
    ::testing::Values(
        CorruptCase{"Empty", "", "line 1: empty file"},
        CorruptCase{"BadHeader", "deskd-stats 5\n",
                    "line 1: expected header \"deskd-stats 4\" (or 3, 2, 1)"},
        CorruptCase{"Truncated", "deskd-stats 1\n2026-11-21 1800 12",
                    "line 2: truncated (no newline)"},
        CorruptCase{"MissingField", "deskd-stats 1\n2026-11-21 1 2 3 4 5 6\n",
                    "line 2: expected 8 fields, got 7"},
        CorruptCase{"BadDate", "deskd-stats 1\n2026-02-30 1 2 3 4 5 6 1\n", "line 2: invalid date"},
        CorruptCase{"Negative", "deskd-stats 1\n2026-11-21 -1 2 3 4 5 6 0\n",
                    "line 2: field 2 is not a count"},
        CorruptCase{"Garbage", "deskd-stats 1\n2026-11-21 1x 2 3 4 5 6 0\n",
                    "line 2: field 2 is not a count"},
        CorruptCase{"TooLong", "deskd-stats 1\n2026-11-21 90000 1 3 4 5 6 0\n",
                    "line 2: implausible durations"},
        CorruptCase{"OutOfOrder",
                    "deskd-stats 1\n2026-11-22 1 2 3 4 5 6 1\n2026-11-21 1 2 3 4 5 6 1\n",
                    "line 3: dates must increase"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(StatsCodec, RandomCorruptionNeverCrashesAndValidResultsAreSane) {
  const std::string good = serialize_stats(sample());
  std::mt19937 rng(42);
  int rejected = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[pos] = static_cast<char>(rng() % 256);
          break;
        case 1:
          text.erase(pos, 1 + rng() % 5);
          break;
        default:
          text.insert(pos, 1, static_cast<char>(rng() % 256));
          break;
      }
      if (text.empty()) text = "x";
    }
    std::string error;
    const auto parsed = parse_stats(text, &error);
    if (!parsed) {
      ++rejected;
      EXPECT_EQ(error.rfind("line ", 0), 0u) << error;
      continue;
    }
    for (const auto& d : *parsed) {
      EXPECT_GE(d.sit_s, 0);
      EXPECT_LE(d.sit_s + d.stand_s, 25 * 3600);
    }
  }
  EXPECT_GT(rejected, 4000);
}

}  // namespace
}  // namespace deskd::core
