#include "core/untrusted_text.h"

#include <algorithm>

namespace deskd::core {
namespace {

// Length of the valid UTF-8 sequence at the start of `s` (1..4), or 0 when it is not one
// (overlong forms, surrogates and code points above U+10FFFF are not valid).
std::size_t utf8_length(std::string_view s) {
  const auto byte = [&s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return n;
}

// A C0 control, DEL, or (as UTF-8, C2 80..C2 9F) a C1 control such as CSI.
bool is_control(std::string_view sequence) {
  const auto b0 = static_cast<unsigned char>(sequence[0]);
  if (sequence.size() == 1) return b0 < 0x20 || b0 == 0x7F;
  return sequence.size() == 2 && b0 == 0xC2 && static_cast<unsigned char>(sequence[1]) < 0xA0;
}

void append_escaped(std::string& out, unsigned char b) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (b) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
  }
}

}  // namespace

std::string printable_excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 16);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = utf8_length(text.substr(i));
    const std::size_t take = n == 0 ? 1 : n;
    if (i + take > max_bytes) break;
    const std::string_view sequence = text.substr(i, take);
    if (n == 0 || is_control(sequence)) {
      for (char c : sequence) append_escaped(out, static_cast<unsigned char>(c));
    } else {
      out += sequence;
    }
    i += take;
  }
  if (i < text.size()) {
    const std::size_t dropped = text.size() - i;
    out += " \xE2\x80\xA6 (" + std::to_string(dropped) +
           (dropped == 1 ? " more byte)" : " more bytes)");
  }
  return out;
}

bool is_printable(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) return false;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_length(text.substr(i));
    if (n == 0 || is_control(text.substr(i, n))) return false;
    i += n;
  }
  return true;
}

}  // namespace deskd::core
