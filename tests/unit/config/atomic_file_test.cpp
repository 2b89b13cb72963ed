#include "config/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace deskd::config {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(AtomicFile, WritesTheContentAndLeavesNoTemporaryFile) {
  TempDir dir;
  const std::string path = dir.file("state.toml");
  ASSERT_EQ(write_file_atomically(path, "height_mm = 720.0\n"), std::nullopt);
  std::string back;
  ASSERT_EQ(read_file(path, back), std::nullopt);
  EXPECT_EQ(back, "height_mm = 720.0\n");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"state.toml"});
}

TEST(AtomicFile, ReplacesAnExistingFileCompletely) {
  TempDir dir;
  const std::string path = dir.file("f");
  ASSERT_EQ(write_file_atomically(path, std::string(10000, 'x')), std::nullopt);
  ASSERT_EQ(write_file_atomically(path, "short"), std::nullopt);
  std::string back;
  ASSERT_EQ(read_file(path, back), std::nullopt);
  EXPECT_EQ(back, "short");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"f"});
}

TEST(AtomicFile, FileModeIs0644WhateverTheUmask) {
  TempDir dir;
  const mode_t old = ::umask(0077);
  const auto error = write_file_atomically(dir.file("f"), "x");
  ::umask(old);
  ASSERT_EQ(error, std::nullopt);
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(AtomicFile, WritesBinaryContentUnchanged) {
  TempDir dir;
  const std::string content("a\0b\xff\n", 5);
  ASSERT_EQ(write_file_atomically(dir.file("bin"), content), std::nullopt);
  std::string back;
  ASSERT_EQ(read_file(dir.file("bin"), back), std::nullopt);
  EXPECT_EQ(back, content);
}

TEST(AtomicFile, FailureNamesThePathAndLeavesNothingBehind) {
  TempDir dir;
  const auto error = write_file_atomically(dir.file("missing/f"), "x");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find(dir.file("missing/f")), std::string::npos) << *error;
  EXPECT_NE(error->find("No such file or directory"), std::string::npos) << *error;
  EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(AtomicFile, FailedRenameRemovesTheTemporaryFile) {
  TempDir dir;
  fs::create_directories(dir.file("target/occupied"));  // rename over a non-empty dir fails
  ASSERT_TRUE(write_file_atomically(dir.file("target"), "x").has_value());
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"target"});
}

TEST(AtomicFile, ReadFileReportsAMissingFile) {
  std::string out = "old";
  const auto error = read_file("/nonexistent/file", out);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(*error, "cannot read /nonexistent/file: No such file or directory");
  EXPECT_TRUE(out.empty());
}

TEST(AtomicFile, SetAsideCorruptRenamesWithAUtcTimestamp) {
  TempDir dir;
  ASSERT_EQ(write_file_atomically(dir.file("desk.toml"), "garbage"), std::nullopt);
  const auto moved = set_aside_corrupt(dir.file("desk.toml"));
  ASSERT_TRUE(moved.has_value());
  EXPECT_TRUE(std::regex_match(*moved, std::regex(".*/desk\\.toml\\.corrupt-\\d{8}T\\d{6}")))
      << *moved;
  EXPECT_FALSE(fs::exists(dir.file("desk.toml")));
  std::string back;
  ASSERT_EQ(read_file(*moved, back), std::nullopt);
  EXPECT_EQ(back, "garbage");
}

TEST(AtomicFile, SetAsideCorruptNeverOverwritesAnEarlierCopy) {
  TempDir dir;
  std::vector<std::string> moved;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(write_file_atomically(dir.file("s"), std::to_string(i)), std::nullopt);
    auto m = set_aside_corrupt(dir.file("s"));
    ASSERT_TRUE(m.has_value());
    moved.push_back(*m);
  }
  for (int i = 0; i < 3; ++i) {
    std::string back;
    ASSERT_EQ(read_file(moved[i], back), std::nullopt);
    EXPECT_EQ(back, std::to_string(i));
  }
}

TEST(AtomicFile, SetAsideCorruptOfAMissingFileFails) {
  TempDir dir;
  EXPECT_EQ(set_aside_corrupt(dir.file("none")), std::nullopt);
}

}  // namespace
}  // namespace deskd::config
