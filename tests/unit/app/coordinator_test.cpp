// The coordinator in process, with fake ports: no sockets, no timers, a hand-set clock.
#include "app/coordinator.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <variant>

#include "config/config_loader.h"

namespace deskd::app {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class FakeClock final : public ports::Clock {
 public:
  double scale() const override { return 1.0; }
  core::SteadyTime steady_now() const override { return steady; }
  core::WallTime wall_now() const override { return wall; }
  std::chrono::steady_clock::duration to_real(
      std::chrono::steady_clock::duration d) const override {
    return d;
  }
  void advance(std::chrono::steady_clock::duration d) {
    steady += d;
    wall += std::chrono::duration_cast<core::WallTime::duration>(d);
  }
  core::SteadyTime steady = core::SteadyTime{} + 1000h;
  // Monday 2026-11-23 10:00 UTC.
  core::WallTime wall = core::WallTime{} + std::chrono::seconds(1795428000);
};

class FakeDesk final : public ports::DeskIo {
 public:
  std::optional<std::string> set_drive(core::Drive d) override {
    drives.push_back(d);
    if (fail) {
      drive_ = core::Drive::kNone;
      return std::string("line request failed");
    }
    drive_ = d;
    return std::nullopt;
  }
  core::Drive drive() const override { return drive_; }
  ports::InputState inputs() const override { return inputs_; }
  void set_input_handler(InputHandler h) override { handler_ = std::move(h); }
  void sync_inputs() override {}
  std::chrono::nanoseconds input_age() const override { return age; }
  void all_off() noexcept override { drive_ = core::Drive::kNone; }
  ports::InputState inputs_;
  std::chrono::nanoseconds age{0};  // plays the kernel timestamp of the edge being delivered
  std::vector<core::Drive> drives;
  bool fail = false;  // every set_drive() fails

