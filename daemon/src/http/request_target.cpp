#include "http/request_target.h"

#include <cstddef>
#include <optional>
#include <utility>

namespace deskd::http {
namespace {

constexpr std::size_t kMaxTargetLength = 2048;

// RFC 3986 pchar without '%' (unreserved, sub-delims, ':' and '@').
bool is_path_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
      return true;
    default:
      return false;
  }
}

std::optional<int> hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

DecodedTarget bad_request() { return {TargetStatus::kBadRequest, {}}; }

}  // namespace

DecodedTarget decode_request_target(std::string_view target) {
  if (target.empty() || target.front() != '/' || target.size() > kMaxTargetLength) {
    return bad_request();
  }
  const auto query = target.find_first_of("?#");
  const std::string_view raw = target.substr(0, query);

  std::string decoded;
  decoded.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '/') {
      decoded.push_back(c);
      continue;
    }
    if (c != '%') {
      if (!is_path_char(c)) return bad_request();
      decoded.push_back(c);
      continue;
    }
    if (i + 2 >= raw.size()) return bad_request();  // truncated escape
    const auto hi = hex_value(raw[i + 1]);
    const auto lo = hex_value(raw[i + 2]);
    if (!hi || !lo) return bad_request();
    const char byte = static_cast<char>(*hi * 16 + *lo);
    // An encoded separator or '%' is never legitimate in a dashboard path.
    if (!is_path_char(byte)) return bad_request();
    decoded.push_back(byte);
    i += 2;
  }

  std::string path;
  std::size_t pos = 1;  // skip the leading '/'
  while (true) {
    const auto next = decoded.find('/', pos);
    const std::string_view segment =
        std::string_view(decoded).substr(pos, next == std::string::npos ? next : next - pos);
    const bool last = next == std::string::npos;
    if (segment.empty()) {
      if (!last) return bad_request();  // "//": an empty segment, or an absolute path
      path += "index.html";
      break;
    }
    if (segment == "." || segment == "..") return bad_request();
    if (segment.front() == '.') return {TargetStatus::kNotFound, {}};
    path += segment;
    if (last) break;
    path.push_back('/');
    pos = next + 1;
  }
  return {TargetStatus::kOk, std::move(path)};
}

}  // namespace deskd::http
