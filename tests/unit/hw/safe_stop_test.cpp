#include "hw/safe_stop.h"

#include <gtest/gtest.h>

namespace deskd::hw {
namespace {

// [bus] motion = "bus": the controller moves the desk and no motor output is wired, so
// `deskd --safe-stop` (systemd's ExecStopPost) has nothing to drive and must not need a chip.
TEST(SafeStop, WithNoMotorOutputsNoGpioChipIsNeeded) {
  config::GpioSettings gpio;
  gpio.chip = "gpiochip-that-does-not-exist";
  EXPECT_EQ(safe_stop(gpio), std::nullopt);
}

TEST(SafeStop, WithMotorOutputsAMissingChipIsAnError) {
  config::GpioSettings gpio;
  gpio.chip = "gpiochip-that-does-not-exist";
  gpio.up = config::LineSpec{"17"};
  gpio.down = config::LineSpec{"27"};
  const auto e = safe_stop(gpio);
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(e->find("gpiochip-that-does-not-exist"), std::string::npos) << *e;
}

}  // namespace
}  // namespace deskd::hw
