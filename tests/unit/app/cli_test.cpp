#include "app/cli.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace deskd::app {
namespace {

using Mode = CliOptions::Mode;

CliOptions parse_ok(const std::vector<std::string>& args) {
  auto r = parse_cli(args);
  if (auto* e = std::get_if<CliError>(&r)) {
    ADD_FAILURE() << "unexpected error: " << e->message;
    return {};
  }
  return std::get<CliOptions>(r);
}

CliError parse_error(const std::vector<std::string>& args) {
  auto r = parse_cli(args);
  if (std::holds_alternative<CliOptions>(r)) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return std::get<CliError>(r);
}

TEST(Cli, ConfigAloneRunsTheDaemonWithDefaults) {
  const auto o = parse_ok({"--config", "/etc/deskd/deskd.toml"});
  EXPECT_EQ(o.mode, Mode::kRun);
  EXPECT_EQ(o.config_path, "/etc/deskd/deskd.toml");
  EXPECT_FALSE(o.simulate);
  EXPECT_FALSE(o.time_scale.has_value());
  EXPECT_EQ(o.log_level, platform::LogLevel::kInfo);
}

TEST(Cli, ConfigHasAShortAndAnEqualsForm) {
  EXPECT_EQ(parse_ok({"-c", "a.toml"}).config_path, "a.toml");
  EXPECT_EQ(parse_ok({"--config=b.toml"}).config_path, "b.toml");
}

TEST(Cli, SimulateAndTimeScaleAreParsed) {
  const auto o = parse_ok({"--config", "x", "--simulate", "--time-scale", "60"});
  EXPECT_TRUE(o.simulate);
  ASSERT_TRUE(o.time_scale.has_value());
  EXPECT_DOUBLE_EQ(*o.time_scale, 60.0);
  EXPECT_DOUBLE_EQ(*parse_ok({"--config", "x", "--time-scale=2.5"}).time_scale, 2.5);
}

TEST(Cli, TimeScaleAcceptsItsBoundsAndRefusesBeyondThem) {
  struct Case {
    std::string value;
    bool ok;
  };
  const std::vector<Case> cases = {
      {"1", true},  {"1000", true}, {"0.999", false}, {"1000.5", false},
      {"0", false}, {"-5", false},  {"abc", false},   {"60x", false},
      {"", false},  {"nan", false}, {"inf", false},   {"300", true},
  };
  for (const auto& c : cases) {
    auto r = parse_cli({"--config", "x", "--time-scale=" + c.value});
    EXPECT_EQ(std::holds_alternative<CliOptions>(r), c.ok) << "--time-scale=" << c.value;
    if (auto* e = std::get_if<CliError>(&r)) {
      EXPECT_NE(e->message.find("--time-scale must be a number from 1 to 1000"), std::string::npos)
          << e->message;
      EXPECT_EQ(e->exit_code, 1);
    }
  }
}

TEST(Cli, OptionsThatNeedAValueSayWhenItIsMissing) {
  EXPECT_NE(parse_error({"--config"}).message.find("--config needs a FILE"), std::string::npos);
  EXPECT_NE(parse_error({"--config", "x", "--time-scale"}).message.find("needs a number"),
            std::string::npos);
  EXPECT_NE(parse_error({"--config", "x", "--log-level"}).message.find("needs a LEVEL"),
            std::string::npos);
}

TEST(Cli, EveryLogLevelIsAcceptedAndAnUnknownOneIsRefused) {
  const std::vector<std::pair<std::string, platform::LogLevel>> levels = {
      {"debug", platform::LogLevel::kDebug},   {"info", platform::LogLevel::kInfo},
      {"notice", platform::LogLevel::kNotice}, {"warning", platform::LogLevel::kWarning},
      {"error", platform::LogLevel::kError},
  };
  for (const auto& [name, level] : levels) {
    EXPECT_EQ(parse_ok({"--config", "x", "--log-level", name}).log_level, level) << name;
    EXPECT_EQ(parse_ok({"--config", "x", "--log-level=" + name}).log_level, level) << name;
  }
  const auto e = parse_error({"--config", "x", "--log-level", "verbose"});
  EXPECT_NE(e.message.find("unknown log level 'verbose'"), std::string::npos) << e.message;
}

TEST(Cli, EachModeFlagSelectsItsMode) {
  EXPECT_EQ(parse_ok({"--check-config", "--config", "x"}).mode, Mode::kCheckConfig);
  EXPECT_EQ(parse_ok({"--safe-stop", "--config", "x"}).mode, Mode::kSafeStop);
  EXPECT_EQ(parse_ok({"--forget", "--config", "x"}).mode, Mode::kForget);
  EXPECT_EQ(parse_ok({"--version"}).mode, Mode::kVersion);
  EXPECT_EQ(parse_ok({"-V"}).mode, Mode::kVersion);
  EXPECT_EQ(parse_ok({"--help"}).mode, Mode::kHelp);
  EXPECT_EQ(parse_ok({"-h"}).mode, Mode::kHelp);
}

TEST(Cli, VersionAndHelpNeedNoConfig) {
  EXPECT_TRUE(parse_ok({"--version"}).config_path.empty());
  EXPECT_TRUE(parse_ok({"--help"}).config_path.empty());
}

TEST(Cli, EveryOtherModeRequiresAConfig) {
  for (const std::string flag : {"--check-config", "--safe-stop", "--forget", "--simulate"}) {
    const auto e = parse_error({flag});
    EXPECT_NE(e.message.find("--config FILE is required"), std::string::npos) << flag;
    EXPECT_EQ(e.exit_code, 1);
  }
  EXPECT_NE(parse_error({}).message.find("--config FILE is required"), std::string::npos);
}

TEST(Cli, TwoModesAtOnceAreRefused) {
  const auto e = parse_error({"--check-config", "--safe-stop", "--config", "x"});
  EXPECT_NE(e.message.find("choose one of"), std::string::npos) << e.message;
  EXPECT_NE(parse_error({"--version", "--help"}).message.find("choose one of"), std::string::npos);
}

TEST(Cli, AnUnknownArgumentIsNamedAndTheUsageShown) {
  const auto e = parse_error({"--config", "x", "--frobnicate"});
  EXPECT_NE(e.message.find("unknown argument '--frobnicate'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("Usage:"), std::string::npos);
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_NE(parse_error({"--config", "x", "stray"}).message.find("unknown argument 'stray'"),
            std::string::npos);
}

TEST(Cli, UsageListsEveryOption) {
  const std::string u = usage();
  for (const char* option :
       {"--config", "--simulate", "--time-scale", "--log-level", "--check-config", "--safe-stop",
        "--forget", "--force", "--version", "--help"}) {
    EXPECT_NE(u.find(option), std::string::npos) << option;
  }
}

TEST(Cli, ForceGoesWithForgetOnly) {
  EXPECT_FALSE(parse_ok({"--forget", "--config", "c.toml"}).force);
  const auto o = parse_ok({"--force", "--forget", "--config", "c.toml"});
  EXPECT_EQ(o.mode, Mode::kForget);
  EXPECT_TRUE(o.force);
  EXPECT_NE(
      parse_error({"--force", "--config", "c.toml"}).message.find("--force goes with --forget"),
      std::string::npos);
  EXPECT_NE(parse_error({"--check-config", "--force", "--config", "c.toml"})
                .message.find("--force goes with --forget"),
            std::string::npos);
}

TEST(Cli, OptionsMayComeInAnyOrder) {
  const auto o = parse_ok({"--log-level", "error", "--simulate", "--config", "c.toml"});
  EXPECT_EQ(o.config_path, "c.toml");
  EXPECT_TRUE(o.simulate);
  EXPECT_EQ(o.log_level, platform::LogLevel::kError);
}

}  // namespace
}  // namespace deskd::app
