// Disk faults under the state directory (issue 13 §3) and the data holes of issue 11: deskd keeps
// the desk working, reports a storage problem once (log, B/event "storage", B/state "storage"),
// retries, never loses or truncates a file it had, and recovers by itself.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::milliseconds;
using std::chrono::seconds;
namespace fs = std::filesystem;

// How a fault is made: a small tmpfs that fills up or is remounted read-only (needs root), or the
// LD_PRELOAD shim failing one system call.
enum class Fault { kFullTmpfs, kReadOnlyTmpfs, kWriteEio, kFsyncEio, kRenameEio };

struct FaultCase {
  Fault fault;
  const char* name;
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

class StorageTest : public MqttDeskTest {
 protected:
  void TearDown() override {
    MqttDeskTest::TearDown();
    if (mounted_) ::umount2(state_dir_.c_str(), MNT_DETACH);
  }

  // A state directory of its own, with the shim preloaded (faults off until fail()).
  DeskdOptions storage_options() {
    if (!broker_) start_broker();
    const std::string dir = make_temp_dir("deskd-storage");
    state_dir_ = dir + "/state";
    control_ = dir + "/faults";
    stats_ = dir + "/io-stats";
    fs::create_directories(state_dir_);
    std::ofstream(control_).flush();
    auto o = desk_options();
    o.state_dir = state_dir_;
    o.env["LD_PRELOAD"] = DESKD_FAULT_SHIM;
    o.env["DESKD_FAULT_DIR"] = state_dir_;
    o.env["DESKD_FAULT_CONTROL"] = control_;
    o.env["DESKD_FAULT_STATS"] = stats_;
    return o;
  }

  bool mount_tmpfs(const std::string& size) {
    if (::geteuid() != 0) return false;
    mounted_ = ::mount("tmpfs", state_dir_.c_str(), "tmpfs", 0,
                       ("size=" + size + ",mode=0755").c_str()) == 0;
    return mounted_;
  }

  void set_faults(const std::string& rules) { std::ofstream(control_) << rules << "\n"; }

  void fail(Fault f) {
    switch (f) {
      case Fault::kFullTmpfs: {
        // Fill the tmpfs to the last byte.
        std::ofstream filler(state_dir_ + "/filler", std::ios::binary);
        const std::string block(4096, 'x');
        for (int i = 0; i < 100000 && filler.write(block.data(), block.size()); ++i) {
        }
        filler.close();
        std::ofstream tail(state_dir_ + "/filler2", std::ios::binary);
        for (int i = 0; i < 100000 && tail.put('x'); ++i) tail.flush();
        break;
      }
      case Fault::kReadOnlyTmpfs:
        ASSERT_EQ(::mount("tmpfs", state_dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr), 0)
            << std::strerror(errno);
        break;
      case Fault::kWriteEio:
        set_faults("write=EIO");
        break;
      case Fault::kFsyncEio:
        set_faults("fsync=EIO");
        break;
      case Fault::kRenameEio:
        set_faults("rename=EIO");
        break;
    }
  }

  void heal(Fault f) {
    switch (f) {
      case Fault::kFullTmpfs:
        fs::remove(state_dir_ + "/filler");
        fs::remove(state_dir_ + "/filler2");
        break;
      case Fault::kReadOnlyTmpfs:
        ASSERT_EQ(::mount("tmpfs", state_dir_.c_str(), "tmpfs", MS_REMOUNT, nullptr), 0)
            << std::strerror(errno);
        break;
      default:
        set_faults("");
        break;
    }
  }

  // Every state file deskd has written, with its content.
  std::map<std::string, std::string> state_files() const {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(state_dir_)) {
      const auto name = e.path().filename().string();
      if (name.rfind("filler", 0) == 0) continue;
      out[name] = read_text_file(e.path().string());
    }
    return out;
  }

  // Waits until `n` more of deskd's minutes have passed (each publishes B/stats, then saves what
  // changed) and the last one's saves are done (a B/get answer comes after them).
  ::testing::AssertionResult wait_minutes(int n) {
    if (!observer_->flush()) return ::testing::AssertionFailure() << "observer not flushed";
    int seen = 0;
    if (!observer_->wait_for(
            topic("stats"), [&](const std::string&) { return ++seen == n; }, seconds(2 * n + 3),
            mark())) {
      return ::testing::AssertionFailure() << seen << " of " << n << " minutes passed\n"
                                           << deskd_->log();
    }
    if (!fresh_state()) return ::testing::AssertionFailure() << "no answer to B/get";
    return ::testing::AssertionSuccess();
  }

  std::optional<object> schedule_set_sit_minutes(int minutes) {
    return request("schedule/set", object{{"sit_minutes", minutes}});
  }

  std::string state_dir_;
  std::string control_;
  std::string stats_;
  bool mounted_ = false;
};

