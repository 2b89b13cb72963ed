// deskd --scan [--config FILE] [--pair ADDRESS] [--scan-seconds N] (issue 22).
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "app/cli.h"

namespace deskd::app {
namespace {

using Mode = CliOptions::Mode;

std::variant<CliOptions, CliError> parse(const std::vector<std::string>& args) {
  return parse_cli(args);
}

TEST(CliScan, NeedsNoConfig) {
  const auto r = parse({"--scan"});
  ASSERT_TRUE(std::holds_alternative<CliOptions>(r));
  EXPECT_EQ(std::get<CliOptions>(r).mode, Mode::kScan);
  EXPECT_EQ(std::get<CliOptions>(r).scan_seconds, 8);
  EXPECT_FALSE(std::get<CliOptions>(r).pair);
}

TEST(CliScan, TakesAConfigAPairAddressAndADuration) {
  const auto r =
      parse({"--scan", "--config", "d.toml", "--pair", "aa:bb:cc:dd:ee:0f", "--scan-seconds", "3"});
  ASSERT_TRUE(std::holds_alternative<CliOptions>(r));
  const auto& o = std::get<CliOptions>(r);
  EXPECT_EQ(o.config_path, "d.toml");
  EXPECT_EQ(o.pair, "AA:BB:CC:DD:EE:0F");
  EXPECT_EQ(o.scan_seconds, 3);
}

TEST(CliScan, RefusesABadAddressADurationOutOfRangeAndPairWithoutScan) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--scan", "--pair", "AA-BB-CC-DD-EE-FF"},
                                             {"--scan", "--pair"},
                                             {"--scan", "--scan-seconds", "0"},
                                             {"--scan", "--scan-seconds", "61"},
                                             {"--config", "d.toml", "--pair", "AA:BB:CC:DD:EE:FF"},
                                             {"--scan", "--check-config", "--config", "d.toml"}}) {
    EXPECT_TRUE(std::holds_alternative<CliError>(parse(args))) << args.back();
  }
}

}  // namespace
}  // namespace deskd::app
