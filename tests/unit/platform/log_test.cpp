// One log message is one journald line with deskd's own priority (issue 19): text inside a
// message can neither start a line of its own nor carry a "<N>" prefix journald would honour.
#include "platform/log.h"

#include <gtest/gtest.h>

#include <string>

namespace deskd::platform {
namespace {

std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(JournaldLine, APlainMessageKeepsItsPriorityPrefix) {
  EXPECT_EQ(journald_line(LogLevel::kWarning, "MQTT: connection lost"),
            "<4>MQTT: connection lost\n");
}

TEST(JournaldLine, when_a_message_holds_a_newline_and_a_priority_expect_one_escaped_line) {
  const std::string line =
      journald_line(LogLevel::kWarning, "rejected command x\n<0>deskd: EMERGENCY\r: invalid JSON");
  EXPECT_EQ(line, "<4>rejected command x\\n<0>deskd: EMERGENCY\\r: invalid JSON\n");
  EXPECT_EQ(count_lines(line), 1u);
}

TEST(JournaldLine, ControlCharactersAndInvalidUtf8AreEscaped) {
  EXPECT_EQ(journald_line(LogLevel::kInfo, std::string("a\0b\x1b[31m\xff", 9)),
            "<6>a\\x00b\\x1b[31m\\xff\n");
}

TEST(JournaldLine, when_a_message_is_huge_expect_one_capped_line) {
  const std::string message(4u << 20, 'x');
  const std::string line = journald_line(LogLevel::kError, message);
  EXPECT_EQ(count_lines(line), 1u);
  EXPECT_LT(line.size(), kMaxLogMessageBytes + 64);
  EXPECT_NE(line.find("(" + std::to_string(message.size() - kMaxLogMessageBytes) + " more bytes)"),
            std::string::npos);
}

}  // namespace
}  // namespace deskd::platform
