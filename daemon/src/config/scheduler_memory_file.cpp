#include "config/scheduler_memory_file.h"

#include <charconv>
#include <chrono>
#include <sstream>

namespace deskd::config {
namespace {

// The last whole second system_clock's int64 nanoseconds can hold (2262-04-11): far beyond any
// pause. (Year 3000, the bound before, overflowed them.)
constexpr std::int64_t kMaxUnixSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(core::WallTime::max().time_since_epoch())
        .count();

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

template <typename T>
bool parse_int(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::string serialize_scheduler_memory(const core::SchedulerMemory& m) {
  std::ostringstream out;
  out << "# deskd schedule memory\n";
  if (m.paused_until) {
    out << "paused_until = "
        << std::chrono::duration_cast<std::chrono::seconds>(m.paused_until->time_since_epoch())
               .count()
        << "\n";
  }
  if (m.progression_start)
    out << "progression_start = " << core::format_date(*m.progression_start) << "\n";
  if (m.moves_date) out << "moves_date = " << core::format_date(*m.moves_date) << "\n";
  out << "moves_today = " << m.moves_today << "\n";
  if (m.skips_today > 0) out << "skips_today = " << m.skips_today << "\n";
  return out.str();
}

std::optional<core::SchedulerMemory> parse_scheduler_memory(std::string_view text,
                                                            std::string* error) {
  core::SchedulerMemory m;
  int line_no = 0;
  auto fail = [&](const std::string& why) -> std::optional<core::SchedulerMemory> {
    if (error) *error = "line " + std::to_string(line_no) + ": " + why;
    return std::nullopt;
  };
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos) return fail("expected key = value");
    auto key = trim(line.substr(0, eq));
    auto value = trim(line.substr(eq + 1));
    if (key == "paused_until") {
      std::int64_t s = 0;
      if (!parse_int(value, s) || s < 0 || s > kMaxUnixSeconds) {
        return fail("paused_until: expected Unix seconds");
      }
      m.paused_until = core::WallTime(std::chrono::seconds(s));
    } else if (key == "progression_start" || key == "moves_date") {
      auto d = core::parse_date(value);
      if (!d) return fail(std::string(key) + ": expected YYYY-MM-DD");
      (key == "moves_date" ? m.moves_date : m.progression_start) = *d;
    } else if (key == "moves_today" || key == "skips_today") {
      int& n = key == "moves_today" ? m.moves_today : m.skips_today;
      if (!parse_int(value, n) || n < 0 || n > 1000) {
        return fail(std::string(key) + ": expected 0..1000");
      }
    } else {
      return fail("unknown key '" + std::string(key) + "'");
    }
  }
  return m;
}

}  // namespace deskd::config
