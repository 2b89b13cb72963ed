#include "http/entity_tag.h"

#include <array>
#include <cinttypes>
#include <cstdio>

#include "http/header_text.h"

namespace deskd::http {
namespace {

std::string_view strip_weak(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string make_entity_tag(std::uintmax_t size, std::int64_t mtime_ns) {
  std::array<char, 48> buf{};
  std::snprintf(buf.data(), buf.size(), "\"%jx-%" PRIx64 "\"", size,
                static_cast<std::uint64_t>(mtime_ns));
  return buf.data();
}

bool if_none_match_matches(std::string_view header, std::string_view etag) {
  if (trim_ows(header) == "*") return true;
  const auto wanted = strip_weak(etag);
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = trim_ows(header.substr(0, comma));
    if (!item.empty() && strip_weak(item) == wanted) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace deskd::http
