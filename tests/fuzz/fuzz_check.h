#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

// Invariant checks for the fuzz targets: a broken invariant prints what was expected and
// aborts, which libFuzzer reports as a crash and saves as crash-<sha1>.
#define FUZZ_CHECK(cond, what)                                                      \
  do {                                                                              \
    if (!(cond)) ::deskd::fuzz::fail(__FILE__, __LINE__, #cond, std::string(what)); \
  } while (false)

namespace deskd::fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* cond,
                              const std::string& what) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n  %s\n", file, line, cond, what.c_str());
  std::abort();
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace deskd::fuzz