 private:
  core::Drive drive_ = core::Drive::kNone;
  InputHandler handler_;
};

class FakePublisher final : public ports::Publisher {
 public:
  bool online() const override { return true; }
  void publish(ports::Channel c, const std::string& payload) override {
    messages.emplace_back(c, payload);
  }
  // The events of `type` published since message index `since`.
  std::vector<boost::json::object> events(const std::string& type, std::size_t since = 0) const {
    std::vector<boost::json::object> out;
    for (std::size_t i = since; i < messages.size(); ++i) {
      if (messages[i].first != ports::Channel::kEvent) continue;
      auto o = boost::json::parse(messages[i].second).as_object();
      if (o.at("type").as_string() == type) out.push_back(o);
    }
    return out;
  }
  std::vector<std::pair<ports::Channel, std::string>> messages;
};

class FakeAlarm final : public ports::Alarm {
 public:
  void arm(std::optional<core::SteadyTime> d) override { deadline = d; }
  std::optional<core::SteadyTime> deadline;
};

// An all-day schedule: sit 5 minutes, warn 30 s; the desk at 720 mm (sitting), calibrated.
class CoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("deskd-coordinator-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "state");
  }
  void TearDown() override {
    coordinator_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void start(const std::string& schedule_extra = "") {
    std::string toml =
        "[desk]\nid = \"unit\"\n[gpio]\nbackend = \"sim\"\n[sensor]\nkind = \"encoder\"\n"
        "[schedule]\nenabled = true\nsit_minutes = 5\nwarn_seconds = 30\n";
    for (const char* d : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
      toml += std::string(d) + " = [\"00:00-24:00\"]\n";
    }
    toml += schedule_extra + "[state]\ndir = \"" + (dir_ / "state").string() + "\"\n";
    auto r = config::parse_config(toml, "unit.toml");
    ASSERT_TRUE(std::holds_alternative<config::Config>(r))
        << std::get<config::ConfigError>(r).to_string();
    persistence_.emplace((dir_ / "state").string());
    ASSERT_FALSE(persistence_->ensure_dir());
    auto loaded = persistence_->load();
    loaded.desk.height_mm = 720;
    loaded.desk.clean_shutdown = true;
    coordinator_.emplace(std::get<config::Config>(r),
                         CoordinatorPorts{clock_, desk_, publisher_, motion_alarm_, schedule_alarm_,
                                          publish_alarm_, retry_alarm_},
                         *persistence_, loaded, false, [](core::WallTime) { return true; });
    coordinator_->start();
  }

  // Runs the schedule's wake-ups until an event of `type` is published (bounded).
  bool run_until_event(const std::string& type) {
    const auto since = publisher_.messages.size();
    for (int i = 0; i < 100 && publisher_.events(type, since).empty(); ++i) {
      if (!schedule_alarm_.deadline) return false;
      if (*schedule_alarm_.deadline > clock_.steady)
        clock_.advance(*schedule_alarm_.deadline - clock_.steady);
      coordinator_->on_schedule_wakeup();
    }
    return !publisher_.events(type, since).empty();
  }

  // Runs the motion controller's deadlines while `until` is false (bounded).
  void run_motion(const std::function<bool()>& until) {
    for (int i = 0; i < 50 && !until() && motion_alarm_.deadline; ++i) {
      if (*motion_alarm_.deadline > clock_.steady) {
        clock_.advance(*motion_alarm_.deadline - clock_.steady);
      }
      coordinator_->on_motion_deadline();
    }
  }

  void press_button(std::chrono::milliseconds held) {
    desk_.inputs_.button = true;
    coordinator_->on_inputs(desk_.inputs_);
    clock_.advance(held);
    desk_.inputs_.button = false;
    coordinator_->on_inputs(desk_.inputs_);
  }

  std::string state_field(const std::string& key) {
    const auto v = coordinator_->state_view();
    if (key == "phase") return v.phase;
    if (key == "phase_reason") return v.phase_reason;
    return {};
  }

  std::string request(const std::string& op, const std::string& payload) {
    std::string answer;
    coordinator_->on_request(op, payload, [&](const std::string& p) { answer = p; });
    return answer;
  }

  fs::path dir_;
  FakeClock clock_;
  FakeDesk desk_;
  FakePublisher publisher_;
  FakeAlarm motion_alarm_, schedule_alarm_, publish_alarm_, retry_alarm_;
  std::optional<config::StatePersistence> persistence_;
  std::optional<Coordinator> coordinator_;
};

TEST_F(CoordinatorTest, HandsetPressDuringTheWarningCancelsThatChangeAndRestartsThePeriod) {
  start();
  ASSERT_TRUE(run_until_event("warning"));
  const auto warned_at = clock_.steady;
  clock_.advance(5s);
  const auto since = publisher_.messages.size();
  desk_.inputs_.handset_up = true;
  coordinator_->on_inputs(desk_.inputs_);
  const auto declined = publisher_.events("declined", since);
  ASSERT_EQ(declined.size(), 1u);
  EXPECT_EQ(declined[0].at("detail").as_string(), "cancelled");
  clock_.advance(300ms);
  desk_.inputs_.handset_up = false;
  coordinator_->on_inputs(desk_.inputs_);
  run_motion([] { return false; });  // the manual move settles
  EXPECT_EQ(state_field("phase"), "counting");
  // The next change is a whole period away, not the 25 s that were left of the warning.
  ASSERT_TRUE(schedule_alarm_.deadline);
  EXPECT_GT(*schedule_alarm_.deadline, warned_at + 4min);
}

// A stop command (the dashboard's banner, Home Assistant) during the warning is the user's answer
// as a handset press is: that change is cancelled and a fresh period starts.
TEST_F(CoordinatorTest, StopCommandDuringTheWarningCancelsThatChangeAndRestartsThePeriod) {
  start();
  ASSERT_TRUE(run_until_event("warning"));
  const auto warned_at = clock_.steady;
  clock_.advance(5s);
  const auto since = publisher_.messages.size();
  coordinator_->on_command(core::RunAction{core::DeskAction::kStop}, R"({"action":"stop"})");
  const auto declined = publisher_.events("declined", since);
  ASSERT_EQ(declined.size(), 1u);
  EXPECT_EQ(declined[0].at("detail").as_string(), "cancelled");
  EXPECT_EQ(state_field("phase"), "counting");
  ASSERT_TRUE(schedule_alarm_.deadline);
  EXPECT_GT(*schedule_alarm_.deadline, warned_at + 4min);
  EXPECT_TRUE(publisher_.events("move_started", since).empty());
}

TEST_F(CoordinatorTest, DeskMovedByHandDuringTheWarningCancelsThatChangeEvenUnseenPress) {
  start();
  ASSERT_TRUE(run_until_event("warning"));
  const auto since = publisher_.messages.size();
  // The handset press came and went between two input reports: only the encoder moved.
  for (int i = 0; i < 20; ++i) {
    clock_.advance(50ms);
    desk_.inputs_.encoder_count += 10;
    coordinator_->on_inputs(desk_.inputs_);
  }
  EXPECT_EQ(publisher_.events("declined", since).size(), 1u);
}

TEST_F(CoordinatorTest, ButtonShortPressSnoozesTheWarning) {
  start();
  ASSERT_TRUE(run_until_event("warning"));
  const auto since = publisher_.messages.size();
  press_button(300ms);
  EXPECT_EQ(publisher_.events("snoozed", since).size(), 1u);
  EXPECT_EQ(state_field("phase"), "counting");
}

TEST_F(CoordinatorTest, ButtonShortPressConfirmsThePrompt) {
  start("mode = \"confirm\"\n");
  ASSERT_TRUE(run_until_event("prompt"));
  const auto drives = desk_.drives.size();
  press_button(300ms);
  ASSERT_GT(desk_.drives.size(), drives) << "the confirmed move did not start";
  EXPECT_EQ(desk_.drives.back(), core::Drive::kUp);
}

TEST_F(CoordinatorTest, ButtonLongPressPausesForTodayAndAnotherResumes) {
  start();
  EXPECT_EQ(state_field("phase"), "counting");
  press_button(2500ms);
  EXPECT_EQ(state_field("phase"), "paused");
  press_button(2500ms);
  EXPECT_EQ(state_field("phase"), "counting");
}

TEST_F(CoordinatorTest, ButtonWithNothingToAnswerIsReportedAndChangesNothing) {
  start();
  const auto since = publisher_.messages.size();
  press_button(300ms);
  EXPECT_EQ(publisher_.events("error", since).size(), 1u);
  EXPECT_EQ(state_field("phase"), "counting");
}

TEST_F(CoordinatorTest, PresenceIsUnknownAndCountsAsAbsentWhileTheBrokerIsUnreachable) {
  start("presence_topic = \"home/occupancy\"\n");
  EXPECT_EQ(state_field("phase"), "blocked");  // never connected: nobody known
  coordinator_->on_broker(true);
  coordinator_->on_presence("on");
  EXPECT_EQ(state_field("phase"), "counting");
  coordinator_->on_broker(false);
  EXPECT_EQ(state_field("phase"), "blocked");
  EXPECT_NE(state_field("phase_reason").find("nobody"), std::string::npos);
  // Nothing is warned or moved while it lasts.
  const auto since = publisher_.messages.size();
  clock_.advance(10min);
  coordinator_->on_schedule_wakeup();
  EXPECT_TRUE(publisher_.events("warning", since).empty());
  EXPECT_TRUE(desk_.drives.empty() || desk_.drives.back() == core::Drive::kNone);
  coordinator_->on_broker(true);
  EXPECT_EQ(state_field("phase"), "counting");
}

TEST_F(CoordinatorTest, ScheduleSetAnswersErrorWhenSavingFailsAndKeepsTheOldSchedule) {
  start();
  // The state directory disappears under deskd: every save fails (ENOTDIR).
  fs::rename(dir_ / "state", dir_ / "gone");
  std::ofstream(dir_ / "state") << "not a directory";
  const auto since = publisher_.messages.size();
  const auto answer = request("schedule/set", R"({"sit_minutes":45,"transaction":"t"})");
  auto o = boost::json::parse(answer).as_object();
  EXPECT_EQ(o.at("status").as_string(), "error") << answer;
  const auto now =
      boost::json::parse(request("schedule/get", R"({"transaction":"g"})")).as_object();
  EXPECT_EQ(now.at("data").as_object().at("sit_minutes").as_int64(), 5);
  EXPECT_FALSE(coordinator_->storage().ok);
  EXPECT_EQ(publisher_.events("storage", since).size(), 1u);
  // Back: the retry saves what is pending and reports the recovery once.
  fs::remove(dir_ / "state");
  fs::rename(dir_ / "gone", dir_ / "state");
  ASSERT_TRUE(retry_alarm_.deadline);
  coordinator_->on_storage_retry();
  EXPECT_TRUE(coordinator_->storage().ok) << coordinator_->storage().detail;
  EXPECT_EQ(publisher_.events("storage", since).size(), 2u);
}

TEST_F(CoordinatorTest, SettingsRequestDuringAMoveIsAnsweredOnceTheMotorStops) {
  start();
  coordinator_->on_command(core::GoToHeight{1000}, R"({"height_mm":1000})");
  run_motion([&] { return desk_.drive() != core::Drive::kNone; });  // after the dead time
  ASSERT_EQ(desk_.drive(), core::Drive::kUp);
  std::string answer;  // outlives the deferred request
  coordinator_->on_request("schedule/set", R"({"sit_minutes":45,"transaction":"t"})",
                           [&answer](const std::string& p) { answer = p; });
  EXPECT_TRUE(answer.empty()) << "answered (and saved) while the motor runs: " << answer;
  coordinator_->on_command(core::RunAction{core::DeskAction::kStop}, R"({"action":"stop"})");
  EXPECT_EQ(desk_.drive(), core::Drive::kNone);
  run_motion([] { return false; });  // the stop settles
  ASSERT_FALSE(answer.empty()) << "never answered";
  EXPECT_EQ(boost::json::parse(answer).as_object().at("status").as_string(), "ok") << answer;
  const auto now =
      boost::json::parse(request("schedule/get", R"({"transaction":"g"})")).as_object();
  EXPECT_EQ(now.at("data").as_object().at("sit_minutes").as_int64(), 45);
}

// Issue 20 §4: a busy CPU reads an edge late. The stall is judged from the edge's kernel
// timestamp: the desk stopped moving at the last edge, not when deskd got round to reading it,
// so a desk pressing on an obstacle is stopped stall_timeout after its last edge.
TEST_F(CoordinatorTest, StallIsJudgedFromTheKernelTimestampOfTheLastEdgeNotTheRead) {
  start();
  coordinator_->on_command(core::GoToHeight{1000}, R"({"height_mm":1000})");
  run_motion([&] { return desk_.drive() != core::Drive::kNone; });  // after the dead time
  ASSERT_EQ(desk_.drive(), core::Drive::kUp);
  for (int i = 0; i < 20; ++i) {  // moving at ~38 mm/s: 2 counts (1 mm) every 26 ms
    clock_.advance(26ms);
    desk_.inputs_.encoder_count += 2;
    coordinator_->on_inputs(desk_.inputs_);
  }
  // The last edge came 26 ms later, but deskd was starved and reads it 600 ms after it happened.
  clock_.advance(626ms);
  desk_.inputs_.encoder_count += 2;
  desk_.age = 600ms;
  coordinator_->on_inputs(desk_.inputs_);
  desk_.age = 0ms;
  const auto edge_at = clock_.steady - 600ms;
  ASSERT_EQ(desk_.drive(), core::Drive::kUp);
  ASSERT_TRUE(motion_alarm_.deadline.has_value());
  EXPECT_LE(*motion_alarm_.deadline, edge_at + 800ms + 30ms)
      << "the stall deadline counts from the read, "
      << std::chrono::duration_cast<std::chrono::milliseconds>(*motion_alarm_.deadline - edge_at)
             .count()
      << " ms after the edge";
  // Nothing more moves: the stall latches at the edge's time + stall_timeout (800 ms).
  run_motion([&] { return desk_.drive() == core::Drive::kNone; });
  EXPECT_EQ(desk_.drive(), core::Drive::kNone);
  EXPECT_LE(clock_.steady, edge_at + 800ms + 30ms);
  EXPECT_EQ(coordinator_->motion().fault(), core::Fault::kStall);
}

TEST_F(CoordinatorTest, OutputThatCannotBeSetLatchesAGpioFaultOnceWithTheOutputsOff) {
  start();
  desk_.fail = true;
  const auto since = publisher_.messages.size();
  coordinator_->on_command(core::GoToHeight{1000}, R"({"height_mm":1000})");
  run_motion([] { return false; });
  EXPECT_EQ(desk_.drive(), core::Drive::kNone);
  EXPECT_LE(desk_.drives.size(), 2u) << "the failing output was retried";
  EXPECT_EQ(coordinator_->motion().fault(), core::Fault::kGpio);
  EXPECT_EQ(publisher_.events("fault", since).size(), 1u);
}

}  // namespace
}  // namespace deskd::app
