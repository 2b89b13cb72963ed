// Fuzzes the HTTP request-target decoder (http/request_target.h).
// Invariants: an accepted target gives a relative path of non-empty segments, none "." or ".."
// or hidden, of path characters only (so no later decoding can make a traversal of it); the
// path, percent-encoded again byte by byte, decodes to itself; a target ending in '/' names
// index.html; "not found" is given only for a hidden segment.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz_check.h"
#include "http/request_target.h"

namespace {

using deskd::http::decode_request_target;
using deskd::http::TargetStatus;

bool path_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
}

void check_path(const std::string& path) {
  FUZZ_CHECK(!path.empty() && path.front() != '/', "path not relative: " + path);
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string segment = path.substr(start, slash - start);
    FUZZ_CHECK(!segment.empty() && segment != "." && segment != ".." && segment.front() != '.',
               "bad segment in " + path);
    for (char c : segment) FUZZ_CHECK(path_char(c), "byte outside pchar in " + path);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
}

std::string percent_encode_all(const std::string& path) {
  std::string out = "/";
  for (char c : path) {
    if (c == '/') {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target = deskd::fuzz::as_text(data, size);
  const auto decoded = decode_request_target(target);
  const std::string_view path_part = target.substr(0, target.find_first_of("?#"));
  switch (decoded.status) {
    case TargetStatus::kOk: {
      check_path(decoded.path);
      if (!path_part.empty() && path_part.back() == '/') {
        FUZZ_CHECK(decoded.path.ends_with("index.html"), "folder without index.html");
      }
      const std::string again = percent_encode_all(decoded.path);
      if (again.size() <= 2048) {
        const auto redecoded = decode_request_target(again);
        FUZZ_CHECK(redecoded.status == TargetStatus::kOk && redecoded.path == decoded.path,
                   "path does not survive percent-encoding: " + again);
      }
      break;
    }
    case TargetStatus::kNotFound:
      FUZZ_CHECK(decoded.path.empty(), "path given with not found");
      FUZZ_CHECK(path_part.find("/.") != std::string_view::npos ||
                     path_part.find("%2e") != std::string_view::npos ||
                     path_part.find("%2E") != std::string_view::npos,
                 "not found without a hidden segment");
      break;
    case TargetStatus::kBadRequest:
      FUZZ_CHECK(decoded.path.empty(), "path given with bad request");
      break;
  }
  return 0;
}
