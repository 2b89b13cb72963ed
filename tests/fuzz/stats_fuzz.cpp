// Fuzzes the statistics file reader (core/stats_codec.h).
// Invariants: a file that parses round-trips (serialized again, it parses to the same days, in
// increasing date order); a file that does not is named "line N: ..." with N within the file.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/stats_codec.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = deskd::fuzz::as_text(data, size);
  std::string error;
  const auto days = deskd::core::parse_stats(text, &error);
  if (!days) {
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::size_t n = 0;
    const bool named = std::sscanf(error.c_str(), "line %zu: ", &n) == 1 &&
                       deskd::fuzz::starts_with(error, "line " + std::to_string(n) + ": ");
    FUZZ_CHECK(named && n >= 1 && n <= lines, "unplaced error: " + error);
    return 0;
  }
  for (std::size_t i = 1; i < days->size(); ++i) {
    FUZZ_CHECK((*days)[i - 1].date < (*days)[i].date, "dates out of order");
  }
  const std::string again = deskd::core::serialize_stats(*days);
  std::string error2;
  const auto days2 = deskd::core::parse_stats(again, &error2);
  FUZZ_CHECK(days2 && *days2 == *days, "stats do not round-trip: " + error2 + "\n" + again);
  return 0;
}