class StorageFaults : public StorageTest, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(StorageFaults, DeskKeepsWorkingTheFaultIsReportedOnceNothingIsLostAndItRecovers) {
  const Fault fault = GetParam().fault;
  auto o = storage_options();
  if (fault == Fault::kFullTmpfs || fault == Fault::kReadOnlyTmpfs) {
    if (!mount_tmpfs("256k")) GTEST_SKIP() << "needs root to mount a tmpfs";
  }
  ASSERT_TRUE(start_all(o));
  ASSERT_TRUE(move_to(800)) << deskd_->log();
  ASSERT_TRUE(schedule_set_sit_minutes(35));
  ASSERT_TRUE(deskd_->process().wait_for_log("move finished", seconds(5)));
  ASSERT_TRUE(fresh_state());  // the save at the move's end (same turn as the line) is done
  const auto before = state_files();
  ASSERT_TRUE(before.count("desk.toml")) << deskd_->log();
  ASSERT_TRUE(before.count("settings.toml")) << deskd_->log();

  auto since = mark();
  const auto log_before = deskd_->log();
  fail(fault);
  ASSERT_TRUE(move_to(1000)) << deskd_->log();  // the move saves desk.toml: it fails
  auto state = wait_state(field_is("storage", "error"), since);
  ASSERT_TRUE(state) << deskd_->log();
  EXPECT_FALSE(json_string(*state, "storage_detail").empty());

  // A settings change that cannot be saved is refused and not applied.
  auto r = schedule_set_sit_minutes(45);
  ASSERT_TRUE(r);
  EXPECT_EQ(json_string(*r, "status"), "error") << boost::json::serialize(*r);
  auto current = request("schedule/get");
  ASSERT_TRUE(current);
  EXPECT_EQ(json_int(current->at("data").as_object(), "sit_minutes"), 35);

  // The desk stays usable; more failing saves are not reported again.
  ASSERT_TRUE(move_to(900)) << deskd_->log();
  ASSERT_TRUE(fresh_state());  // the save at the move's end failed, and was reported or not
  EXPECT_EQ(count_json(
                "event",
                [](const object& e) {
                  return json_string(e, "type") == "storage" && json_string(e, "status") == "error";
                },
                since),
            1u);
  const auto log_during = deskd_->log().substr(log_before.size());
  EXPECT_EQ(count_of(log_during, "storage: "), 1u) << log_during;

  // No file deskd had is lost or truncated.
  const auto during = state_files();
  for (const auto& [name, content] : before) {
    if (name.find(".tmp-") != std::string::npos) continue;
    ASSERT_TRUE(during.count(name)) << name << " lost";
    EXPECT_EQ(during.at(name), content) << name << " changed while the disk failed";
  }
  for (const auto& [name, content] : during) {
    EXPECT_EQ(name.find(".tmp-"), std::string::npos) << "temporary file left: " << name;
  }

