#include "hw/line_plan.h"

#include <gtest/gtest.h>

#include "hw/gpiod_lines.h"

namespace deskd::hw {
namespace {

struct ResolveCase {
  std::string spec;
  LineRef expected;
};

TEST(LinePlan, DigitsAreAnOffsetAnythingElseAName) {
  const std::vector<ResolveCase> cases = {
      {"17", {17u, ""}},
      {"0", {0u, ""}},
      {"MOTOR_UP", {std::nullopt, "MOTOR_UP"}},
      {"GPIO17", {std::nullopt, "GPIO17"}},
      {"17a", {std::nullopt, "17a"}},
      {"-1", {std::nullopt, "-1"}},
      {"99999999999999999999", {std::nullopt, "99999999999999999999"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(resolve_line(config::LineSpec{c.spec}), c.expected) << c.spec;
  }
}

TEST(LinePlan, DescribeNamesTheLineForMessages) {
  EXPECT_EQ(resolve_line(config::LineSpec{"17"}).describe(), "offset 17");
  EXPECT_EQ(resolve_line(config::LineSpec{"motor-up"}).describe(), "'motor-up'");
}

config::GpioSettings full_settings() {
  config::GpioSettings gpio;
  gpio.up = config::LineSpec{"MOTOR_UP"};
  gpio.down = config::LineSpec{"MOTOR_DOWN"};
  gpio.enable = config::LineSpec{"22"};
  gpio.encoder_a = config::LineSpec{"5"};
  gpio.encoder_b = config::LineSpec{"6"};
  gpio.limit_bottom = config::LineSpec{"LIMIT_B"};
  gpio.handset_up = config::LineSpec{"HS_UP"};
  gpio.outputs_active_low = true;
  gpio.inputs_active_low = false;
  gpio.input_bias = config::Bias::kPullUp;
  return gpio;
}

TEST(LinePlan, PlansEveryConfiguredLineWithItsDirectionPolarityAndBias) {
  const auto plans = plan_lines(full_settings());
  const std::vector<LinePlan> expected = {
      {LineRole::kUp, {std::nullopt, "MOTOR_UP"}, true, true, config::Bias::kAsIs},
      {LineRole::kDown, {std::nullopt, "MOTOR_DOWN"}, true, true, config::Bias::kAsIs},
      {LineRole::kEnable, {22u, ""}, true, true, config::Bias::kAsIs},
      {LineRole::kEncoderA, {5u, ""}, false, false, config::Bias::kPullUp},
      {LineRole::kEncoderB, {6u, ""}, false, false, config::Bias::kPullUp},
      {LineRole::kLimitBottom, {std::nullopt, "LIMIT_B"}, false, false, config::Bias::kPullUp},
      {LineRole::kHandsetUp, {std::nullopt, "HS_UP"}, false, false, config::Bias::kPullUp},
  };
  EXPECT_EQ(plans, expected);
}

TEST(LinePlan, SafeStopPlansOnlyTheMotorOutputs) {
  const auto plans = plan_output_lines(full_settings());
  ASSERT_EQ(plans.size(), 3u);
  for (const auto& p : plans) EXPECT_TRUE(p.output) << to_string(p.role);
}

struct FlagsCase {
  bool output;
  bool active_low;
  config::Bias bias;
  std::bitset<32> expected;
};

TEST(LinePlan, RequestFlagsFollowPolarityAndInputBias) {
  using R = gpiod::line_request;
  const std::vector<FlagsCase> cases = {
      {true, false, config::Bias::kAsIs, {}},
      {true, true, config::Bias::kAsIs, R::FLAG_ACTIVE_LOW},
      {true, false, config::Bias::kPullUp, {}},  // outputs keep the line's bias
      {false, false, config::Bias::kAsIs, {}},
      {false, true, config::Bias::kAsIs, R::FLAG_ACTIVE_LOW},
      {false, false, config::Bias::kDisabled, R::FLAG_BIAS_DISABLE},
      {false, false, config::Bias::kPullUp, R::FLAG_BIAS_PULL_UP},
      {false, true, config::Bias::kPullDown, R::FLAG_BIAS_PULL_DOWN | R::FLAG_ACTIVE_LOW},
  };
  for (const auto& c : cases) {
    LinePlan plan{LineRole::kButton, {}, c.output, c.active_low, c.bias};
    EXPECT_EQ(request_flags(plan), c.expected)
        << "output=" << c.output << " low=" << c.active_low << " bias=" << int(c.bias);
  }
}

TEST(LinePlan, OutputsAreRequestedAsOutputsInputsForBothEdges) {
  LinePlan out{LineRole::kUp, {}, true, false, config::Bias::kAsIs};
  LinePlan in{LineRole::kLimitTop, {}, false, false, config::Bias::kAsIs};
  EXPECT_EQ(make_request(out).request_type, gpiod::line_request::DIRECTION_OUTPUT);
  EXPECT_EQ(make_request(in).request_type, gpiod::line_request::EVENT_BOTH_EDGES);
  EXPECT_EQ(make_request(in).consumer, "deskd");
}

}  // namespace
}  // namespace deskd::hw
