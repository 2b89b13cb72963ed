#include "config/state_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "config/atomic_file.h"
#include "config/schedule_toml.h"
#include "temp_dir.h"

namespace deskd::config {
namespace {

namespace fs = std::filesystem;

// A state directory in a temp dir, with helpers to plant files and list what is there.
class StateStoreTest : public ::testing::Test {
 protected:
  StateStoreTest() : store_(dir_.file("state")) { EXPECT_EQ(store_.ensure_dir(), std::nullopt); }

  void Plant(const std::string& name, const std::string& content) {
    ASSERT_EQ(write_file_atomically(store_.path_of(name), content), std::nullopt);
  }
  std::vector<std::string> Files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(store_.dir())) {
      out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  static bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  TempDir dir_;
  StateStore store_;
};

core::ScheduleSettings SampleSchedule() {
  core::ScheduleSettings s;
  s.mode = core::ScheduleMode::kRemind;
  s.sit_minutes = 45;
  s.windows[2] = {{8 * 60, 12 * 60}, {12 * 60 + 30, 24 * 60}};
  s.skip_dates = {{2026, 12, 24}};
  s.presence_topic = "home/desk \"quoted\"";
  s.progression.enabled = true;
  s.progression.start_date = core::CivilDate{2026, 3, 2};
  s.breaks.enabled = true;
  return s;
}

TEST_F(StateStoreTest, EnsureDirCreatesNestedDirectories) {
  StateStore nested(dir_.file("a/b/c"));
  EXPECT_EQ(nested.ensure_dir(), std::nullopt);
  EXPECT_TRUE(fs::is_directory(dir_.file("a/b/c")));
}

TEST_F(StateStoreTest, EnsureDirReportsAFileInTheWay) {
  ASSERT_EQ(write_file_atomically(dir_.file("plain"), "x"), std::nullopt);
  auto error = StateStore(dir_.file("plain")).ensure_dir();
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(Contains(*error, dir_.file("plain"))) << *error;
}

TEST_F(StateStoreTest, MissingFilesGiveDefaultsWithoutWarnings) {
  auto desk = store_.load_desk();
  EXPECT_EQ(desk.value, DeskState{});
  EXPECT_TRUE(desk.warnings.empty());
  auto settings = store_.load_settings();
  EXPECT_EQ(settings.value, RuntimeSettings{});
  EXPECT_TRUE(settings.warnings.empty());
  std::vector<std::string> warnings;
  EXPECT_EQ(store_.load_text("stats.json", &warnings), std::nullopt);
  EXPECT_TRUE(warnings.empty());
}

TEST_F(StateStoreTest, DeskStateRoundTrips) {
  DeskState s;
  s.height_mm = 1103.25;
  s.clean_shutdown = true;
  s.height_uncertainty_mm = 8;
  s.coast_up_s = 0.0031;
  s.coast_down_s = 0.0027;
  s.coast_samples_up = 7;
  s.coast_samples_down = 5;
  s.up_speed_mm_s = 37.9;
  s.down_speed_mm_s = 35.2;
  ASSERT_EQ(store_.save_desk(s), std::nullopt);
  auto loaded = store_.load_desk();
  EXPECT_TRUE(loaded.warnings.empty());
  EXPECT_EQ(loaded.value, s);
  EXPECT_EQ(Files(), std::vector<std::string>{"desk.toml"});
}

TEST_F(StateStoreTest, UnknownHeightRoundTripsAsUnset) {
  DeskState s;
  s.clean_shutdown = true;
  ASSERT_EQ(store_.save_desk(s), std::nullopt);
  EXPECT_EQ(store_.load_desk().value, s);
}

TEST_F(StateStoreTest, CorruptDeskFileIsSetAsideWithAWarningAndDefaults) {
  Plant("desk.toml", "height_mm = 1100.0\nclean_shutdown = maybe\n");
  auto loaded = store_.load_desk();
  EXPECT_EQ(loaded.value, DeskState{});
  ASSERT_EQ(loaded.warnings.size(), 1u);
  const std::string& w = loaded.warnings[0];
  EXPECT_TRUE(Contains(w, store_.path_of("desk.toml") + ":2:")) << w;
  EXPECT_TRUE(Contains(w, "set aside as " + store_.path_of("desk.toml.corrupt-"))) << w;
  ASSERT_EQ(Files().size(), 1u);
  EXPECT_EQ(Files()[0].rfind("desk.toml.corrupt-", 0), 0u) << Files()[0];
  // The next load starts clean.
  auto again = store_.load_desk();
  EXPECT_TRUE(again.warnings.empty());
}

TEST_F(StateStoreTest, TruncatedFileIsSetAside) {
  DeskState s;
  s.height_mm = 900;
  ASSERT_EQ(store_.save_desk(s), std::nullopt);
  std::string text;
  ASSERT_EQ(read_file(store_.path_of("desk.toml"), text), std::nullopt);
  const auto cut = text.find("clean_shutdown = f") + std::string("clean_shutdown = f").size();
  Plant("desk.toml", text.substr(0, cut));
  auto loaded = store_.load_desk();
  EXPECT_EQ(loaded.value, DeskState{});
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_TRUE(Contains(loaded.warnings[0], "TOML syntax error")) << loaded.warnings[0];
  EXPECT_FALSE(fs::exists(store_.path_of("desk.toml")));
}

TEST_F(StateStoreTest, EmptyFileCountsAsCorrupt) {
  Plant("desk.toml", "");
  auto loaded = store_.load_desk();
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_TRUE(Contains(loaded.warnings[0], store_.path_of("desk.toml") + ": the file is empty"))
      << loaded.warnings[0];
  EXPECT_FALSE(fs::exists(store_.path_of("desk.toml")));
}

TEST_F(StateStoreTest, OutOfRangeValueIsInvalid) {
  Plant("desk.toml", "coast_samples_up = -3\n");
  auto loaded = store_.load_desk();
  EXPECT_EQ(loaded.value, DeskState{});
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_TRUE(Contains(loaded.warnings[0],
                       ":1:20: coast_samples_up: must be between 0 and 1000000000, got -3"))
      << loaded.warnings[0];
}

TEST_F(StateStoreTest, UnreadableFileGivesDefaultsAndAWarningWithoutMovingIt) {
  fs::create_directories(store_.path_of("desk.toml"));  // unreadable as a file, even for root
  auto loaded = store_.load_desk();
  EXPECT_EQ(loaded.value, DeskState{});
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_EQ(loaded.warnings[0],
            "cannot read " + store_.path_of("desk.toml") + ": Is a directory; using defaults");
  EXPECT_EQ(Files(), std::vector<std::string>{"desk.toml"});
}

TEST_F(StateStoreTest, RuntimeSettingsRoundTrip) {
  RuntimeSettings s;
  s.schedule = SampleSchedule();
  s.presets = {{"focus", 1000}, {"low-2", 650}};
  s.sit_height_mm = 700;
  s.stand_height_mm = 1150;
  s.deleted_presets = {"typing", "old"};  // config presets deleted at run time
  ASSERT_EQ(store_.save_settings(s), std::nullopt);
  auto loaded = store_.load_settings();
  EXPECT_TRUE(loaded.warnings.empty()) << loaded.warnings[0];
  EXPECT_EQ(loaded.value, s);
}

TEST_F(StateStoreTest, EmptyRuntimeSettingsRoundTrip) {
  ASSERT_EQ(store_.save_settings(RuntimeSettings{}), std::nullopt);
  auto loaded = store_.load_settings();
  EXPECT_TRUE(loaded.warnings.empty());
  EXPECT_EQ(loaded.value, RuntimeSettings{});
}

TEST_F(StateStoreTest, SettingsScheduleIsValidatedLikeTheConfigFile) {
  Plant("settings.toml", "[schedule]\nmon = [\"09:00-12:00\", \"11:00-13:00\"]\n");
  auto loaded = store_.load_settings();
  EXPECT_EQ(loaded.value, RuntimeSettings{});
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_TRUE(Contains(loaded.warnings[0],
                       "settings.toml:2:7: schedule.mon: windows 09:00-12:00 and 11:00-13:00 "
                       "overlap"))
      << loaded.warnings[0];
}

TEST_F(StateStoreTest, SettingsWithAnUnknownKeyAreSetAside) {
  Plant("settings.toml", "[presets]\nfocus = 1000\n[schedule]\nsit_minute = 30\n");
  auto loaded = store_.load_settings();
  EXPECT_EQ(loaded.value, RuntimeSettings{});
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_TRUE(Contains(loaded.warnings[0], ":4:1: unknown key 'sit_minute' in [schedule]"))
      << loaded.warnings[0];
}

TEST_F(StateStoreTest, TextFilesRoundTripAndRejectPathNames) {
  ASSERT_EQ(store_.save_text("stats.json", "{\"days\":[]}"), std::nullopt);
  std::vector<std::string> warnings;
  EXPECT_EQ(store_.load_text("stats.json", &warnings), std::optional<std::string>("{\"days\":[]}"));
  EXPECT_TRUE(warnings.empty());
  EXPECT_TRUE(store_.save_text("../escape", "x").has_value());
  EXPECT_TRUE(store_.save_text("", "x").has_value());
  EXPECT_FALSE(fs::exists(dir_.file("escape")));
}

TEST_F(StateStoreTest, UnreadableTextFileGivesNothingAndAWarning) {
  fs::create_directories(store_.path_of("stats.json"));
  std::vector<std::string> warnings;
  EXPECT_EQ(store_.load_text("stats.json", &warnings), std::nullopt);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "cannot read " + store_.path_of("stats.json") + ": Is a directory");
}

TEST_F(StateStoreTest, SetAsideMovesAnInvalidTextFileAndExplains) {
  ASSERT_EQ(store_.save_text("stats.json", "{broken"), std::nullopt);
  const std::string warning = store_.set_aside("stats.json", "invalid JSON");
  EXPECT_TRUE(Contains(warning, store_.path_of("stats.json") + ": invalid JSON; set aside as "))
      << warning;
  EXPECT_EQ(store_.load_text("stats.json"), std::nullopt);
  EXPECT_EQ(Files().size(), 1u);
  EXPECT_EQ(Files()[0].rfind("stats.json.corrupt-", 0), 0u) << Files()[0];
}

TEST(RuntimeSettings, OverridesOutsideTheLimitsAreDroppedWithWarnings) {
  core::MotionSettings limits;  // 620..1270
  RuntimeSettings s;
  s.sit_height_mm = 600;
  s.stand_height_mm = 1100;
  s.presets = {{"ok", 1000}, {"high", 1300}};
  const auto warnings = drop_out_of_limits(s, limits);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "saved setting sit_height_mm: must be between 620 and 1270 mm, got 600; "
            "ignored");
  EXPECT_EQ(warnings[1],
            "saved setting presets.high: must be between 620 and 1270 mm, got 1300; "
            "ignored");
  EXPECT_EQ(s.sit_height_mm, std::nullopt);
  EXPECT_EQ(s.stand_height_mm, 1100);
  EXPECT_EQ(s.presets, (std::map<std::string, int>{{"ok", 1000}}));
}

TEST(RuntimeSettings, SitAboveStandDropsBoth) {
  RuntimeSettings s;
  s.sit_height_mm = 1100;
  s.stand_height_mm = 1000;
  EXPECT_EQ(drop_out_of_limits(s, core::MotionSettings{}).size(), 1u);
  EXPECT_EQ(s.sit_height_mm, std::nullopt);
  EXPECT_EQ(s.stand_height_mm, std::nullopt);
}

TEST(ScheduleToml, SerialisedScheduleReadsBackEqual) {
  const core::ScheduleSettings s = SampleSchedule();
  const std::string text = schedule_to_toml(s);
  const std::string file = "schedule.toml";
  const toml::table root = parse_toml(text, file);
  TableReader reader(file, root);
  TableReader table = reader.table("schedule");
  EXPECT_EQ(read_schedule(table), s);
}

}  // namespace
}  // namespace deskd::config
