#include "config/config_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/atomic_file.h"
#include "sample_configs.h"
#include "temp_dir.h"

namespace deskd::config {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSim = "[gpio]\nbackend = \"sim\"\n";

Config load_ok(const std::string& text, const std::string& path = "t.toml") {
  auto result = parse_config(text, path);
  if (auto* e = std::get_if<ConfigError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << e->to_string();
    return Config{};
  }
  return std::get<Config>(result);
}

std::string load_error(const std::string& text, const std::string& path = "t.toml") {
  auto result = parse_config(text, path);
  if (auto* e = std::get_if<ConfigError>(&result)) return e->to_string();
  return "(loaded without error)";
}

void write(const std::string& path, const std::string& text) {
  ASSERT_FALSE(write_file_atomically(path, text).has_value()) << path;
}

struct BadFile {
  const char* what;
  std::string text;
  std::string expected;
};

TEST(ConfigLoader, EveryKindOfBadFileIsAnErrorWithFileLineColumnAndReason) {
  const std::string sim = kSim;
  const std::vector<BadFile> cases = {
      {"unknown key", sim + "[schedule]\nsit_minute = 30\n",
       "t.toml:4:1: unknown key 'sit_minute' in [schedule]"},
      {"unknown table", sim + "[motor]\nspeed = 3\n", "t.toml:3:2: unknown table [motor]"},
      {"unknown sub-table", sim + "[schedule.pause]\nenabled = true\n",
       "t.toml:3:11: unknown table [schedule.pause]"},
      {"unknown top-level key", "verbose = true\n" + sim,
       "t.toml:1:1: unknown key 'verbose' at the top level (keys belong in a table)"},
      {"table given as a value", "desk = 5\n", "t.toml:1:8: desk: must be a table, got an integer"},
      {"wrong type integer", "[desk]\nmin_height_mm = \"620\"\n",
       "t.toml:2:17: desk.min_height_mm: must be an integer, got a string"},
      {"wrong type boolean", sim + "[schedule]\nenabled = \"yes\"\n",
       "t.toml:4:11: schedule.enabled: must be a boolean (true or false), got a string"},
      {"float for an integer", "[motion]\nmax_run_s = 30.0\n",
       "t.toml:2:13: motion.max_run_s: must be an integer, got a float"},
      {"integer out of range", "[motion]\nmax_run_s = 500\n",
       "t.toml:2:13: motion.max_run_s: must be between 1 and 120, got 500"},
      {"float out of range", "[motion]\nobstruction_ratio = 0.99\n",
       "t.toml:2:21: motion.obstruction_ratio: must be between 0.05 and 0.95, got 0.99"},
      {"nan", "[sensor]\nmm_per_count = nan\n",
       "t.toml:2:16: sensor.mm_per_count: must be between 0.001 and 100, got nan"},
      {"bad choice", "[sensor]\nkind = \"ultrasonic\"\n",
       "t.toml:2:8: sensor.kind: must be one of \"encoder\", \"timed\", \"none\", \"bus\", "
       "\"ble\", got "
       "\"ultrasonic\""},
      {"syntax error", "[desk]\nname = \"unterminated\nid = \"x\"\n",
       "t.toml:2:21: TOML syntax error: Error while parsing string: unescaped control "
       "characters other than TAB (U+0009) are explicitly prohibited"},
      {"bad desk id", "[desk]\nid = \"Office Desk\"\n",
       "t.toml:2:6: desk.id: must match [a-z0-9_-]+ (at most 64 characters), got \"Office "
       "Desk\""},
      {"min not below max", "[desk]\nmin_height_mm = 800\nmax_height_mm = 700\n",
       "t.toml:3:17: desk.max_height_mm: must be greater than min_height_mm (800), got 700"},
      {"sit outside limits", "[desk]\nsit_height_mm = 500\n",
       "t.toml:2:17: desk.sit_height_mm: must be between 620 and 1270 mm, got 500"},
      {"default sit outside limits", "[desk]\nmin_height_mm = 800\n",
       "t.toml:1:1: desk.sit_height_mm: the default (720) is not between 800 and 1270 mm; set it"},
      {"sit not below stand", "[desk]\nsit_height_mm = 1000\nstand_height_mm = 900\n",
       "t.toml:3:19: desk.stand_height_mm: must be greater than sit_height_mm (1000), got 900"},
      {"preset outside limits", "[desk.presets]\nfocus = 2000\n",
       "t.toml:2:9: desk.presets.focus: must be between 620 and 1270, got 2000"},
      {"bad preset name", "[desk.presets]\nFocus = 1000\n",
       "t.toml:2:9: desk.presets.Focus: preset names must match [a-z0-9_-]+ (at most 64 "
       "characters)"},
      {"end stop inside the limits", "[sensor]\nbottom_height_mm = 700\n",
       "t.toml:2:20: sensor.bottom_height_mm: must not be above desk.min_height_mm (620), got "
       "700"},
      {"gpiod without up", "[sensor]\nkind = \"timed\"\n[gpio]\nbackend = \"gpiod\"\ndown = 27\n",
       "t.toml:4:11: gpio.up: required when backend = \"gpiod\" (a line offset or name)"},
      {"empty file (gpiod is the default backend)", "",
       "t.toml:1:1: gpio.up: required when backend = \"gpiod\" (a line offset or name)"},
      {"encoder without encoder_a", "[sensor]\nkind = \"encoder\"\n[gpio]\nup = 17\ndown = 27\n",
       "t.toml:2:8: sensor.kind: \"encoder\" needs gpio.encoder_a (or use kind = \"timed\" or "
       "\"none\")"},
      {"line used twice", "[sensor]\nkind = \"timed\"\n[gpio]\nup = 17\ndown = 17\n",
       "t.toml:5:8: gpio.down: line 17 is already used by gpio.up"},
      {"negative line", sim + "up = -1\n",
       "t.toml:3:6: gpio.up: line offset must be between 0 and 65535, got -1"},
      {"schedule range (core::validate)", sim + "[schedule]\nsit_minutes = 3\n",
       "t.toml:4:15: schedule.sit_minutes: must be between 5 and 240, got 3"},
      {"schedule mode", sim + "[schedule]\nmode = \"sometimes\"\n",
       "t.toml:4:8: schedule.mode: must be one of \"auto\", \"confirm\", \"remind\", got "
       "\"sometimes\""},
      {"reversed window", sim + "[schedule]\nmon = [\"12:00-09:00\"]\n",
       "t.toml:4:8: schedule.mon: \"12:00-09:00\" is reversed (the start must come before the "
       "end)"},
      {"empty window", sim + "[schedule]\nmon = [\"10:00-10:00\"]\n",
       "t.toml:4:8: schedule.mon: \"10:00-10:00\" is an empty window"},
      {"malformed window", sim + "[schedule]\ntue = [\"09:00-12:00\", \"9:00-12:00\"]\n",
       "t.toml:4:23: schedule.tue: \"9:00-12:00\" is not a window \"HH:MM-HH:MM\" (00:00 to "
       "24:00)"},
      {"window past midnight", sim + "[schedule]\ntue = [\"22:00-24:30\"]\n",
       "t.toml:4:8: schedule.tue: \"22:00-24:30\" is not a window \"HH:MM-HH:MM\" (00:00 to "
       "24:00)"},
      {"overlapping windows", sim + "[schedule]\nwed = [\"09:00-12:00\", \"11:00-13:00\"]\n",
       "t.toml:4:7: schedule.wed: windows 09:00-12:00 and 11:00-13:00 overlap"},
      {"window of the wrong type", sim + "[schedule]\nthu = [\"09:00-12:00\", 5]\n",
       "t.toml:4:23: schedule.thu: must be an array of strings, found an integer"},
      {"bad date", sim + "[schedule]\nskip_dates = [\"2026-02-30\"]\n",
       "t.toml:4:15: schedule.skip_dates: \"2026-02-30\" is not a valid date \"YYYY-MM-DD\" (1970 "
       "or later)"},
      {"malformed date", sim + "[schedule.progression]\nstart_date = \"5 Jan 2026\"\n",
       "t.toml:4:14: schedule.progression.start_date: \"5 Jan 2026\" is not a valid date "
       "\"YYYY-MM-DD\" (1970 or later)"},
      {"progression range (core::validate)",
       sim + "[schedule.progression]\nenabled = true\nstep_minutes = 0\n",
       "t.toml:5:16: schedule.progression.step_minutes: must be between 1 and 120, got 0"},
      {"unknown key in a sub-table", sim + "[schedule.breaks]\nevery = 60\n",
       "t.toml:4:1: unknown key 'every' in [schedule.breaks]"},
      {"presence topic wildcard", sim + "[schedule]\npresence_topic = \"home/+/occupancy\"\n",
       "t.toml:4:18: schedule.presence_topic: must not contain + or #"},
      {"busy topic wildcard", sim + "[schedule]\nbusy_topic = \"home/#\"\n",
       "t.toml:4:14: schedule.busy_topic: must not contain + or #"},
      {"activity topic wildcard", sim + "[schedule]\nactivity_topic = \"pc/+\"\n",
       "t.toml:4:18: schedule.activity_topic: must not contain + or #"},
      {"comfort check-in word", sim + "[schedule]\ncomfort_checkin = \"weekly\"\n",
       "t.toml:4:19: schedule.comfort_checkin: must be one of \"off\", \"after_stand\", "
       "\"daily\", got \"weekly\""},
      {"comfort check-in type", sim + "[schedule]\ncomfort_checkin = true\n",
       "t.toml:4:19: schedule.comfort_checkin: must be a string, got a boolean"},
      {"break wait range", sim + "[schedule]\nbreak_wait_minutes = 61\n",
       "t.toml:4:22: schedule.break_wait_minutes: must be between 0 and 60, got 61"},
      {"busy deferral range", sim + "[schedule]\nbusy_max_defer_minutes = 481\n",
       "t.toml:4:26: schedule.busy_max_defer_minutes: must be between 0 and 480, got 481"},
      {"sim range", sim + "[sim]\nspeed_noise = 0.9\n",
       "t.toml:4:15: sim.speed_noise: must be between 0 and 0.5, got 0.9"},
      {"sim coast reversed", sim + "[sim]\ncoast_min_mm = 9\ncoast_max_mm = 4\n",
       "t.toml:5:16: sim.coast_max_mm: coast_min_mm (9.0) must not exceed coast_max_mm (4.0)"},
      {"mqtt scheme", sim + "[mqtt]\nuri = \"mqtt://host\"\n",
       "t.toml:4:7: mqtt.uri: must start with tcp://, ssl://, ws:// or wss://, got "
       "\"mqtt://host\""},
      {"mqtt host missing", sim + "[mqtt]\nuri = \"tcp://:1883\"\n",
       "t.toml:4:7: mqtt.uri: a host is required, got \"tcp://:1883\""},
      {"mqtt bad port", sim + "[mqtt]\nuri = \"tcp://broker:http\"\n",
       "t.toml:4:7: mqtt.uri: the port must be a number between 1 and 65535, got "
       "\"tcp://broker:http\""},
      {"base topic wildcard", sim + "[mqtt]\nbase_topic = \"desks/#\"\n",
       "t.toml:4:14: mqtt.base_topic: must not contain + or #, got \"desks/#\""},
      {"discovery prefix empty level", sim + "[mqtt]\ndiscovery_prefix = \"home//assistant\"\n",
       "t.toml:4:20: mqtt.discovery_prefix: must not have empty levels (leading, trailing or "
       "double '/'), got \"home//assistant\""},
      {"keepalive range", sim + "[mqtt]\nkeepalive_s = 1\n",
       "t.toml:4:15: mqtt.keepalive_s: must be between 5 and 3600, got 1"},
      {"unreadable password file", sim + "[mqtt]\npassword_file = \"/nonexistent/pw\"\n",
       "t.toml:4:17: mqtt.password_file: cannot read /nonexistent/pw: No such file or "
       "directory"},
      {"listen without port", sim + "[web]\nlisten = \"0.0.0.0\"\n",
       "t.toml:4:10: web.listen: a port is required (\"host:port\"), got \"0.0.0.0\""},
      {"listen port out of range", sim + "[web]\nlisten = \"[::]:70000\"\n",
       "t.toml:4:10: web.listen: the port must be a number between 1 and 65535, got "
       "\"[::]:70000\""},
      {"broker ws url scheme", sim + "[web]\nbroker_ws_url = \"http://localhost:9001\"\n",
       "t.toml:4:17: web.broker_ws_url: must start with ws:// or wss:// (or be empty), got "
       "\"http://localhost:9001\""},
      {"web units", sim + "[web]\nunits = \"feet\"\n",
       "t.toml:4:9: web.units: must be one of \"mm\", \"cm\", \"in\", got \"feet\""},
      {"empty state dir", sim + "[state]\ndir = \"\"\n",
       "t.toml:4:7: state.dir: must not be empty"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(load_error(c.text), c.expected) << c.what;
  }
}

TEST(ConfigLoader, UnknownKeyIsAnErrorWithPosition) {
  auto result =
      parse_config("[gpio]\nbackend = \"sim\"\n[schedule]\n  sit_minute = 30\n", "a.toml");
  ASSERT_TRUE(std::holds_alternative<ConfigError>(result));
  const auto& e = std::get<ConfigError>(result);
  EXPECT_EQ(e.file, "a.toml");
  EXPECT_EQ(e.line, 4);
  EXPECT_EQ(e.column, 3);
  EXPECT_EQ(e.message, "unknown key 'sit_minute' in [schedule]");
}

TEST(ConfigLoader, FirstUnknownKeyInFileOrderIsReported) {
  EXPECT_EQ(load_error(std::string(kSim) + "[web]\nzzz = 1\naaa = 2\n"),
            "t.toml:4:1: unknown key 'zzz' in [web]");
}

TEST(ConfigLoader, MinimalSimConfigGetsTheDocumentedDefaults) {
  const Config c = load_ok(kSim);
  EXPECT_EQ(c.path, "t.toml");
  EXPECT_EQ(c.gpio.backend, Backend::kSim);
  EXPECT_FALSE(c.desk.id.empty());
  EXPECT_EQ(c.desk.name, "Desk " + c.desk.id);
  EXPECT_EQ(c.mqtt.client_id, "deskd-" + c.desk.id);
  EXPECT_EQ(c.motion.min_height_mm, 620);
  EXPECT_EQ(c.motion.max_height_mm, 1270);
  EXPECT_EQ(c.motion.bottom_height_mm, 620);
  EXPECT_EQ(c.motion.top_height_mm, 1270);
  EXPECT_EQ(c.desk.sit_height_mm, 720);
  EXPECT_EQ(c.desk.stand_height_mm, 1100);
  EXPECT_EQ(c.motion.sensor, core::SensorKind::kEncoder);
  EXPECT_TRUE(c.motion.has_limit_bottom) << "the simulated desk has limit switches";
  EXPECT_TRUE(c.motion.has_limit_top);
  EXPECT_EQ(c.sim.start_height_mm, 620) << "the bottom end stop, where the limit switch knows it";
  EXPECT_EQ(c.schedule, core::ScheduleSettings{});
  EXPECT_EQ(c.mqtt.uri, "tcp://localhost:1883");
  EXPECT_EQ(c.web.listen, "0.0.0.0:8080");
  EXPECT_EQ(c.state.dir, "/var/lib/deskd");
}

TEST(ConfigLoader, DefaultDeskIdIsTheSanitisedHostname) {
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof(host) - 1), 0);
  EXPECT_EQ(load_ok(kSim).desk.id, sanitise_desk_id(host));
}

