#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace deskd::http {

// IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string format_http_date(std::time_t t);

// Parses an IMF-fixdate; the obsolete RFC 850 and asctime forms give nullopt, as does anything
// malformed (callers then ignore the header, which is always safe for conditional requests).
std::optional<std::time_t> parse_http_date(std::string_view text);

}  // namespace deskd::http
