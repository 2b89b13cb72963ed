// The command line of DESIGN.md §6, run against the real deskd binary.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/process.h"

namespace deskd::testing {
namespace {

// A directory with config files written by the test.
class DaemonCli : public ::testing::Test {
 protected:
  std::string write_config(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string sim_config() {
    return write_config("sim.toml",
                        "[desk]\nid = \"cli\"\n[gpio]\nbackend = \"sim\"\n"
                        "[schedule]\nenabled = false\n[web]\nenabled = false\n"
                        "[mqtt]\nuri = \"tcp://127.0.0.1:1\"\n[state]\ndir = \"" +
                            dir_ + "/state\"\n");
  }
  // A libgpiod config whose chip does not exist (there is no GPIO hardware here).
  std::string gpiod_config() {
    return write_config("gpiod.toml",
                        "[desk]\nid = \"cli\"\n[gpio]\nbackend = \"gpiod\"\n"
                        "chip = \"gpiochip77\"\nup = 17\ndown = 27\n"
                        "[sensor]\nkind = \"timed\"\n"
                        "[schedule]\nenabled = false\n[web]\nenabled = false\n"
                        "[mqtt]\nuri = \"tcp://127.0.0.1:1\"\n[state]\ndir = \"" +
                            dir_ + "/state\"\n");
  }
  int deskd(std::vector<std::string> args) {
    args.insert(args.begin(), DESKD_BINARY);
    return run_command(args, out_, std::chrono::seconds(20));
  }

  std::string dir_ = make_temp_dir("deskd-cli");
  std::string out_;
};

TEST_F(DaemonCli, VersionPrintsTheVersionAndExitsZero) {
  EXPECT_EQ(deskd({"--version"}), 0) << out_;
  EXPECT_EQ(out_.rfind("deskd ", 0), 0u) << out_;
  EXPECT_NE(out_.find_first_of("0123456789"), std::string::npos);
}

TEST_F(DaemonCli, HelpPrintsTheUsageAndExitsZero) {
  EXPECT_EQ(deskd({"--help"}), 0) << out_;
  EXPECT_NE(out_.find("Usage:"), std::string::npos) << out_;
  EXPECT_NE(out_.find("--check-config"), std::string::npos) << out_;
}

TEST_F(DaemonCli, CheckConfigOnAGoodFilePrintsTheEffectiveConfigAndExitsZero) {
  const std::string path = sim_config();
  EXPECT_EQ(deskd({"--check-config", "--config", path}), 0) << out_;
  // Keys the file did not set appear with their defaults.
  EXPECT_NE(out_.find("id = \"cli\""), std::string::npos) << out_;
  EXPECT_NE(out_.find("sit_minutes = 30"), std::string::npos) << out_;
  EXPECT_NE(out_.find("stand_height_mm = 1100"), std::string::npos) << out_;
  EXPECT_NE(out_.find("configuration OK"), std::string::npos) << out_;
}

TEST_F(DaemonCli, CheckConfigOnABadFileNamesFileLineColumnAndExits78) {
  const std::string path = write_config(
      "bad.toml", "[desk]\nid = \"cli\"\nheigth_mm = 700\n[gpio]\nbackend = \"sim\"\n");
  EXPECT_EQ(deskd({"--check-config", "--config", path}), 78) << out_;
  EXPECT_NE(out_.find(path + ":3:1: "), std::string::npos) << out_;
  EXPECT_NE(out_.find("heigth_mm"), std::string::npos) << out_;
}

TEST_F(DaemonCli, RunningWithABadFileExits78WithTheSameMessage) {
  const std::string path = write_config(
      "bad.toml", "[desk]\nid = \"cli\"\n[gpio]\nbackend = \"sim\"\n[schedule]\nsit_minutes = 2\n");
  EXPECT_EQ(deskd({"--config", path}), 78) << out_;
  EXPECT_NE(out_.find(path + ":6:"), std::string::npos) << out_;
  EXPECT_NE(out_.find("sit_minutes"), std::string::npos) << out_;
}

TEST_F(DaemonCli, AMissingConfigFileIsAConfigurationError) {
  EXPECT_EQ(deskd({"--check-config", "--config", dir_ + "/nope.toml"}), 78) << out_;
  EXPECT_NE(out_.find("nope.toml"), std::string::npos) << out_;
}

TEST_F(DaemonCli, WithoutConfigItSaysSoAndExitsOne) {
  EXPECT_EQ(deskd({}), 1) << out_;
  EXPECT_NE(out_.find("--config FILE is required"), std::string::npos) << out_;
  EXPECT_EQ(deskd({"--simulate"}), 1) << out_;
  EXPECT_NE(out_.find("--config FILE is required"), std::string::npos) << out_;
}

TEST_F(DaemonCli, AnUnknownOptionIsNamedAndExitsOne) {
  EXPECT_EQ(deskd({"--config", sim_config(), "--turbo"}), 1) << out_;
  EXPECT_NE(out_.find("unknown argument '--turbo'"), std::string::npos) << out_;
}

TEST_F(DaemonCli, TimeScaleOutOfBoundsIsRefused) {
  EXPECT_EQ(deskd({"--config", sim_config(), "--simulate", "--time-scale", "5000"}), 1) << out_;
  EXPECT_NE(out_.find("--time-scale must be a number from 1 to 1000"), std::string::npos) << out_;
}

TEST_F(DaemonCli, TimeScaleWithoutSimulationIsRefusedWithAClearMessage) {
  EXPECT_EQ(deskd({"--config", gpiod_config(), "--time-scale", "60"}), 1) << out_;
  EXPECT_NE(out_.find("--time-scale is refused without simulation"), std::string::npos) << out_;
  // Nothing was started: no hardware was touched, no state directory was made.
  EXPECT_EQ(out_.find("gpiochip"), std::string::npos) << out_;
  EXPECT_EQ(out_.find("ready"), std::string::npos) << out_;
}

TEST_F(DaemonCli, SafeStopOnASimConfigExitsZero) {
  EXPECT_EQ(deskd({"--safe-stop", "--config", sim_config()}), 0) << out_;
  EXPECT_NE(out_.find("simulated desk"), std::string::npos) << out_;
}

TEST_F(DaemonCli, SafeStopOnAMissingChipExitsOneWithAClearMessage) {
  EXPECT_EQ(deskd({"--safe-stop", "--config", gpiod_config()}), 1) << out_;
  EXPECT_NE(out_.find("gpiochip 'gpiochip77' not found"), std::string::npos) << out_;
}

TEST_F(DaemonCli, RunningOnAMissingChipExitsOneWithAClearMessage) {
  EXPECT_EQ(deskd({"--config", gpiod_config()}), 1) << out_;
  EXPECT_NE(out_.find("gpiochip 'gpiochip77' not found"), std::string::npos) << out_;
  EXPECT_EQ(out_.find(" ready: "), std::string::npos) << out_;
}

TEST_F(DaemonCli, SimulateOverridesTheGpiodBackend) {
  // --simulate selects the simulated desk whatever the config says, so the missing chip does
  // not matter and --time-scale is allowed.
  const std::string log = dir_ + "/sim.log";
  Process p({DESKD_BINARY, "--config", gpiod_config(), "--simulate", "--time-scale", "60"}, log);
  ASSERT_TRUE(p.wait_for_log(" ready: ", std::chrono::seconds(10))) << p.log();
  EXPECT_NE(p.log().find("on the simulated desk"), std::string::npos) << p.log();
  EXPECT_EQ(Process::exit_code(p.stop()), 0) << p.log();
}

}  // namespace
}  // namespace deskd::testing