TEST(ConfigLoader, SanitiseDeskIdLowercasesAndReplacesOtherCharacters) {
  EXPECT_EQ(sanitise_desk_id("Office-PI.local"), "office-pi_local");
  EXPECT_EQ(sanitise_desk_id("desk_7"), "desk_7");
  EXPECT_EQ(sanitise_desk_id(""), "desk");
  EXPECT_EQ(sanitise_desk_id(std::string(100, 'a')), std::string(64, 'a'));
}

TEST(ConfigLoader, EveryKeyIsReadIntoItsField) {
  const Config c = load_ok(kFullConfig);
  EXPECT_EQ(c.desk.id, "office");
  EXPECT_EQ(c.desk.name, "Office desk");
  EXPECT_EQ(c.motion.min_height_mm, 640);
  EXPECT_EQ(c.motion.max_height_mm, 1250);
  EXPECT_EQ(c.desk.sit_height_mm, 700);
  EXPECT_EQ(c.desk.stand_height_mm, 1120);
  EXPECT_EQ(c.desk.presets, (std::map<std::string, int>{{"focus", 1000}, {"low", 650}}));
  EXPECT_EQ(c.motion.sensor, core::SensorKind::kEncoder);
  EXPECT_DOUBLE_EQ(c.sensor.mm_per_count, 0.25);
  EXPECT_DOUBLE_EQ(c.motion.mm_per_count, 0.25);
  EXPECT_DOUBLE_EQ(c.motion.up_speed_mm_s, 40);
  EXPECT_DOUBLE_EQ(c.motion.down_speed_mm_s, 35.5);
  EXPECT_EQ(c.motion.bottom_height_mm, 630);
  EXPECT_EQ(c.motion.top_height_mm, 1260);
  EXPECT_EQ(c.motion.reverse_delay, std::chrono::milliseconds(300));
  EXPECT_EQ(c.motion.max_run, std::chrono::seconds(45));
  EXPECT_EQ(c.motion.stall_timeout, std::chrono::milliseconds(1200));
  EXPECT_EQ(c.motion.backoff_mm, 20);
  EXPECT_EQ(c.motion.tolerance_mm, 2);
  EXPECT_EQ(c.motion.nudge_mm, 12);
  EXPECT_DOUBLE_EQ(c.motion.obstruction_ratio, 0.3);
  EXPECT_DOUBLE_EQ(c.motion.deadline_margin, 2.0);
  EXPECT_TRUE(c.motion.has_limit_bottom);
  EXPECT_FALSE(c.motion.has_limit_top) << "no limit_top line";
  EXPECT_EQ(c.gpio.backend, Backend::kGpiod);
  EXPECT_EQ(c.gpio.chip, "/dev/gpiochip1");
  EXPECT_EQ(c.gpio.up, LineSpec{"17"});
  EXPECT_EQ(c.gpio.down, LineSpec{"MOTOR_DOWN"});
  EXPECT_EQ(c.gpio.enable, LineSpec{"22"});
  EXPECT_EQ(c.gpio.encoder_a, LineSpec{"5"});
  EXPECT_EQ(c.gpio.encoder_b, LineSpec{"6"});
  EXPECT_EQ(c.gpio.limit_bottom, LineSpec{"13"});
  EXPECT_FALSE(c.gpio.limit_top.has_value());
  EXPECT_EQ(c.gpio.handset_up, LineSpec{"20"});
  EXPECT_EQ(c.gpio.handset_down, LineSpec{"21"});
  EXPECT_EQ(c.gpio.button, LineSpec{"26"});
  EXPECT_TRUE(c.gpio.outputs_active_low);
  EXPECT_TRUE(c.gpio.inputs_active_low);
  EXPECT_EQ(c.gpio.input_bias, Bias::kPullUp);

  const auto& s = c.schedule;
  EXPECT_FALSE(s.enabled);
  EXPECT_EQ(s.mode, core::ScheduleMode::kConfirm);
  EXPECT_EQ(s.sit_minutes, 40);
  EXPECT_EQ(s.stand_minutes, 15);
  EXPECT_EQ(s.warn_seconds, 10);
  EXPECT_EQ(s.snooze_minutes, 5);
  EXPECT_TRUE(s.nudge);
  EXPECT_EQ(s.max_auto_moves_per_day, 8);
  EXPECT_FALSE(s.require_time_sync);
  EXPECT_EQ(s.windows[0],
            (std::vector<core::TimeWindow>{{9 * 60, 12 * 60}, {13 * 60, 17 * 60 + 30}}));
  EXPECT_TRUE(s.windows[1].empty());
  EXPECT_TRUE(s.windows[6].empty());
  EXPECT_EQ(s.skip_dates, (std::vector<core::CivilDate>{{2026, 12, 24}, {2026, 12, 31}}));
  EXPECT_EQ(s.presence_topic, "home/office/occupancy");
  EXPECT_EQ(s.busy_topic, "home/office/in_a_call");
  EXPECT_EQ(s.busy_max_defer_minutes, 45);
  EXPECT_EQ(s.activity_topic, "home/office/pc_activity");
  EXPECT_EQ(s.break_wait_minutes, 15);
  EXPECT_EQ(s.break_idle_seconds, 90);
  EXPECT_EQ(s.comfort_checkin, core::ComfortCheckinMode::kAfterStand);
  EXPECT_EQ(s.presence_on, std::vector<std::string>{"present"});
  EXPECT_EQ(s.presence_off, std::vector<std::string>{"away"});
  EXPECT_TRUE(s.progression.enabled);
  EXPECT_EQ(s.progression.start_date, (core::CivilDate{2026, 1, 5}));
  EXPECT_TRUE(s.breaks.enabled);
  EXPECT_EQ(s.breaks.every_minutes, 90);
  EXPECT_EQ(s.breaks.duration_minutes, 10);

  EXPECT_DOUBLE_EQ(c.sim.up_speed_mm_s, 30);
  EXPECT_DOUBLE_EQ(c.sim.down_speed_mm_s, 31);
  EXPECT_DOUBLE_EQ(c.sim.speed_noise, 0);
  EXPECT_DOUBLE_EQ(c.sim.coast_min_mm, 1);
  EXPECT_DOUBLE_EQ(c.sim.coast_max_mm, 2);
  EXPECT_EQ(c.sim.start_height_mm, 1000);
  EXPECT_EQ(c.sim.seed, 42u);

  EXPECT_EQ(c.mqtt.uri, "ssl://broker.example:8883");
  EXPECT_EQ(c.mqtt.client_id, "desk-1");
  EXPECT_EQ(c.mqtt.username, "deskd");
  EXPECT_EQ(c.mqtt.password, "hunter2");
  EXPECT_EQ(c.mqtt.base_topic, "office/desks");
  EXPECT_EQ(c.mqtt.discovery_prefix, "ha");
  EXPECT_EQ(c.mqtt.discovery, DiscoveryMode::kEntities);
  EXPECT_EQ(c.mqtt.keepalive_s, 60);
  EXPECT_FALSE(c.web.enabled);
  EXPECT_EQ(c.web.listen, "[::]:8081");
  EXPECT_EQ(c.web.broker_ws_url, "wss://broker.example:9443/mqtt");
  EXPECT_EQ(c.web.root, "/srv/deskd");
  EXPECT_EQ(c.state.dir, "/tmp/deskd-state");
}

