// Fuzzes the config loader: TOML text through toml++ into validation (config/config_loader.h).
// Invariants: the text either loads, and then its effective config (every key with its value)
// loads again to the same effective config; or it is refused with an error at file:line:col
// (line and column >= 1, the line within the file) and a message.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "config/config_loader.h"
#include "config/effective_config.h"
#include "fuzz_check.h"

namespace {

// Relative paths in the file resolve against this directory, which does not exist, so a
// password_file or TLS file named by the input is never read from the fuzzing machine.
const std::string kPath = "/nonexistent-deskd-fuzz/deskd.toml";

void check_error(const deskd::config::ConfigError& e, std::string_view text) {
  const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  FUZZ_CHECK(e.file == kPath, "error names another file: " + e.to_string());
  FUZZ_CHECK(e.line >= 1 && e.line <= lines && e.column >= 1,
             "error without a place in the file: " + e.to_string());
  FUZZ_CHECK(!e.message.empty(), "error without a message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = deskd::fuzz::as_text(data, size);
  const auto loaded = deskd::config::parse_config(text, kPath);
  if (const auto* e = std::get_if<deskd::config::ConfigError>(&loaded)) {
    check_error(*e, text);
    return 0;
  }
  const std::string effective =
      deskd::config::effective_config_toml(std::get<deskd::config::Config>(loaded), true);
  const auto again = deskd::config::parse_config(effective, kPath);
  const auto* e = std::get_if<deskd::config::ConfigError>(&again);
  FUZZ_CHECK(e == nullptr,
             "effective config does not load: " + (e ? e->to_string() : "") + "\n" + effective);
  FUZZ_CHECK(deskd::config::effective_config_toml(std::get<deskd::config::Config>(again), true) ==
                 effective,
             "effective config changed on the way back:\n" + effective);
  return 0;
}
