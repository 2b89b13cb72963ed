#include "http/cache_policy.h"

namespace deskd::http {

std::string_view cache_control_for(std::string_view path) {
  if (path == "config.json" || path == "index.html" || path.ends_with("/index.html")) {
    return "no-cache";
  }
  if (path.starts_with("assets/")) return "public, max-age=31536000, immutable";
  return "public, max-age=300";
}

}  // namespace deskd::http
