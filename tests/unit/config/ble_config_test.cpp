#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config/effective_config.h"
#include "config/reload_rules.h"

namespace deskd::config {
namespace {

constexpr const char* kBleSensor = "[sensor]\nkind = \"ble\"\n";
constexpr const char* kLinak = "[ble]\nprotocol = \"linak\"\naddress = \"aa:bb:cc:dd:ee:0f\"\n";

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

TEST(BleConfig, ALinakDeskNeedsOnlyItsAddress) {
  const Config c = load_ok(std::string(kBleSensor) + kLinak);
  ASSERT_TRUE(c.ble.has_value());
  EXPECT_EQ(c.ble->protocol, BleProtocol::kLinak);
  EXPECT_EQ(c.ble->address, "AA:BB:CC:DD:EE:0F");  // BlueZ spells addresses in upper case
  EXPECT_EQ(c.ble->adapter, "hci0");
  EXPECT_EQ(c.ble->stale, std::chrono::milliseconds(1000));
  EXPECT_FALSE(c.ble->base_height_mm.has_value());
  EXPECT_FALSE(c.bus.has_value());
  // The core sees a bus sensor: heights that arrive with a time, stale after stale_ms.
  EXPECT_EQ(c.motion.sensor, core::SensorKind::kBus);
  EXPECT_EQ(c.motion.bus_stale, std::chrono::milliseconds(1000));
  EXPECT_FALSE(c.motion.has_limit_bottom);
  EXPECT_FALSE(c.motion.has_limit_top);
}

TEST(BleConfig, TakesAdapterStaleAndBaseHeight) {
  const Config c = load_ok(std::string(kBleSensor) + kLinak +
                           "adapter = \"hci1\"\nstale_ms = 600\nbase_height_mm = 620\n");
  EXPECT_EQ(c.ble->adapter, "hci1");
  EXPECT_EQ(c.ble->stale, std::chrono::milliseconds(600));
  EXPECT_EQ(c.motion.bus_stale, std::chrono::milliseconds(600));
  EXPECT_EQ(c.ble->base_height_mm, 620);
}

TEST(BleConfig, CheckConfigPrintsTheBleTable) {
  const Config c = load_ok(std::string(kBleSensor) + kLinak);
  const std::string text = effective_config_toml(c);
  EXPECT_NE(text.find("[ble]\nprotocol = \"linak\"\naddress = \"AA:BB:CC:DD:EE:0F\"\n"
                      "adapter = \"hci0\"\nstale_ms = 1000\n"
                      "# base_height_mm: unset (read from the desk)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("kind = \"ble\""), std::string::npos) << text;
  EXPECT_NE(text.find("# [bus]: unset"), std::string::npos) << text;
}

TEST(BleConfig, ADifferentDeskNeedsARestart) {
  const Config a = load_ok(std::string(kBleSensor) + kLinak);
  Config b = a;
  b.ble->address = "AA:BB:CC:DD:EE:10";
  EXPECT_TRUE(needs_restart(a, b));
  EXPECT_FALSE(needs_restart(a, a));
}

struct BadBle {
  std::string name;
  std::string text;
  std::string expected;
};

void PrintTo(const BadBle& b, std::ostream* os) { *os << b.name; }

class BadBleConfig : public testing::TestWithParam<BadBle> {};

TEST_P(BadBleConfig, IsAnErrorWithFileLineColumn) {
  EXPECT_EQ(load_error(GetParam().text), GetParam().expected);
}

const std::string kS = kBleSensor;
const std::string kL = kLinak;
const std::vector<BadBle> kBadBle{
    {"KindBleWithoutTable", kS,
     "t.toml:2:8: sensor.kind: \"ble\" needs a [ble] table (protocol, address, ...)"},
    {"TableWithoutKindBle", "[gpio]\nbackend = \"sim\"\n" + kL,
     "t.toml:3:1: ble: a [ble] table needs sensor.kind = \"ble\""},
    {"ProtocolMissing", kS + "[ble]\naddress = \"AA:BB:CC:DD:EE:FF\"\n",
     "t.toml:3:1: ble.protocol: required (\"linak\"; it is never guessed)"},
    {"ProtocolUnknown", kS + "[ble]\nprotocol = \"auto\"\naddress = \"AA:BB:CC:DD:EE:FF\"\n",
     "t.toml:4:12: ble.protocol: must be one of \"linak\", got \"auto\""},
    {"AddressMissing", kS + "[ble]\nprotocol = \"linak\"\n",
     "t.toml:3:1: ble.address: required (the desk's Bluetooth address, \"AA:BB:CC:DD:EE:FF\"; "
     "deskd --scan lists nearby desks)"},
    {"AddressMalformed", kS + "[ble]\nprotocol = \"linak\"\naddress = \"AA-BB-CC-DD-EE-FF\"\n",
     "t.toml:5:11: ble.address: must be a Bluetooth address like \"AA:BB:CC:DD:EE:FF\", got "
     "\"AA-BB-CC-DD-EE-FF\""},
    {"AddressNotHex", kS + "[ble]\nprotocol = \"linak\"\naddress = \"AA:BB:CC:DD:EE:FG\"\n",
     "t.toml:5:11: ble.address: must be a Bluetooth address like \"AA:BB:CC:DD:EE:FF\", got "
     "\"AA:BB:CC:DD:EE:FG\""},
    {"AddressShort", kS + "[ble]\nprotocol = \"linak\"\naddress = \"AA:BB:CC:DD:EE\"\n",
     "t.toml:5:11: ble.address: must be a Bluetooth address like \"AA:BB:CC:DD:EE:FF\", got "
     "\"AA:BB:CC:DD:EE\""},
    {"AdapterMalformed", kS + kL + "adapter = \"/org/bluez/hci0\"\n",
     "t.toml:6:11: ble.adapter: must be hci0, hci1, ..., got \"/org/bluez/hci0\""},
    {"StaleOutOfRange", kS + kL + "stale_ms = 10\n",
     "t.toml:6:12: ble.stale_ms: must be between 100 and 5000, got 10"},
    {"BaseHeightOutOfRange", kS + kL + "base_height_mm = 7000\n",
     "t.toml:6:18: ble.base_height_mm: must be between 300 and 1500, got 7000"},
    {"UnknownKey", kS + kL + "pin = 1234\n", "t.toml:6:1: unknown key 'pin' in [ble]"},
    {"BusAndBle", kS + kL + "[bus]\nprotocol = \"jiecang\"\nheight_unit = \"mm\"\n",
     "t.toml:6:1: bus: a desk is either on a UART ([bus]) or on Bluetooth ([ble]), not both; "
     "remove one"},
    {"RelaysWithBle", kS + kL + "[gpio]\nup = 17\ndown = 27\n",
     "t.toml:7:6: gpio.up: not used with sensor.kind = \"ble\" (the desk moves by its Bluetooth "
     "commands); remove it"},
};

INSTANTIATE_TEST_SUITE_P(Table, BadBleConfig, testing::ValuesIn(kBadBle),
                         [](const testing::TestParamInfo<BadBle>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace deskd::config
