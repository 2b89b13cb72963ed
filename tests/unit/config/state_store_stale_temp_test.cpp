// Regression (issue 13, found by the power-cut test): a SIGKILL or power cut inside a save left
// "<file>.tmp-<pid>-<n>" behind, and every further cut added one more: nothing removed them, so
// the SD card's state directory grew without bound. ensure_dir() at start-up removes them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "config/state_store.h"
#include "temp_dir.h"

namespace deskd::config {
namespace {

namespace fs = std::filesystem;

std::set<std::string> files_in(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

TEST(StateStoreStaleTemp, EnsureDirRemovesTheTemporaryFilesOfInterruptedSavesOnly) {
  TempDir tmp;
  const std::string dir = tmp.file("state");
  fs::create_directories(dir);
  for (const char* name :
       {"desk.toml.tmp-4242-0", "stats.txt.tmp-17-12", "settings.toml", "desk.toml", "notes.tmp-x",
        "desk.toml.tmp-", "backup.tmp-1", "settings.toml.corrupt-20260101T000000"}) {
    std::ofstream(dir + "/" + name) << "x = 1\n";
  }
  fs::create_directories(dir + "/keep.tmp-1-2");  // not a regular file: left alone

  StateStore store(dir);
  ASSERT_EQ(store.ensure_dir(), std::nullopt);

  EXPECT_EQ(files_in(dir),
            (std::set<std::string>{"settings.toml", "desk.toml", "notes.tmp-x", "desk.toml.tmp-",
                                   "backup.tmp-1", "settings.toml.corrupt-20260101T000000",
                                   "keep.tmp-1-2"}));
}

}  // namespace
}  // namespace deskd::config
