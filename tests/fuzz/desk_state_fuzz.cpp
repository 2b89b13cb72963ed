// Fuzzes the desk.toml reader through config::StateStore (see state_file_check.h for the
// invariants: a file loads and round-trips through save, or is refused at file:line:col and set
// aside with its content kept).
#include <cstddef>
#include <cstdint>

#include "state_file_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static deskd::fuzz::StateFileCheck check;
  const std::string_view content = deskd::fuzz::as_text(data, size);
  const auto name = deskd::config::StateStore::kDeskFile;
  check.plant(name, content);
  const auto loaded = check.store().load_desk();
  if (!loaded.warnings.empty()) {
    check.check_refused(name, content, loaded.warnings);
    FUZZ_CHECK(loaded.value == deskd::config::DeskState{}, "a refused file gave no defaults");
    return 0;
  }
  FUZZ_CHECK(!check.store().save_desk(loaded.value), "save failed");
  const auto again = check.store().load_desk();
  FUZZ_CHECK(again.warnings.empty() && again.value == loaded.value,
             "desk state does not round-trip:\n" + deskd::config::desk_state_to_toml(loaded.value));
  return 0;
}