TEST(ConfigLoader, ShippedConfigFilesLoad) {
  for (const char* name : {"deskd.toml", "demo.toml"}) {
    const std::string path = std::string(DESKD_SOURCE_DIR) + "/config/" + name;
    auto result = load_config(path);
    ASSERT_TRUE(std::holds_alternative<Config>(result))
        << std::get<ConfigError>(result).to_string();
  }
}

TEST(ConfigLoader, ShippedConfigDrivesGpiodWithATimedSensorOnWorkdays) {
  auto result = load_config(std::string(DESKD_SOURCE_DIR) + "/config/deskd.toml");
  ASSERT_TRUE(std::holds_alternative<Config>(result));
  const Config& c = std::get<Config>(result);
  EXPECT_EQ(c.gpio.backend, Backend::kGpiod);
  EXPECT_EQ(c.gpio.up, LineSpec{"17"});
  EXPECT_EQ(c.gpio.down, LineSpec{"27"});
  EXPECT_EQ(c.motion.sensor, core::SensorKind::kTimed);
  const std::vector<core::TimeWindow> workday{{9 * 60, 12 * 60}, {13 * 60, 17 * 60 + 30}};
  for (int day = 0; day < 5; ++day) EXPECT_EQ(c.schedule.windows[day], workday) << day;
  EXPECT_TRUE(c.schedule.windows[5].empty());
  EXPECT_TRUE(c.schedule.windows[6].empty());
}

