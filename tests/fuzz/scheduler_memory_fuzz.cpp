// Fuzzes the scheduler memory file reader (app/scheduler_memory_file.h).
// Invariants: a file that parses round-trips to the same memory; a rejected one is named
// "line N: <what>" with N within the file.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "config/scheduler_memory_file.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = deskd::fuzz::as_text(data, size);
  std::string error;
  const auto memory = deskd::config::parse_scheduler_memory(text, &error);
  if (!memory) {
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::size_t n = 0;
    const bool named = std::sscanf(error.c_str(), "line %zu: ", &n) == 1 &&
                       deskd::fuzz::starts_with(error, "line " + std::to_string(n) + ": ");
    FUZZ_CHECK(named && n >= 1 && n <= lines, "unplaced error: " + error);
    return 0;
  }
  FUZZ_CHECK(memory->moves_today >= 0 && memory->moves_today <= 1000, "moves_today out of range");
  const std::string again = deskd::config::serialize_scheduler_memory(*memory);
  std::string error2;
  const auto memory2 = deskd::config::parse_scheduler_memory(again, &error2);
  FUZZ_CHECK(memory2 && *memory2 == *memory,
             "memory does not round-trip: " + error2 + "\n" + again);
  return 0;
}
