#pragma once

#include <string_view>

namespace deskd::http {

// Cache-Control for a path relative to the web root (as decode_request_target() gives it):
//  - "index.html" files and "config.json": "no-cache" (always revalidated, so a new dashboard
//    build or a changed broker URL is seen at the next load);
//  - files under "assets/" (the bundler's content-hashed output): cached for a year, immutable;
//  - anything else (icons, manifest): a short max-age.
std::string_view cache_control_for(std::string_view path);

// Cache-Control for generated error pages.
inline constexpr std::string_view kNoStore = "no-store";

}  // namespace deskd::http
