#include "core/schedule_settings.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "core/schedule_fields.h"

namespace deskd::core {
namespace {

// Parses exactly `digits` decimal digits at text[pos...].
std::optional<int> digits_at(std::string_view text, std::size_t pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// "HH:MM" -> minutes since midnight, 00:00..24:00.
std::optional<int> parse_hhmm(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  auto h = digits_at(t, 0, 2);
  auto m = digits_at(t, 3, 2);
  if (!h || !m || *m >= 60 || *h > 24 || (*h == 24 && *m != 0)) return std::nullopt;
  return *h * 60 + *m;
}

std::string hhmm(int minutes) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d:%02d", minutes / 60, minutes % 60);
  return buf.data();
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// The first integer field of `group` outside its range (kScheduleFields), by name.
std::optional<std::string> check_ranges(const ScheduleSettings& s, FieldGroup group) {
  for (const auto& f : kScheduleFields) {
    if (f.group != group || f.kind != FieldKind::kInt) continue;
    const int v = int_value(f, s);
    if (v < f.min || v > f.max) {
      return qualified_key(f) + ": must be between " + std::to_string(f.min) + " and " +
             std::to_string(f.max) + ", got " + std::to_string(v);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ScheduleMode m) {
  switch (m) {
    case ScheduleMode::kAuto:
      return "auto";
    case ScheduleMode::kConfirm:
      return "confirm";
    case ScheduleMode::kRemind:
      return "remind";
  }
  return "auto";
}

std::optional<ScheduleMode> schedule_mode_from_string(std::string_view s) {
  if (s == "auto") return ScheduleMode::kAuto;
  if (s == "confirm") return ScheduleMode::kConfirm;
  if (s == "remind") return ScheduleMode::kRemind;
  return std::nullopt;
}

std::string_view to_string(ComfortCheckinMode m) {
  switch (m) {
    case ComfortCheckinMode::kOff:
      return "off";
    case ComfortCheckinMode::kAfterStand:
      return "after_stand";
    case ComfortCheckinMode::kDaily:
      return "daily";
  }
  return "off";
}

std::optional<ComfortCheckinMode> comfort_checkin_from_string(std::string_view s) {
  if (s == "off") return ComfortCheckinMode::kOff;
  if (s == "after_stand") return ComfortCheckinMode::kAfterStand;
  if (s == "daily") return ComfortCheckinMode::kDaily;
  return std::nullopt;
}

std::optional<TimeWindow> parse_window(std::string_view text) {
  if (text.size() != 11 || text[5] != '-') return std::nullopt;
  auto start = parse_hhmm(text.substr(0, 5));
  auto end = parse_hhmm(text.substr(6, 5));
  if (!start || !end || *start >= *end) return std::nullopt;
  return TimeWindow{*start, *end};
}

std::string format_window(TimeWindow w) { return hhmm(w.start_min) + "-" + hhmm(w.end_min); }

std::optional<CivilDate> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits_at(text, 0, 4);
  auto m = digits_at(text, 5, 2);
  auto d = digits_at(text, 8, 2);
  if (!y || !m || !d || *y < 1970 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m)) {
    return std::nullopt;
  }
  return CivilDate{*y, *m, *d};
}

std::string format_date(CivilDate d) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf.data();
}

std::optional<std::string> validate(const ScheduleSettings& s) {
  if (auto e = check_ranges(s, FieldGroup::kTop)) return e;
  for (std::size_t day = 0; day < s.windows.size(); ++day) {
    const std::string key(kWeekdayKeys[day]);
    auto ws = s.windows[day];
    for (const auto& w : ws) {
      if (w.start_min < 0 || w.end_min > 1440 || w.start_min >= w.end_min) {
        return key + ": window " + format_window(w) + " is reversed or empty";
      }
    }
    std::sort(ws.begin(), ws.end(),
              [](const TimeWindow& a, const TimeWindow& b) { return a.start_min < b.start_min; });
    for (std::size_t i = 1; i < ws.size(); ++i) {
      if (ws[i].start_min < ws[i - 1].end_min) {
        return key + ": windows " + format_window(ws[i - 1]) + " and " + format_window(ws[i]) +
               " overlap";
      }
    }
  }
  for (const auto& d : s.skip_dates) {
    if (!parse_date(format_date(d))) return "skip_dates: invalid date " + format_date(d);
  }
  const auto& p = s.progression;
  if (p.enabled) {
    if (auto e = check_ranges(s, FieldGroup::kProgression)) return e;
    if (p.start_minutes > p.target_minutes) {
      return std::string("progression.start_minutes: must not exceed target_minutes");
    }
  }
  if (s.breaks.enabled) {
    if (auto e = check_ranges(s, FieldGroup::kBreaks)) return e;
    if (s.breaks.duration_minutes >= s.breaks.every_minutes) {
      return std::string("breaks.duration_minutes: must be shorter than every_minutes");
    }
  }
  for (const auto& [key, topic] :
       {std::pair<const char*, const std::string&>{"presence_topic", s.presence_topic},
        {"busy_topic", s.busy_topic},
        {"activity_topic", s.activity_topic}}) {
    if (topic.find_first_of("+#") != std::string::npos) {
      return std::string(key) + ": must not contain + or #";
    }
  }
  return std::nullopt;
}

bool same_topics(const ScheduleSettings& a, const ScheduleSettings& b) {
  return a.presence_topic == b.presence_topic && a.busy_topic == b.busy_topic &&
         a.activity_topic == b.activity_topic;
}

void keep_topics(const ScheduleSettings& running, ScheduleSettings& next) {
  next.presence_topic = running.presence_topic;
  next.busy_topic = running.busy_topic;
  next.activity_topic = running.activity_topic;
}

}  // namespace deskd::core
