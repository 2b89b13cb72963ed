#include "config/state_persistence.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/atomic_file.h"

namespace deskd::config {
namespace {

namespace fs = std::filesystem;

class StatePersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("deskd-persist-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    fs::remove_all(dir_.string() + "-moved", ec);
  }
  ino_t inode(const std::string& name) const {
    struct stat st {};
    return ::stat((dir_ / name).c_str(), &st) == 0 ? st.st_ino : 0;
  }
  std::string read(const std::string& name) const {
    std::string text;
    config::read_file((dir_ / name).string(), text);
    return text;
  }
  fs::path dir_;
};

core::SchedulerMemory memory_with(int moves) {
  core::SchedulerMemory m;
  m.moves_date = core::CivilDate{2026, 11, 23};
  m.moves_today = moves;
  return m;
}

TEST_F(StatePersistenceTest, UnchangedContentIsNotWrittenAgain) {
  StatePersistence p(dir_.string());
  p.load();
  ASSERT_FALSE(p.save_memory(memory_with(1)));
  const auto first = inode("scheduler.txt");
  ASSERT_NE(first, 0u);
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(p.save_memory(memory_with(1)));
  EXPECT_EQ(inode("scheduler.txt"), first);
  ASSERT_FALSE(p.save_memory(memory_with(2)));
  EXPECT_NE(inode("scheduler.txt"), first);
}

TEST_F(StatePersistenceTest, WhatWasLoadedIsNotRewrittenUnchanged) {
  {
    StatePersistence p(dir_.string());
    p.load();
    ASSERT_FALSE(p.save_memory(memory_with(3)));
  }
  const auto first = inode("scheduler.txt");
  StatePersistence p(dir_.string());
  const auto loaded = p.load();
  EXPECT_EQ(loaded.memory.moves_today, 3);
  ASSERT_FALSE(p.save_memory(loaded.memory));
  EXPECT_EQ(inode("scheduler.txt"), first);
}

TEST_F(StatePersistenceTest, FailedSaveIsReportedKeptPendingAndWrittenByRetry) {
  StatePersistence p(dir_.string());
  p.load();
  ASSERT_FALSE(p.save_memory(memory_with(1)));
  const std::string before = read("scheduler.txt");
  fs::rename(dir_, dir_.string() + "-moved");
  std::ofstream(dir_.string()) << "a file where the directory was";
  EXPECT_TRUE(p.save_memory(memory_with(2)));
  EXPECT_FALSE(p.health().ok);
  EXPECT_NE(p.health().detail.find("scheduler.txt"), std::string::npos) << p.health().detail;
  EXPECT_TRUE(p.pending());
  EXPECT_FALSE(p.retry());
  fs::remove(dir_);
  fs::rename(dir_.string() + "-moved", dir_);
  EXPECT_EQ(read("scheduler.txt"), before);  // the old file was never touched
  EXPECT_TRUE(p.retry());
  EXPECT_TRUE(p.health().ok);
  EXPECT_NE(read("scheduler.txt"), before);
}

TEST_F(StatePersistenceTest, NewerContentSupersedesAFailedSave) {
  StatePersistence p(dir_.string());
  p.load();
  ASSERT_FALSE(p.save_memory(memory_with(1)));
  fs::rename(dir_, dir_.string() + "-moved");
  std::ofstream(dir_.string()) << "x";
  EXPECT_TRUE(p.save_memory(memory_with(2)));
  EXPECT_FALSE(p.save_memory(memory_with(1)));  // back to what the file holds: nothing to do
  EXPECT_FALSE(p.pending());
  EXPECT_TRUE(p.health().ok);
  fs::remove(dir_);
  fs::rename(dir_.string() + "-moved", dir_);
}

TEST_F(StatePersistenceTest, UnreadableFileIsSetAsideAndNeverOverwritten) {
  // A directory where stats.txt should be: it exists but read() fails (EISDIR).
  fs::create_directories(dir_ / "stats.txt");
  std::ofstream(dir_ / "stats.txt" / "keep") << "precious";
  StatePersistence p(dir_.string());
  const auto loaded = p.load();
  ASSERT_FALSE(loaded.warnings.empty());
  EXPECT_NE(loaded.warnings[0].find("set aside"), std::string::npos) << loaded.warnings[0];
  bool kept = false;
  for (const auto& e : fs::directory_iterator(dir_)) {
    if (e.path().filename().string().rfind("stats.txt.corrupt-", 0) == 0) {
      kept = fs::exists(e.path() / "keep");
    }
  }
  EXPECT_TRUE(kept);
}

// Invariant 5 across restarts: only a clean shutdown hands its height to the next run; the
// learned coast and speeds are kept either way.
TEST(DeskStateMapping, OnlyACleanShutdownRestoresTheHeight) {
  core::RestoredPosition p;
  p.height_mm = 731.5;
  p.height_uncertainty_mm = 4;
  p.coast = {0.004, 0.005, 3, 2};
  p.up_speed_mm_s = 38.5;
  StatePersistence::Loaded loaded;
  loaded.desk = desk_state_of(p, true);
  auto r = restored_desk(loaded);
  EXPECT_EQ(r.position.height_mm, 731.5);
  EXPECT_EQ(r.position.height_uncertainty_mm, 4);
  EXPECT_EQ(r.position.coast.samples_up, 3);
  EXPECT_EQ(r.position.up_speed_mm_s, 38.5);
  loaded.desk = desk_state_of(p, false);
  r = restored_desk(loaded);
  EXPECT_FALSE(r.position.height_mm.has_value());
  EXPECT_EQ(r.position.height_uncertainty_mm, 0);
  EXPECT_EQ(r.position.coast.down_s, 0.005);
}

}  // namespace
}  // namespace deskd::config
