#pragma once

#include <string_view>

namespace deskd::http {

// `s` without the optional whitespace (spaces and tabs, RFC 9110 "OWS") around it.
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace deskd::http