TEST(ConfigLoader, DemoConfigResolvesItsPathsAgainstTheConfigDirectory) {
  auto result = load_config(std::string(DESKD_SOURCE_DIR) + "/config/demo.toml");
  ASSERT_TRUE(std::holds_alternative<Config>(result));
  const Config& c = std::get<Config>(result);
  const fs::path source = fs::absolute(DESKD_SOURCE_DIR).lexically_normal();
  EXPECT_EQ(c.state.dir, (source / "build/demo-state").string());
  EXPECT_EQ(c.web.root, (source / "web/dist").string());
  EXPECT_EQ(c.desk.id, "demo");
  EXPECT_EQ(c.gpio.backend, Backend::kSim);
  EXPECT_EQ(c.motion.sensor, core::SensorKind::kEncoder);
  EXPECT_EQ(c.web.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.mqtt.uri, "tcp://127.0.0.1:1883");
  EXPECT_EQ(c.schedule.mode, core::ScheduleMode::kAuto);
  EXPECT_EQ(c.schedule.warn_seconds, 30);
  EXPECT_FALSE(c.schedule.require_time_sync) << "the demo runs on machines without NTP";
  for (int day = 0; day < 7; ++day) {
    EXPECT_EQ(c.schedule.windows[day], (std::vector<core::TimeWindow>{{0, 1440}})) << day;
  }
}

