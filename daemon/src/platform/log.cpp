#include "platform/log.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "core/untrusted_text.h"

namespace deskd::platform {
namespace {

LogLevel g_level = LogLevel::kInfo;

bool under_journald() {
  static const bool journald = std::getenv("JOURNAL_STREAM") != nullptr;
  return journald;
}

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kNotice:
      return "notice";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// `message` as one safe line (see log.h); the common case, already printable, is not copied.
std::string_view one_line(std::string_view message, std::string& storage) {
  if (core::is_printable(message, kMaxLogMessageBytes)) return message;
  storage = core::printable_excerpt(message, kMaxLogMessageBytes);
  return storage;
}

}  // namespace

std::optional<LogLevel> log_level_from_string(std::string_view s) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kNotice, LogLevel::kWarning,
                     LogLevel::kError}) {
    if (s == level_name(l)) return l;
  }
  return std::nullopt;
}

void set_log_level(LogLevel level) { g_level = level; }
LogLevel log_level() { return g_level; }

std::string journald_line(LogLevel level, std::string_view message) {
  std::string storage;
  const std::string_view line = one_line(message, storage);
  std::string out = "<" + std::to_string(static_cast<int>(level)) + ">";
  out.append(line);
  out += '\n';
  return out;
}

void log(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) > static_cast<int>(g_level)) return;
  if (under_journald()) {
    const std::string line = journald_line(level, message);
    std::fwrite(line.data(), 1, line.size(), stderr);
  } else {
    std::string storage;
    message = one_line(message, storage);
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm local{};
    localtime_r(&ts.tv_sec, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
    std::fprintf(stderr, "%s.%03ld %-7s %.*s\n", stamp, ts.tv_nsec / 1000000, level_name(level),
                 static_cast<int>(message.size()), message.data());
  }
  std::fflush(stderr);
}

}  // namespace deskd::platform
