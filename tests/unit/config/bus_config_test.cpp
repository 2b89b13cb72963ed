#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config/effective_config.h"

namespace deskd::config {
namespace {

constexpr const char* kBusSensor = "[sensor]\nkind = \"bus\"\n";

Config load_ok(const std::string& text) {
  auto result = parse_config(text, "t.toml");
  if (auto* e = std::get_if<ConfigError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << e->to_string();
    return Config{};
  }
  return std::get<Config>(result);
}

std::string load_error(const std::string& text) {
  auto result = parse_config(text, "t.toml");
  if (auto* e = std::get_if<ConfigError>(&result)) return e->to_string();
  return "(loaded without error)";
}

TEST(BusConfig, AJiecangBusThatMovesTheDeskNeedsNoGpioTable) {
  const Config c =
      load_ok(std::string(kBusSensor) + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\n");
  ASSERT_TRUE(c.bus.has_value());
  EXPECT_EQ(c.bus->protocol, bus::Protocol::kJiecang);
  EXPECT_EQ(c.bus->device, "/dev/serial0");
  EXPECT_EQ(c.bus->baud, 9600);
  EXPECT_EQ(c.bus->motion, BusMotion::kBus);
  EXPECT_EQ(c.bus->stale, std::chrono::milliseconds(500));
  EXPECT_EQ(c.bus->height_unit, bus::HeightUnit::kMm);
  EXPECT_FALSE(c.bus->wake_line.has_value());
  EXPECT_EQ(c.motion.sensor, core::SensorKind::kBus);
  EXPECT_EQ(c.motion.bus_stale, std::chrono::milliseconds(500));
  EXPECT_FALSE(c.motion.has_limit_bottom);
  EXPECT_FALSE(c.motion.has_limit_top);
}

TEST(BusConfig, StaleMsFillsTheMotionSettings) {
  const Config c = load_ok(std::string(kBusSensor) +
                           "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"inch_tenths\"\n"
                           "stale_ms = 250\n");
  EXPECT_EQ(c.motion.bus_stale, std::chrono::milliseconds(250));
  EXPECT_EQ(c.bus->height_unit, bus::HeightUnit::kInchTenths);
}

TEST(BusConfig, MotionGpioStillNeedsTheRelays) {
  const Config c =
      load_ok(std::string(kBusSensor) +
              "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\nmotion = \"gpio\"\n"
              "[gpio]\nup = 17\ndown = 27\n");
  EXPECT_EQ(c.bus->motion, BusMotion::kGpio);
  EXPECT_EQ(c.gpio.up, LineSpec{"17"});
}

TEST(BusConfig, ALoctekBusHasAWakeLine) {
  const Config c = load_ok(std::string(kBusSensor) +
                           "[bus]\nprotocol = \"loctek\"\nheight_unit = \"mm\"\nwake_line = 23\n"
                           "device = \"/dev/ttyAMA0\"\n");
  EXPECT_EQ(c.bus->protocol, bus::Protocol::kLoctek);
  EXPECT_EQ(c.bus->wake_line, LineSpec{"23"});
  EXPECT_EQ(c.bus->device, "/dev/ttyAMA0");
}

TEST(BusConfig, CheckConfigPrintsTheBusTable) {
  const Config c = load_ok(std::string(kBusSensor) +
                           "[bus]\nprotocol = \"loctek\"\nheight_unit = \"mm\"\nwake_line = 23\n");
  const std::string text = effective_config_toml(c);
  EXPECT_NE(
      text.find("[bus]\nprotocol = \"loctek\"\ndevice = \"/dev/serial0\"\nbaud = 9600\n"
                "motion = \"bus\"\nstale_ms = 500\nheight_unit = \"mm\"\nwake_line = \"23\"\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("kind = \"bus\""), std::string::npos);
}

struct BadBus {
  std::string name;
  std::string text;
  std::string expected;
};

void PrintTo(const BadBus& b, std::ostream* os) { *os << b.name; }

class BadBusConfig : public testing::TestWithParam<BadBus> {};

TEST_P(BadBusConfig, IsAnErrorWithFileLineColumn) {
  EXPECT_EQ(load_error(GetParam().text), GetParam().expected);
}

const std::string kS = kBusSensor;
const std::vector<BadBus> kBadBus{
    {"KindBusWithoutTable", kS,
     "t.toml:2:8: sensor.kind: \"bus\" needs a [bus] table (protocol, device, ...)"},
    {"TableWithoutKindBus", "[gpio]\nbackend = \"sim\"\n[bus]\nprotocol = \"jiecang\"\n",
     "t.toml:3:1: bus: a [bus] table needs sensor.kind = \"bus\""},
    {"ProtocolMissing", kS + "[bus]\nheight_unit = \"mm\"\n",
     "t.toml:3:1: bus.protocol: required (\"jiecang\" or \"loctek\"; it is never guessed)"},
    {"ProtocolUnknown", kS + "[bus]\nprotocol = \"auto\"\nheight_unit = \"mm\"\n",
     "t.toml:4:12: bus.protocol: must be one of \"jiecang\", \"loctek\", got \"auto\""},
    {"HeightUnitMissing", kS + "[bus]\nprotocol = \"jiecang\"\n",
     "t.toml:3:1: bus.height_unit: required (\"mm\" or \"inch_tenths\", as the handset shows the "
     "height; it is never guessed)"},
    {"HeightUnitUnknown", kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"cm\"\n",
     "t.toml:5:15: bus.height_unit: must be one of \"mm\", \"inch_tenths\", got \"cm\""},
    {"BaudNotStandard", kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\nbaud = 9601\n",
     "t.toml:6:8: bus.baud: must be a standard rate (1200 ... 115200)"},
    {"BaudWrongType", kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\nbaud = \"fast\"\n",
     "t.toml:6:8: bus.baud: must be an integer, got a string"},
    {"StaleOutOfRange", kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\nstale_ms = 10\n",
     "t.toml:6:12: bus.stale_ms: must be between 50 and 5000, got 10"},
    {"MotionUnknown",
     kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\nmotion = \"relay\"\n",
     "t.toml:6:10: bus.motion: must be one of \"bus\", \"gpio\", got \"relay\""},
    {"EmptyDevice", kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\ndevice = \"\"\n",
     "t.toml:6:10: bus.device: must not be empty"},
    {"UnknownKey", kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\nparity = \"none\"\n",
     "t.toml:6:1: unknown key 'parity' in [bus]"},
    {"LoctekWithoutWakeLine", kS + "[bus]\nprotocol = \"loctek\"\nheight_unit = \"mm\"\n",
     "t.toml:4:12: bus.wake_line: required for \"loctek\" (the GPIO wired to RJ45 pin 4, "
     "\"PIN20\", on gpio.chip)"},
    {"JiecangWithWakeLine",
     kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\nwake_line = 23\n",
     "t.toml:6:13: bus.wake_line: only Loctek controllers have a wake line"},
    {"RelaysWithBusMotion",
     kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\n[gpio]\nup = 17\ndown = 27\n",
     "t.toml:7:6: gpio.up: not used with bus.motion = \"bus\" (the controller moves the desk); "
     "remove it or set bus.motion = \"gpio\""},
    {"GpioMotionWithoutRelays",
     kS + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\nmotion = \"gpio\"\n",
     "t.toml:1:1: gpio.up: required when backend = \"gpiod\" (a line offset or name)"},
};

INSTANTIATE_TEST_SUITE_P(Table, BadBusConfig, testing::ValuesIn(kBadBus),
                         [](const testing::TestParamInfo<BadBus>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace deskd::config
