#pragma once

#include <string_view>

namespace deskd::http {

// The Content-Type for a file served from the dashboard root, chosen by its extension
// (case-insensitive). Unknown extensions get "application/octet-stream".
std::string_view content_type_for(std::string_view path);

}  // namespace deskd::http
