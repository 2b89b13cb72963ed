#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/state_store.h"
#include "fuzz_check.h"

namespace deskd::fuzz {

// One state file read through the real StateStore in a private directory under /dev/shm (or
// TMPDIR), emptied before each input. Invariants, for desk.toml and settings.toml alike:
// - a file that loads gives no warning, and saving the value and loading it again gives the
//   same value (nothing the user set is lost or changed by a restart);
// - a file that does not load gives one warning that starts "<path>:<line>:<col>: " (or says
//   the file is empty) and says where the file was set aside; the file is gone from its place
//   and its content is kept byte for byte in exactly one "<name>.corrupt-*" file.
class StateFileCheck {
 public:
  StateFileCheck() {
    namespace fs = std::filesystem;
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (base / "deskd-fuzz-state-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
    store_.emplace(dir_);
  }
  ~StateFileCheck() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const config::StateStore& store() const { return *store_; }

  void plant(std::string_view name, std::string_view content) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      std::filesystem::remove(e.path(), ec);
    }
    std::ofstream(store_->path_of(name), std::ios::binary) << content;
  }

  // Checks a failed load of `name` (which held `content`) against the invariants above.
  void check_refused(std::string_view name, std::string_view content,
                     const std::vector<std::string>& warnings) const {
    FUZZ_CHECK(warnings.size() == 1,
               "expected one warning, got " + std::to_string(warnings.size()));
    const std::string& w = warnings[0];
    const std::string path = store_->path_of(name);
    int line = 0;
    int col = 0;
    char colon = 0;
    const bool placed =
        starts_with(w, path + ":") &&
        std::sscanf(w.c_str() + path.size(), ":%d:%d%c", &line, &col, &colon) == 3 && line >= 1 &&
        col >= 1 && colon == ':';
    FUZZ_CHECK(placed || starts_with(w, path + ": the file is empty"), "unplaced warning: " + w);
    FUZZ_CHECK(w.find("; set aside as ") != std::string::npos, "not set aside: " + w);
    FUZZ_CHECK(!std::filesystem::exists(path), "refused file left in place");
    std::vector<std::string> kept;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      FUZZ_CHECK(starts_with(e.path().filename().string(), std::string(name) + ".corrupt-"),
                 "unexpected file " + e.path().string());
      kept.push_back(text.str());
    }
    FUZZ_CHECK(kept.size() == 1 && kept[0] == content, "the refused file's content was not kept");
  }

 private:
  std::string dir_;
  std::optional<config::StateStore> store_;
};

}  // namespace deskd::fuzz