TEST(ConfigLoader, RelativePathsResolveAgainstTheFileNotTheWorkingDirectory) {
  TempDir dir;
  fs::create_directories(dir.file("etc"));
  write(dir.file("etc/pw"), "s3cret\n");
  write(dir.file("etc/deskd.toml"), std::string(kSim) +
                                        "[state]\ndir = \"state\"\n"
                                        "[web]\nroot = \"../web/dist\"\n"
                                        "[mqtt]\nuri = \"ssl://b:8883\"\npassword_file = \"pw\"\n"
                                        "ca_file = \"./pw\"\n");
  const fs::path old_cwd = fs::current_path();
  fs::current_path(dir.path());
  auto result = load_config("etc/deskd.toml");  // relative to the working directory
  fs::current_path("/");
  ASSERT_TRUE(std::holds_alternative<Config>(result)) << std::get<ConfigError>(result).to_string();
  fs::current_path(old_cwd);
  const Config& c = std::get<Config>(result);
  EXPECT_EQ(c.state.dir, dir.file("etc/state"));
  EXPECT_EQ(c.web.root, dir.file("web/dist"));
  EXPECT_EQ(c.mqtt.password_file, dir.file("etc/pw"));
  EXPECT_EQ(c.mqtt.ca_file, dir.file("etc/pw"));
  EXPECT_EQ(c.mqtt.password, "s3cret");
}

