#include "ble/desk_scan.h"

#include <gtest/gtest.h>

namespace deskd::ble {
namespace {

ManagedObject device(const std::string& path, const std::string& name, std::optional<int> rssi,
                     std::vector<std::string> uuids = {}) {
  ManagedObject o;
  o.path = path;
  Props& p = o.interfaces[kDeviceIface];
  p["Name"] = name;
  p["Address"] = path.substr(path.size() - 17);
  if (rssi) p["RSSI"] = std::int64_t{*rssi};
  p["UUIDs"] = std::move(uuids);
  p["Paired"] = false;
  return o;
}

TEST(DeskScan, ListsLinakDesksByNameOrServiceStrongestFirst) {
  const std::string hci0 = "/org/bluez/hci0/dev_";
  std::vector<ManagedObject> objects{
      device(hci0 + "AA_AA_AA_AA_AA_01", "Desk 1234", -80),
      device(hci0 + "AA_AA_AA_AA_AA_02", "Office", -50,
             {"99fa0001-338a-1024-8a49-009c0215f78a"}),  // renamed; the Linak service says it
      device(hci0 + "AA_AA_AA_AA_AA_03", "Headphones", -40,
             {"0000110b-0000-1000-8000-00805f9b34fb"}),
      device("/org/bluez/hci1/dev_AA_AA_AA_AA_AA_04", "Desk 9", -30),  // another adapter
      device(hci0 + "AA_AA_AA_AA_AA_05", "Desk 5", std::nullopt),      // known, not heard now
  };
  for (auto& o : objects) {
    auto& a = std::get<std::string>(o.interfaces[kDeviceIface]["Address"]);
    for (char& c : a) c = c == '_' ? ':' : c;
  }
  const auto desks = linak_desks(objects, "hci0");
  ASSERT_EQ(desks.size(), 3u);
  EXPECT_EQ(desks[0].name, "Office");
  EXPECT_EQ(desks[0].address, "AA:AA:AA:AA:AA:02");
  EXPECT_EQ(desks[0].rssi, -50);
  EXPECT_EQ(desks[1].name, "Desk 1234");
  EXPECT_EQ(desks[2].name, "Desk 5");
  EXPECT_FALSE(desks[2].rssi);
}

TEST(DeskScan, BuildsBluezDevicePaths) {
  EXPECT_EQ(device_path("hci0", "AA:BB:CC:DD:EE:FF"), "/org/bluez/hci0/dev_AA_BB_CC_DD_EE_FF");
}

}  // namespace
}  // namespace deskd::ble
