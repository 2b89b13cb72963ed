#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace deskd::core {

// How much of an untrusted text (an MQTT payload, topic level, key or value) deskd echoes back
// in a log line, a B/event or a B/response error.
inline constexpr std::size_t kEchoBytes = 256;

// `text` made safe to print on one line: at most `max_bytes` of it (never cutting a UTF-8
// character), each control character (C0, DEL, C1) escaped as \n, \r, \t or \xNN and every byte
// that is not part of valid UTF-8 as \xNN; the rest (printable ASCII and valid UTF-8) is kept
// as is. When text was left out, " … (N more bytes)" (or "byte") follows, N counted in `text`'s
// bytes. The result never contains a byte below 0x20 or 0x7F, and is at most 4 * max_bytes + 32
// bytes.
std::string printable_excerpt(std::string_view text, std::size_t max_bytes = kEchoBytes);

// True when printable_excerpt(text, max_bytes) would return `text` unchanged.
bool is_printable(std::string_view text, std::size_t max_bytes = kEchoBytes);

}  // namespace deskd::core
