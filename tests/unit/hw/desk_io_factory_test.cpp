#include "hw/desk_io_factory.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "hw/bus_backend.h"
#include "hw/safe_stop.h"
#include "hw/sim_backend.h"

namespace deskd::hw {
namespace {

config::Config gpiod_config_on_missing_chip() {
  config::Config config;
  config.gpio.backend = config::Backend::kGpiod;
  config.gpio.chip = "gpiochip9";
  config.gpio.up = config::LineSpec{"motor-up"};
  config.gpio.down = config::LineSpec{"motor-down"};
  return config;
}

TEST(DeskIoFactory, SimulateFlagChoosesTheSimulatedDeskWhateverTheBackend) {
  boost::asio::io_context io;
  ports::SystemClock clock;
  auto handle = make_desk_io(gpiod_config_on_missing_chip(), io, clock, /*simulate=*/true);
  ASSERT_NE(handle.io, nullptr);
  ASSERT_NE(handle.sim, nullptr);
  EXPECT_EQ(handle.gpiod, nullptr);
  EXPECT_EQ(static_cast<ports::DeskIo*>(handle.sim), handle.io.get());
  EXPECT_DOUBLE_EQ(handle.sim->true_height_mm(), 720.0);
}

TEST(DeskIoFactory, ABusTableWithSimulateChoosesABusBackendOnASimulatedController) {
  boost::asio::io_context io;
  ports::SystemClock clock;
  config::Config config = gpiod_config_on_missing_chip();
  config.gpio.up.reset();
  config.gpio.down.reset();
  config.bus = config::BusSettings{};
  auto handle = make_desk_io(config, io, clock, /*simulate=*/true);
  ASSERT_NE(handle.bus, nullptr);
  ASSERT_NE(handle.bus_sim, nullptr);
  ASSERT_NE(handle.sim, nullptr);  // B/sim/set reaches the controller's physics
  EXPECT_EQ(static_cast<ports::DeskIo*>(handle.bus), handle.io.get());
  EXPECT_EQ(handle.sim, &handle.bus_sim->desk());
  EXPECT_EQ(handle.bus->relays(), nullptr);  // motion = "bus": no relays
  EXPECT_EQ(handle.bus_sim->device_path().rfind("/dev/pts/", 0), 0U);
}

TEST(DeskIoFactory, ABusTableWithoutSimulateOpensTheConfiguredDevice) {
  boost::asio::io_context io;
  ports::SystemClock clock;
  config::Config config;
  config.bus = config::BusSettings{};
  config.bus->device = "/dev/ttyDOESNOTEXIST";
  try {
    (void)make_desk_io(config, io, clock, /*simulate=*/false);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bus device '/dev/ttyDOESNOTEXIST'"), std::string::npos)
        << e.what();
  }
}

TEST(DeskIoFactory, SimBackendInTheConfigChoosesTheSimulatedDesk) {
  boost::asio::io_context io;
  ports::SystemClock clock;
  config::Config config;
  config.gpio.backend = config::Backend::kSim;
  config.sim.start_height_mm = 1000;
  auto handle = make_desk_io(config, io, clock, /*simulate=*/false);
  ASSERT_NE(handle.sim, nullptr);
  EXPECT_DOUBLE_EQ(handle.sim->true_height_mm(), 1000.0);
}

TEST(DeskIoFactory, GpiodBackendOnAMissingChipThrowsItsMessage) {
  boost::asio::io_context io;
  ports::SystemClock clock;
  try {
    make_desk_io(gpiod_config_on_missing_chip(), io, clock, /*simulate=*/false);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "gpiochip 'gpiochip9' not found");
  }
}

TEST(SafeStop, AMissingChipIsReportedNotThrown) {
  const auto error = safe_stop(gpiod_config_on_missing_chip().gpio);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(*error, "gpiochip 'gpiochip9' not found");
}

}  // namespace
}  // namespace deskd::hw