TEST(ConfigLoader, PasswordFileWinsOverPasswordAndLosesTrailingNewline) {
  TempDir dir;
  write(dir.file("pw"), "from-file\r\n");
  const Config c = load_ok(std::string(kSim) + "[mqtt]\npassword = \"inline\"\npassword_file = \"" +
                           dir.file("pw") + "\"\n");
  EXPECT_EQ(c.mqtt.password, "from-file");
}

TEST(ConfigLoader, UnreadableTlsFileIsAnErrorAtItsKey) {
  EXPECT_EQ(
      load_error(std::string(kSim) + "[mqtt]\nuri = \"ssl://b:8883\"\nca_file = \"/no/ca.pem\"\n"),
      "t.toml:5:11: mqtt.ca_file: cannot read /no/ca.pem: No such file or directory");
}

TEST(ConfigLoader, MissingFileIsAnErrorNamingTheFile) {
  auto result = load_config("/nonexistent/deskd.toml");
  ASSERT_TRUE(std::holds_alternative<ConfigError>(result));
  EXPECT_EQ(std::get<ConfigError>(result).to_string(),
            "/nonexistent/deskd.toml: cannot read /nonexistent/deskd.toml: No such file or "
            "directory");
}

TEST(ConfigLoader, LinesMayBeNamesAndSimNeedsNoLines) {
  const Config c = load_ok(
      "[sensor]\nkind = \"none\"\n[gpio]\nup = \"MOTOR_UP\"\ndown = \"MOTOR_DOWN\"\n"
      "limit_top = 4\n");
  EXPECT_EQ(c.gpio.up, LineSpec{"MOTOR_UP"});
  EXPECT_FALSE(c.motion.has_limit_bottom);
  EXPECT_TRUE(c.motion.has_limit_top);
  EXPECT_EQ(c.motion.sensor, core::SensorKind::kNone);
}

