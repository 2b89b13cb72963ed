// Process-level lifecycle of the real deskd binary on the simulated desk: clean stops by signal,
// SIGTERM and kill -9 in the middle of a move, and start-up over corrupt state files.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "support/broker.h"
#include "support/deskd_process.h"
#include "support/json_fields.h"
#include "support/mqtt_test_client.h"

namespace deskd::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

// The last saved height in desk.toml, if any.
std::optional<double> saved_height(const std::string& state_dir) {
  std::ifstream in(state_dir + "/desk.toml");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("height_mm = ", 0) == 0) return std::stod(line.substr(12));
  }
  return std::nullopt;
}

bool saved_clean(const std::string& state_dir) {
  return read_text_file(state_dir + "/desk.toml").find("clean_shutdown = true") !=
         std::string::npos;
}

std::vector<std::string> files_starting_with(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  return out;
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// Starts, stops with `sig`, and checks the clean-exit contract.
void expect_clean_stop_on(int sig, const char* name) {
  DeskdProcess d(DeskdOptions{});
  ASSERT_TRUE(d.start()) << d.log();
  ASSERT_TRUE(d.process().signal(sig));
  const int code = Process::exit_code(d.process().wait(seconds(10)));
  EXPECT_EQ(code, 0) << d.log();
  const std::string log = d.log();
  EXPECT_NE(log.find(std::string("received ") + name + ": stopping"), std::string::npos) << log;
  EXPECT_NE(log.find("stopped; outputs inactive, state saved"), std::string::npos) << log;
  EXPECT_TRUE(saved_clean(d.state_dir())) << read_text_file(d.state_dir() + "/desk.toml");
  // The fresh simulated desk rests on its bottom end stop (620 mm).
  const auto h = saved_height(d.state_dir());
  ASSERT_TRUE(h.has_value());
  EXPECT_NEAR(*h, 620.0, 1.0);
}

TEST(DaemonLifecycle, SigtermExitsZeroWithOutputsInactiveAndStateSaved) {
  expect_clean_stop_on(SIGTERM, "SIGTERM");
}

TEST(DaemonLifecycle, SigintExitsZeroWithOutputsInactiveAndStateSaved) {
  expect_clean_stop_on(SIGINT, "SIGINT");
}

TEST(DaemonLifecycle, WhileRunningThePositionIsNotTrustedAfterACrash) {
  // Until a clean stop, desk.toml says clean_shutdown = false, so a crash is recognised.
  DeskdProcess d(DeskdOptions{});
  ASSERT_TRUE(d.start()) << d.log();
  EXPECT_NE(read_text_file(d.state_dir() + "/desk.toml").find("clean_shutdown = false"),
            std::string::npos);
  EXPECT_EQ(d.terminate(), 0);
}

// Fixture: a broker, deskd connected to it, and a client watching deskd's topics.
class DaemonMidMove : public ::testing::Test {
 protected:
  void SetUp() override {
    client_ = std::make_unique<MqttTestClient>(broker_.port());
    ASSERT_TRUE(client_->connect()) << client_->last_error();
    client_->subscribe("deskd/itest/#");
  }

  DeskdOptions options(std::string state_dir = {}) const {
    DeskdOptions o;
    o.mqtt_port = broker_.port();
    o.state_dir = std::move(state_dir);
    return o;
  }

  // Waits until `d` is online (its retained availability arrives after `since`).
  bool wait_online(std::size_t since) {
    return client_
        ->wait_for(
            "deskd/itest/availability", [](const std::string& p) { return p == "online"; },
            seconds(10), since)
        .has_value();
  }

  // The first state after `since` satisfying `match`.
  std::optional<boost::json::object> wait_state(
      const std::function<bool(const boost::json::object&)>& match, std::size_t since,
      milliseconds timeout = seconds(15)) {
    auto m = client_->wait_for(
        "deskd/itest/state", [&](const std::string& p) { return match(json_object(p)); }, timeout,
        since);
    if (!m) return std::nullopt;
    return json_object(m->payload);
  }

  // Commands a move to 1100 mm and waits until the desk is moving up past `past_mm`.
  void start_move_up(int past_mm) {
    const auto since = client_->count();
    client_->publish("deskd/itest/set", R"({"height_mm":1100})");
    auto moving = wait_state(
        [&](const boost::json::object& s) {
          return json_string(s, "motion") == "up" && json_int(s, "height_mm").value_or(0) > past_mm;
        },
        since);
    ASSERT_TRUE(moving.has_value()) << "never moving up past " << past_mm;
  }

  Broker broker_;
  std::unique_ptr<MqttTestClient> client_;
};

TEST_F(DaemonMidMove, SigtermStopsTheMotorSavesTheHeightAndTheNextStartResumesThere) {
  std::string state_dir;
  double saved = 0;
  {
    DeskdProcess d(options());
    ASSERT_TRUE(d.start()) << d.log();
    state_dir = d.state_dir();
    ASSERT_TRUE(wait_online(0)) << d.log();
    start_move_up(700);

    const auto before_stop = client_->count();
    EXPECT_EQ(d.terminate(), 0) << d.log();
    EXPECT_NE(d.log().find("stopped; outputs inactive, state saved"), std::string::npos);

    // The last state deskd published before leaving says the motor is stopped.
    auto stopped = wait_state(
        [](const boost::json::object& s) { return json_string(s, "motion") == "stopped"; },
        before_stop, seconds(5));
    ASSERT_TRUE(stopped.has_value()) << "no 'stopped' state after SIGTERM";
    EXPECT_TRUE(json_bool(*stopped, "calibrated").value_or(false));

    ASSERT_TRUE(saved_clean(state_dir));
    auto h = saved_height(state_dir);
    ASSERT_TRUE(h.has_value());
    EXPECT_GT(*h, 700.0);
    EXPECT_LT(*h, 1100.0);
    saved = *h;
    // The retained state (what a subscriber arriving later sees) agrees with the saved height.
    EXPECT_NEAR(static_cast<double>(json_int(*stopped, "height_mm").value_or(-1000)), saved, 1.0);
  }
  MqttTestClient late(broker_.port());
  ASSERT_TRUE(late.connect());
  late.subscribe("deskd/itest/state");
  auto retained = late.wait_for(
      "deskd/itest/state", [](const std::string&) { return true; }, seconds(5));
  ASSERT_TRUE(retained.has_value());
  EXPECT_TRUE(retained->retained);
  EXPECT_EQ(json_string(json_object(retained->payload), "motion"), "stopped");

  const auto since = client_->count();
  DeskdProcess again(options(state_dir));
  ASSERT_TRUE(again.start()) << again.log();
  auto resumed =
      wait_state([](const boost::json::object& s) { return !json_is_null(s, "height_mm"); }, since);
  ASSERT_TRUE(resumed.has_value()) << again.log();
  EXPECT_TRUE(json_bool(*resumed, "calibrated").value_or(false));
  EXPECT_NEAR(static_cast<double>(*json_int(*resumed, "height_mm")), saved, 1.0);
  EXPECT_EQ(again.terminate(), 0);
}

TEST_F(DaemonMidMove, KillNineLeavesThePositionUnknownUntilCalibrated) {
  std::string state_dir;
  {
    DeskdProcess d(options());
    ASSERT_TRUE(d.start()) << d.log();
    state_dir = d.state_dir();
    ASSERT_TRUE(wait_online(0)) << d.log();
    // Leave the bottom end stop first: there the limit switch would re-zero the position.
    auto since = client_->count();
    client_->publish("deskd/itest/set", R"({"height_mm":800})");
    ASSERT_TRUE(wait_state(
        [](const boost::json::object& s) {
          return json_string(s, "motion") == "stopped" &&
                 std::abs(json_int(s, "height_mm").value_or(0) - 800) <= 5;
        },
        since, seconds(20)));
    // The move is finished (and its height saved) once the desk has settled.
    ASSERT_TRUE(
        client_->wait_for_containing("deskd/itest/event", "move_finished", seconds(10), since));
    start_move_up(830);
    d.kill9();
    EXPECT_FALSE(d.process().running());
  }
  EXPECT_FALSE(saved_clean(state_dir));

  const auto since = client_->count();
  DeskdOptions o = options(state_dir);
  o.extra_args = {"--time-scale", "10"};  // the calibration run takes ~1 s instead of ~8 s
  // A schedule that is working all day, to see it blocked and why.
  o.schedule_toml = "enabled = true\nmode = \"auto\"\nrequire_time_sync = false\n";
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
    o.schedule_toml += std::string(day) + " = [\"00:00-24:00\"]\n";
  }
  DeskdProcess again(o);
  ASSERT_TRUE(again.start()) << again.log();
  EXPECT_NE(again.log().find("did not shut down cleanly: position unknown until calibrated"),
            std::string::npos)
      << again.log();
  // States of the killed process may still be in flight: read from the new one's "online" on.
  auto online = client_->wait_for(
      "deskd/itest/availability", [](const std::string& p) { return p == "online"; }, seconds(15),
      since);
  ASSERT_TRUE(online.has_value()) << again.log();
  std::size_t from = since;
  {
    const auto all = client_->messages();
    for (std::size_t i = since; i < all.size(); ++i) {
      if (all[i].topic == "deskd/itest/availability" && all[i].payload == "online") {
        from = i;
        break;
      }
    }
  }
  auto unknown =
      wait_state([](const boost::json::object& s) { return s.contains("calibrated"); }, from);
  ASSERT_TRUE(unknown.has_value()) << again.log();
  EXPECT_EQ(json_bool(*unknown, "calibrated"), false)
      << json_string(*unknown, "phase") << again.log();
  EXPECT_TRUE(json_is_null(*unknown, "height_mm"));
  EXPECT_EQ(json_string(*unknown, "posture"), "unknown");
  // Invariant 5: no automatic moves, and the reason is published.
  EXPECT_EQ(json_string(*unknown, "phase"), "blocked");
  EXPECT_EQ(json_string(*unknown, "phase_reason"), "position unknown");

  const auto before_calibrate = client_->count();
  client_->publish("deskd/itest/set", R"({"action":"calibrate"})");
  auto calibrated = wait_state(
      [](const boost::json::object& s) {
        return json_bool(s, "calibrated").value_or(false) && json_string(s, "motion") == "stopped";
      },
      before_calibrate, seconds(20));
  ASSERT_TRUE(calibrated.has_value()) << again.log();
  EXPECT_NEAR(static_cast<double>(json_int(*calibrated, "height_mm").value_or(-1)), 620.0, 2.0);
  EXPECT_EQ(json_string(*calibrated, "phase"), "counting");
  EXPECT_EQ(again.terminate(), 0);
}

