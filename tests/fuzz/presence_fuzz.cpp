// Fuzzes the presence payload (mqtt/presence_codec.h) with fuzzed word lists.
// Input: "<payload>\n<on words, one a line>\n\n<off words, one a line>".
// Invariants: the answer does not depend on the payload's ASCII case; "present" only for a
// payload equal (ignoring case) to an on word, "absent" only for an off word that is not also an
// on word, and nothing otherwise.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "mqtt/presence_codec.h"

namespace {

std::string with_case(std::string_view s, bool upper) {
  std::string out(s);
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool contains_word(const std::vector<std::string>& words, std::string_view payload) {
  for (const auto& w : words) {
    if (with_case(w, false) == with_case(payload, false)) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = deskd::fuzz::as_text(data, size);
  std::vector<std::string> on;
  std::vector<std::string> off;
  const std::size_t nl = in.find('\n');
  const std::string_view payload = in.substr(0, nl);
  in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  std::vector<std::string>* list = &on;
  while (!in.empty()) {
    const std::size_t end = in.find('\n');
    const std::string_view word = in.substr(0, end);
    if (word.empty() && list == &on) {
      list = &off;
    } else {
      list->emplace_back(word);
    }
    in = end == std::string_view::npos ? std::string_view() : in.substr(end + 1);
  }
  if (on.empty() && off.empty()) {  // the defaults of core::ScheduleSettings
    on = {"on", "home", "true"};
    off = {"off", "not_home", "false"};
  }
  const auto present = deskd::mqtt::parse_presence(payload, on, off);
  FUZZ_CHECK(deskd::mqtt::parse_presence(with_case(payload, true), on, off) == present &&
                 deskd::mqtt::parse_presence(with_case(payload, false), on, off) == present,
             "presence depends on the payload's case");
  const bool is_on = contains_word(on, payload);
  const bool is_off = contains_word(off, payload);
  if (!present) {
    FUZZ_CHECK(!is_on && !is_off, "a listed word was ignored");
  } else if (*present) {
    FUZZ_CHECK(is_on, "present without an on word");
  } else {
    FUZZ_CHECK(is_off && !is_on, "absent without an off word (or despite an on word)");
  }
  return 0;
}