TEST(ConfigLoader, AcceptsIpv6ListenAndWebSocketBroker) {
  const Config c = load_ok(std::string(kSim) + "[mqtt]\nuri = \"ws://[::1]:9001/mqtt\"\n" +
                           "[web]\nlisten = \"[::]:8080\"\nbroker_ws_url = \"\"\n");
  EXPECT_EQ(c.mqtt.uri, "ws://[::1]:9001/mqtt");
  EXPECT_EQ(c.web.listen, "[::]:8080");
  EXPECT_EQ(c.web.broker_ws_url, "");
}

TEST(ConfigLoader, WebMqttBridgeIsOnByDefaultAndCanBeSwitchedOff) {
  EXPECT_TRUE(load_ok(std::string(kSim)).web.mqtt_bridge);
  EXPECT_FALSE(load_ok(std::string(kSim) + "[web]\nmqtt_bridge = false\n").web.mqtt_bridge);
}

TEST(ConfigError, ToStringIsFileLineColumnMessage) {
  EXPECT_EQ((ConfigError{"a.toml", 3, 7, "bad"}).to_string(), "a.toml:3:7: bad");
  EXPECT_EQ((ConfigError{"a.toml", 0, 0, "unreadable"}).to_string(), "a.toml: unreadable");
}

}  // namespace
}  // namespace deskd::config