// A corrupt or truncated state file is reported, set aside and replaced by defaults.
struct CorruptState {
  const char* name;
  const char* file;
  std::string content;
  const char* log_says;
};

class DaemonCorruptState : public ::testing::TestWithParam<CorruptState> {};

TEST_P(DaemonCorruptState, StartsLogsSetsTheFileAsideAndUsesDefaults) {
  const auto& c = GetParam();
  const std::string state_dir = make_temp_dir("deskd-corrupt");
  // A desk state that would otherwise put the desk at 900 mm, known.
  write_file(state_dir + "/desk.toml", "height_mm = 900.0\nclean_shutdown = true\n");
  write_file(state_dir + "/" + c.file, c.content);

  DeskdOptions o;
  o.state_dir = state_dir;
  DeskdProcess d(o);
  ASSERT_TRUE(d.start()) << d.log();
  const std::string log = d.log();
  EXPECT_NE(log.find(c.log_says), std::string::npos) << log;
  EXPECT_NE(log.find("set aside as"), std::string::npos) << log;
  const auto aside = files_starting_with(state_dir, std::string(c.file) + ".corrupt-");
  ASSERT_EQ(aside.size(), 1u) << "no set-aside copy of " << c.file;
  EXPECT_EQ(read_text_file(state_dir + "/" + aside[0]), c.content);
  if (std::string(c.file) == "desk.toml") {
    // Defaults: nothing is known about the last run, the simulated desk starts at the bottom.
    EXPECT_NE(log.find("height 620 mm"), std::string::npos) << log;
  } else {
    EXPECT_NE(log.find("height 900 mm"), std::string::npos) << log;
  }
  EXPECT_EQ(d.terminate(), 0) << d.log();
  // The replacement is written cleanly and is itself readable next time.
  DeskdProcess again(o);
  ASSERT_TRUE(again.start()) << again.log();
  EXPECT_EQ(again.log().find("set aside"), std::string::npos) << again.log();
  EXPECT_EQ(again.terminate(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Files, DaemonCorruptState,
    ::testing::Values(
        CorruptState{"DeskGarbage", "desk.toml", "\x01\x02 this is = = not toml \xff\n",
                     "desk.toml"},
        CorruptState{"DeskTruncated", "desk.toml", "height_mm = 900.0\nclean_shut", "desk.toml"},
        CorruptState{"DeskEmpty", "desk.toml", "", "the file is empty"},
        CorruptState{"DeskWrongType", "desk.toml", "height_mm = \"high\"\n", "desk.toml:1:"},
        CorruptState{"StatsGarbage", "stats.txt", "not statistics\n", "corrupt statistics"},
        CorruptState{"StatsTruncated", "stats.txt", "deskd-stats 1\n2026-01-05 1200 6",
                     "corrupt statistics"},
        CorruptState{"SchedulerMemoryGarbage", "scheduler.txt", "moves_today = lots\n",
                     "corrupt schedule memory"},
        CorruptState{"SettingsGarbage", "settings.toml", "[schedule\nsit_minutes = 3",
                     "settings.toml"}),
    [](const ::testing::TestParamInfo<CorruptState>& info) { return info.param.name; });

}  // namespace
}  // namespace deskd::testing
