#include "core/stats_codec.h"

#include <charconv>
#include <cstdint>

#include "core/comfort.h"
#include "core/schedule_settings.h"

namespace deskd::core {
namespace {

constexpr std::string_view kHeader = "deskd-stats 4";
constexpr std::string_view kHeaderV3 = "deskd-stats 3";  // without comfort_sum, comfort_answers
constexpr std::string_view kHeaderV2 = "deskd-stats 2";  // without auto_moves_at_pause, walked
constexpr std::string_view kHeaderV1 = "deskd-stats 1";  // without deferred_busy either
constexpr std::int64_t kMaxDaySeconds = 25 * 3600;       // a fall-back day has 25 hours

std::optional<std::int64_t> parse_count(std::string_view field) {
  if (field.empty() || field.size() > 12) return std::nullopt;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  if (ec != std::errc() || ptr != field.data() + field.size() || v < 0) return std::nullopt;
  return v;
}

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t sp = line.find(' ', pos);
    out.push_back(line.substr(pos, sp == std::string_view::npos ? sp : sp - pos));
    if (sp == std::string_view::npos) break;
    pos = sp + 1;
  }
  return out;
}

std::optional<std::vector<DayStats>> fail(std::string* error, std::size_t line,
                                          const std::string& what) {
  if (error) *error = "line " + std::to_string(line) + ": " + what;
  return std::nullopt;
}

}  // namespace

std::string serialize_stats(const std::vector<DayStats>& days) {
  std::string out(kHeader);
  out += '\n';
  for (const DayStats& d : days) {
    out += format_date(d.date);
    for (const std::int64_t v :
         {d.sit_s, d.stand_s, std::int64_t{d.transitions}, std::int64_t{d.auto_moves},
          std::int64_t{d.declined}, std::int64_t{d.snoozed}, d.longest_sit_s,
          std::int64_t{d.deferred_busy}, std::int64_t{d.auto_moves_at_pause},
          std::int64_t{d.walked_yes}, std::int64_t{d.walked_no}, std::int64_t{d.comfort_sum},
          std::int64_t{d.comfort_answers}}) {
      out += ' ';
      out += std::to_string(v);
    }
    out += '\n';
  }
  return out;
}

namespace {

// One day's line after the header: `counts` numbers after the date.
std::optional<DayStats> parse_day(std::string_view line, std::size_t counts, std::size_t line_no,
                                  std::string* error) {
  const auto bad = [&](const std::string& what) {
    if (error) *error = "line " + std::to_string(line_no) + ": " + what;
    return std::nullopt;
  };
  const auto fields = split_spaces(line);
  if (fields.size() != counts + 1) {
    return bad("expected " + std::to_string(counts + 1) + " fields, got " +
               std::to_string(fields.size()));
  }
  const auto date = parse_date(fields[0]);
  if (!date) return bad("invalid date");
  std::int64_t v[13] = {};
  for (std::size_t i = 0; i < counts; ++i) {
    const auto n = parse_count(fields[i + 1]);
    if (!n) return bad("field " + std::to_string(i + 2) + " is not a count");
    v[i] = *n;
  }
  if (v[0] + v[1] > kMaxDaySeconds || v[6] > v[0]) return bad("implausible durations");
  for (std::size_t i : {2, 3, 4, 5, 7, 8, 9, 10}) {
    if (v[i] > 100000) return bad("implausible count");
  }
  if (v[8] > v[3]) return bad("more moves at a pause than automatic moves");
  if (v[12] > 100000 || v[11] < v[12] * kMinComfort || v[11] > v[12] * kMaxComfort) {
    return bad("comfort sum outside 1..5 per answer");
  }
  return DayStats{*date,
                  v[0],
                  v[1],
                  static_cast<int>(v[2]),
                  static_cast<int>(v[3]),
                  static_cast<int>(v[4]),
                  static_cast<int>(v[5]),
                  v[6],
                  static_cast<int>(v[7]),
                  static_cast<int>(v[8]),
                  static_cast<int>(v[9]),
                  static_cast<int>(v[10]),
                  static_cast<int>(v[11]),
                  static_cast<int>(v[12])};
}

}  // namespace

std::optional<std::vector<DayStats>> parse_stats(std::string_view text, std::string* error) {
  std::vector<DayStats> days;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  std::size_t counts = 13;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return fail(error, line_no + 1, "truncated (no newline)");
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != kHeader && line != kHeaderV3 && line != kHeaderV2 && line != kHeaderV1) {
        return fail(error, 1, "expected header \"deskd-stats 4\" (or 3, 2, 1)");
      }
      counts = line == kHeader ? 13 : line == kHeaderV3 ? 11 : line == kHeaderV2 ? 8 : 7;
      continue;
    }
    auto day = parse_day(line, counts, line_no, error);
    if (!day) return std::nullopt;
    if (!days.empty() && !(days.back().date < day->date)) {
      return fail(error, line_no, "dates must increase");
    }
    days.push_back(*day);
  }
  if (line_no == 0) return fail(error, 1, "empty file");
  return days;
}

}  // namespace deskd::core
