#pragma once

#include <string>
#include <string_view>

namespace deskd::http {

enum class TargetStatus {
  kOk,
  kBadRequest,  // malformed, encoded separators, dot segments, control or non-ASCII bytes
  kNotFound,    // well-formed but names something never served (hidden files)
};

struct DecodedTarget {
  TargetStatus status = TargetStatus::kBadRequest;
  // With kOk: the percent-decoded path relative to the web root, '/'-separated, never empty,
  // without empty, "." or ".." segments; a target ending in '/' names that folder's index.html.
  std::string path;
};

// Decodes an origin-form request-target ("/assets/app.js?v=1") into a path under the web root.
// Pure string work: the caller still resolves the result against the file system and checks that
// it stays under the root. Percent-encoding is decoded exactly once, and an encoded '/', '\',
// '%' (double encoding), NUL or other control byte is refused, so no later decoding step can
// turn the result into a traversal.
DecodedTarget decode_request_target(std::string_view target);

}  // namespace deskd::http
