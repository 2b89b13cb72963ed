// Untrusted text is never echoed raw (DESIGN.md §4 invariant 10, issue 19): a payload can put
// neither a line break, a terminal escape nor megabytes into a log line or an echo.
#include "core/untrusted_text.h"

#include <gtest/gtest.h>

#include <string>

namespace deskd::core {
namespace {

using namespace std::string_literals;

bool has_control_byte(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

TEST(PrintableExcerpt, PlainTextAndUtf8AreKeptAsTheyAre) {
  EXPECT_EQ(printable_excerpt(R"({"height_mm":900})"), R"({"height_mm":900})");
  EXPECT_EQ(printable_excerpt("Schreibtisch \xC3\xBC \xE2\x82\xAC \xF0\x9F\xAA\x91"),
            "Schreibtisch \xC3\xBC \xE2\x82\xAC \xF0\x9F\xAA\x91");
  EXPECT_EQ(printable_excerpt(""), "");
  EXPECT_TRUE(is_printable("stand \xE2\x82\xAC"));
}

TEST(PrintableExcerpt, when_a_payload_holds_a_journald_priority_line_expect_one_escaped_line) {
  const std::string out = printable_excerpt("x\n<0>deskd: EMERGENCY\r\n");
  EXPECT_EQ(out, R"(x\n<0>deskd: EMERGENCY\r\n)");
  EXPECT_EQ(out.find('\n'), std::string::npos);
  EXPECT_FALSE(is_printable("x\n<0>"));
}

TEST(PrintableExcerpt, EveryControlByteIsEscaped) {
  EXPECT_EQ(printable_excerpt("a\0b"s), R"(a\x00b)");
  EXPECT_EQ(printable_excerpt("\x1b[2J\x1b]0;title\x07"), R"(\x1b[2J\x1b]0;title\x07)");
  EXPECT_EQ(printable_excerpt("tab\there\x7f"), R"(tab\there\x7f)");
  // C1 controls (CSI is U+009B) are escaped byte by byte; U+00A0 is not a control.
  EXPECT_EQ(printable_excerpt("\xC2\x9B"
                              "31m\xC2\xA0"),
            R"(\xc2\x9b31m)"
            "\xC2\xA0");
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_FALSE(has_control_byte(printable_excerpt(all, all.size())));
}

TEST(PrintableExcerpt, InvalidUtf8IsEscapedByteByByte) {
  EXPECT_EQ(printable_excerpt("a\xFF"
                              "b"),
            R"(a\xffb)");
  EXPECT_EQ(printable_excerpt("\xC0\xAF"), R"(\xc0\xaf)");                  // overlong '/'
  EXPECT_EQ(printable_excerpt("\xED\xA0\x80"), R"(\xed\xa0\x80)");          // a surrogate
  EXPECT_EQ(printable_excerpt("\xF4\x90\x80\x80"), R"(\xf4\x90\x80\x80)");  // > U+10FFFF
  EXPECT_EQ(printable_excerpt("\xE2\x82"), R"(\xe2\x82)");                  // cut short
  EXPECT_FALSE(is_printable("\xE2\x82"));
}

TEST(PrintableExcerpt, when_text_is_longer_than_the_cap_expect_the_dropped_bytes_counted) {
  const std::string big(4u << 20, 'x');
  const std::string out = printable_excerpt(big);
  EXPECT_EQ(out, std::string(kEchoBytes, 'x') + " \xE2\x80\xA6 (" +
                     std::to_string(big.size() - kEchoBytes) + " more bytes)");
  EXPECT_EQ(printable_excerpt("abcdef", 6), "abcdef");
  EXPECT_EQ(printable_excerpt("abcdefg", 6), "abcdef \xE2\x80\xA6 (1 more byte)");
  EXPECT_FALSE(is_printable(big));
}

TEST(PrintableExcerpt, TheCapNeverSplitsAUtf8Character) {
  // "€" is 3 bytes: with 4 bytes allowed only "a€" fits, the second "€" is dropped whole.
  EXPECT_EQ(printable_excerpt("a\xE2\x82\xAC\xE2\x82\xAC", 4),
            "a\xE2\x82\xAC \xE2\x80\xA6 (3 more bytes)");
  EXPECT_EQ(printable_excerpt("a\xE2\x82\xAC", 3), "a \xE2\x80\xA6 (3 more bytes)");
}

TEST(PrintableExcerpt, TheOutputIsBoundedEvenWhenEveryByteIsEscaped) {
  const std::string hostile(1u << 20, '\x1b');
  const std::string out = printable_excerpt(hostile);
  EXPECT_LE(out.size(), 4 * kEchoBytes + 32);
  EXPECT_FALSE(has_control_byte(out));
}

}  // namespace
}  // namespace deskd::core
