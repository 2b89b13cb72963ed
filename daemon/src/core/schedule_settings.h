#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deskd::core {

enum class ScheduleMode { kAuto, kConfirm, kRemind };

// When the comfort check-in ("How does your back feel? 1-5", issue 24 §3) is asked: never, when
// a standing period ends (standing -> sitting after at least ComfortCheckin::kMinStand), or once
// a day at the day's first posture change. Answers are accepted at any time, asked or not.
enum class ComfortCheckinMode { kOff, kAfterStand, kDaily };

// A working window in local time, [start, end) in minutes since local midnight; 0 <= start <
// end <= 1440 ("24:00" is allowed as an end).
struct TimeWindow {
  int start_min = 0;
  int end_min = 0;
  friend bool operator==(const TimeWindow&, const TimeWindow&) = default;
};

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

// [schedule.progression]: standing time starts at start_minutes and grows by step_minutes every
// period_days (counted from start_date) until target_minutes.
struct Progression {
  bool enabled = false;
  int start_minutes = 5;
  int step_minutes = 5;
  int period_days = 7;
  int target_minutes = 20;
  std::optional<CivilDate> start_date;  // unset: the first day deskd runs with progression on
  friend bool operator==(const Progression&, const Progression&) = default;
};

// [schedule.breaks]: every every_minutes of work, a reminder to walk for duration_minutes.
struct MovementBreaks {
  bool enabled = false;
  int every_minutes = 60;
  int duration_minutes = 5;
  bool ask_walked = false;  // after each break: "Did you walk?" (yes/no, counted)
  friend bool operator==(const MovementBreaks&, const MovementBreaks&) = default;
};

// The whole schedule, from [schedule] and replaced at run time by schedule/set. Weekday index 0
// is Monday ... 6 is Sunday. A day without windows has no working time.
struct ScheduleSettings {
  bool enabled = true;
  ScheduleMode mode = ScheduleMode::kAuto;
  int sit_minutes = 30;     // 5..240
  int stand_minutes = 20;   // 5..240
  int warn_seconds = 30;    // 0..600
  int snooze_minutes = 10;  // 1..240
  bool nudge = false;       // confirm mode: nudge the desk a few mm up and back as the prompt
  int max_auto_moves_per_day = 16;  // 0..100
  // Skips a day (0..50; 0: no limit). Beyond it, Skip snoozes instead (snooze_minutes); Pause
  // for today and the handset always work.
  int max_skips_per_day = 0;
  bool require_time_sync = true;
  std::array<std::vector<TimeWindow>, 7> windows;
  std::vector<CivilDate> skip_dates;
  Progression progression;
  MovementBreaks breaks;
  // Busy (fed over MQTT: a call, a meeting): no warning and no automatic move while busy; a
  // change that falls due waits up to busy_max_defer_minutes, then is skipped. Empty topic =
  // not used (never busy); with a topic, unknown (no message yet, broker unreachable) is busy.
  std::string busy_topic;
  int busy_max_defer_minutes = 60;  // 0..480
  // Natural breaks (fed over MQTT from the person's computer: active, idle, locked). A change
  // that falls due waits up to break_wait_minutes for a pause of at least break_idle_seconds,
  // then is warned at once; no pause in time: warned as without it. A locked session is absence.
  // Empty topic = not used; unknown activity (no message yet, broker unreachable) = no waiting.
  std::string activity_topic;
  int break_wait_minutes = 10;  // 0..60 (0: never wait)
  int break_idle_seconds = 60;  // 10..1800
  // The comfort check-in (off by default: a new question is the owner's choice, like ask_walked).
  ComfortCheckinMode comfort_checkin = ComfortCheckinMode::kOff;
  // Presence (fed over MQTT): empty topic = presence is not used (always present).
  std::string presence_topic;
  std::vector<std::string> presence_on{"on", "home", "true"};
  std::vector<std::string> presence_off{"off", "not_home", "false"};
  friend bool operator==(const ScheduleSettings&, const ScheduleSettings&) = default;
};

// The MQTT topics the schedule listens to (presence, busy, activity) are subscribed at start-up:
// a reload or schedule/set keeps the running ones.
bool same_topics(const ScheduleSettings& a, const ScheduleSettings& b);
void keep_topics(const ScheduleSettings& running, ScheduleSettings& next);

inline constexpr std::array<std::string_view, 7> kWeekdayKeys{"mon", "tue", "wed", "thu",
                                                              "fri", "sat", "sun"};

std::string_view to_string(ScheduleMode m);
std::optional<ScheduleMode> schedule_mode_from_string(std::string_view s);
std::string_view to_string(ComfortCheckinMode m);  // "off" | "after_stand" | "daily"
std::optional<ComfortCheckinMode> comfort_checkin_from_string(std::string_view s);

// "09:00-12:00" -> window. Rejects malformed text, minutes >= 60, reversed or empty windows.
std::optional<TimeWindow> parse_window(std::string_view text);
std::string format_window(TimeWindow w);
// "2026-12-24" -> date (validated against the calendar).
std::optional<CivilDate> parse_date(std::string_view text);
std::string format_date(CivilDate d);

// Checks the whole schedule. Returns nullopt when valid, else a message that starts with the
// field's name, e.g. "sit_minutes: must be between 5 and 240" or "mon: windows overlap".
std::optional<std::string> validate(const ScheduleSettings& s);

}  // namespace deskd::core