  // Writable again: deskd catches up on its own.
  since = mark();
  heal(fault);
  ASSERT_TRUE(wait_state(field_is("storage", "ok"), since, seconds(25))) << deskd_->log();
  auto ok = wait_json(
      "event",
      [](const object& e) {
        return json_string(e, "type") == "storage" && json_string(e, "status") == "ok";
      },
      since, seconds(5));
  EXPECT_TRUE(ok) << deskd_->log();
  // desk.toml has the height of the last move, made while the disk failed.
  const auto desk = read_text_file(state_dir_ + "/desk.toml");
  const auto at = desk.find("height_mm = ");
  ASSERT_NE(at, std::string::npos) << desk;
  EXPECT_NEAR(std::stod(desk.substr(at + 12)), 900, 12) << desk;
  r = schedule_set_sit_minutes(45);
  ASSERT_TRUE(r);
  EXPECT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  EXPECT_NE(read_text_file(state_dir_ + "/settings.toml").find("sit_minutes = 45"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Faults, StorageFaults,
                         ::testing::Values(FaultCase{Fault::kFullTmpfs, "FullTmpfs"},
                                           FaultCase{Fault::kReadOnlyTmpfs, "ReadOnlyTmpfs"},
                                           FaultCase{Fault::kWriteEio, "WriteEio"},
                                           FaultCase{Fault::kFsyncEio, "FsyncEio"},
                                           FaultCase{Fault::kRenameEio, "RenameEio"}),
                         [](const ::testing::TestParamInfo<FaultCase>& i) {
                           return std::string(i.param.name);
                         });

TEST_F(StorageTest, ScheduleSetAnswersErrorWhenSavingFailsAndKeepsTheOldSettings) {
  auto o = storage_options();
  ASSERT_TRUE(start_all(o));
  set_faults("write=ENOSPC");
  auto r = schedule_set_sit_minutes(45);
  ASSERT_TRUE(r);
  EXPECT_EQ(json_string(*r, "status"), "error") << boost::json::serialize(*r);
  EXPECT_NE(json_string(*r, "error").find("No space left"), std::string::npos)
      << json_string(*r, "error");
  auto current = request("schedule/get");
  ASSERT_TRUE(current);
  EXPECT_EQ(json_int(current->at("data").as_object(), "sit_minutes"), 30);
}

TEST_F(StorageTest, PresetsSetAnswersErrorWhenSavingFailsAndKeepsTheOldPresets) {
  auto o = storage_options();
  ASSERT_TRUE(start_all(o));
  set_faults("write=ENOSPC");
  auto r = request("presets/set", object{{"presets", object{{"typing", 730}}}});
  ASSERT_TRUE(r);
  EXPECT_EQ(json_string(*r, "status"), "error") << boost::json::serialize(*r);
  auto s = fresh_state();
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->at("presets").as_object().contains("typing")) << boost::json::serialize(*s);
}

TEST_F(StorageTest, DeletedConfigPresetStaysDeletedAfterRestart) {
  auto o = storage_options();
  o.extra_toml += "[desk.presets]\ntyping = 720\nfocus = 1050\n";
  ASSERT_TRUE(start_all(o));
  auto r = request("presets/set", object{{"presets", object{{"focus", 1060}}}});
  ASSERT_TRUE(r);
  ASSERT_EQ(json_string(*r, "status"), "ok") << boost::json::serialize(*r);
  ASSERT_EQ(deskd_->terminate(), 0);
  ASSERT_TRUE(start_deskd(o));
  ASSERT_TRUE(connect_observer());
  auto s = fresh_state();
  ASSERT_TRUE(s);
  const auto& presets = s->at("presets").as_object();
  EXPECT_FALSE(presets.contains("typing")) << boost::json::serialize(presets);
  EXPECT_EQ(json_int(presets, "focus"), 1060);
}

TEST_F(StorageTest, UnreadableSettingsFileIsNeverOverwritten) {
  auto o = storage_options();
  const std::string original =
      "sit_height_mm = 700\nstand_height_mm = 1150\n\n[presets]\nmine = 900\n";
  std::ofstream(state_dir_ + "/settings.toml") << original;
  set_faults("read=EIO:settings.toml");
  ASSERT_TRUE(start_all(o));
  EXPECT_NE(deskd_->log().find("set aside as"), std::string::npos) << deskd_->log();
  // A change that would rewrite settings.toml.
  request("presets/set", object{{"presets", object{{"other", 1000}}}});
  ASSERT_EQ(deskd_->terminate(), 0);
  bool kept = false;
  for (const auto& [name, content] : state_files()) {
    if (name.rfind("settings.toml", 0) == 0 && content == original) kept = true;
  }
  EXPECT_TRUE(kept) << "the unreadable settings.toml was overwritten:\n" << deskd_->log();
}

TEST_F(StorageTest, UnreadableFileThatCannotBeSetAsideIsKeptReportedAndNeverOverwritten) {
  auto o = storage_options();
  const std::string original = "sit_height_mm = 700\n\n[presets]\nmine = 900\n";
  std::ofstream(state_dir_ + "/settings.toml") << original;
  set_faults("read=EIO:settings.toml rename=EIO:settings.toml.corrupt*");
  ASSERT_TRUE(start_all(o));
  auto s = fresh_state();
  ASSERT_TRUE(s);
  EXPECT_EQ(json_string(*s, "storage"), "error") << boost::json::serialize(*s);
  EXPECT_NE(json_string(*s, "storage_detail").find("settings.toml"), std::string::npos);
  auto r = request("presets/set", object{{"presets", object{{"other", 1000}}}});
  ASSERT_TRUE(r);
  EXPECT_EQ(json_string(*r, "status"), "error") << boost::json::serialize(*r);
  ASSERT_EQ(deskd_->terminate(), 0);
  EXPECT_EQ(read_text_file(state_dir_ + "/settings.toml"), original) << deskd_->log();
}

TEST_F(StorageTest, IdleMinutesRewriteNoFileThatDidNotChange) {
  auto o = storage_options();
  o.extra_args = {"--time-scale", "60"};  // one deskd minute per real second
  ASSERT_TRUE(start_all(o));
  ASSERT_TRUE(wait_minutes(2));
  struct stat st {};
  auto inode = [&](const char* name) {
    return ::stat((state_dir_ + "/" + name).c_str(), &st) == 0 ? st.st_ino : 0;
  };
  const auto scheduler_before = inode("scheduler.txt");
  const auto desk_before = inode("desk.toml");
  const auto settings_before = inode("settings.toml");
  ASSERT_NE(scheduler_before, 0u) << "scheduler.txt was never saved";
  ASSERT_TRUE(wait_minutes(5));  // five idle save intervals
  EXPECT_EQ(inode("scheduler.txt"), scheduler_before) << "scheduler.txt rewritten unchanged";
  EXPECT_EQ(inode("desk.toml"), desk_before);
  EXPECT_EQ(inode("settings.toml"), settings_before);
}

}  // namespace
}  // namespace deskd::testing
