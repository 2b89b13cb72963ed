#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace deskd::http {

// A strong validator for a file: changes whenever its size or modification time does.
std::string make_entity_tag(std::uintmax_t size, std::int64_t mtime_ns);

// Whether an If-None-Match header value ("*", or a comma-separated list of possibly weak tags)
// matches `etag`, using the weak comparison RFC 9110 prescribes for If-None-Match.
bool if_none_match_matches(std::string_view header, std::string_view etag);

}  // namespace deskd::http
