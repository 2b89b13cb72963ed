#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace deskd::platform {

enum class LogLevel { kDebug = 7, kInfo = 6, kNotice = 5, kWarning = 4, kError = 3 };

std::optional<LogLevel> log_level_from_string(std::string_view s);

// Process-wide logging to stderr. Under systemd (JOURNAL_STREAM set) each line carries a
// journald priority prefix ("<4>"); otherwise a local timestamp and the level name.
// Only the event-loop thread logs, so no locking is needed beyond stderr's own.
// One message is always one line with deskd's own prefix: control characters and invalid UTF-8
// in `message` are escaped and it is cut at kMaxLogMessageBytes (core/untrusted_text.h), so no
// text inside a message can start a line of its own ("\n<0>...") or be split by journald
// (LineMax, 48K by default) into entries whose "<N>" it would then read as a priority.
inline constexpr std::size_t kMaxLogMessageBytes = 4096;
void set_log_level(LogLevel level);
LogLevel log_level();
void log(LogLevel level, std::string_view message);
// The line log() writes under journald, newline included: "<6>message\n".
std::string journald_line(LogLevel level, std::string_view message);

inline void log_debug(std::string_view m) { log(LogLevel::kDebug, m); }
inline void log_info(std::string_view m) { log(LogLevel::kInfo, m); }
inline void log_notice(std::string_view m) { log(LogLevel::kNotice, m); }
inline void log_warning(std::string_view m) { log(LogLevel::kWarning, m); }
inline void log_error(std::string_view m) { log(LogLevel::kError, m); }

}  // namespace deskd::platform
