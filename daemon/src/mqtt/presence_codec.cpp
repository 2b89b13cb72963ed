#include "mqtt/presence_codec.h"

#include <algorithm>

namespace deskd::mqtt {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_word(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

bool listed(std::string_view payload, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [payload](const std::string& w) { return same_word(payload, w); });
}

}  // namespace

std::string_view trimmed_payload(std::string_view payload) {
  const auto first = payload.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return payload.substr(first, payload.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<bool> parse_presence(std::string_view payload, const std::vector<std::string>& on,
                                   const std::vector<std::string>& off) {
  if (listed(payload, on)) return true;
  if (listed(payload, off)) return false;
  return std::nullopt;
}

}  // namespace deskd::mqtt
