#pragma once

#include <systemd/sd-bus.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace deskd::ble {

// BlueZ's names (org.bluez, doc/*-api.txt).
inline constexpr const char* kBluez = "org.bluez";
inline constexpr const char* kAdapterIface = "org.bluez.Adapter1";
inline constexpr const char* kDeviceIface = "org.bluez.Device1";
inline constexpr const char* kServiceIface = "org.bluez.GattService1";
inline constexpr const char* kCharIface = "org.bluez.GattCharacteristic1";
inline constexpr const char* kPropsIface = "org.freedesktop.DBus.Properties";
inline constexpr const char* kObjectManagerIface = "org.freedesktop.DBus.ObjectManager";

// A property value of the kinds deskd reads; anything else is skipped.
using PropValue = std::variant<bool, std::int64_t, std::string, std::vector<std::uint8_t>,
                               std::vector<std::string>>;
using Props = std::map<std::string, PropValue>;

// One object of GetManagedObjects: its interfaces and their (readable) properties.
struct ManagedObject {
  std::string path;
  std::map<std::string, Props> interfaces;
  bool has(const char* iface) const { return interfaces.count(iface) != 0; }
  std::optional<bool> flag(const char* iface, const char* name) const;
  std::optional<std::string> text(const char* iface, const char* name) const;
  std::optional<std::int64_t> number(const char* iface, const char* name) const;
  std::optional<std::vector<std::string>> texts(const char* iface, const char* name) const;
};

// Reads a GetManagedObjects reply (a{oa{sa{sv}}}). nullopt (and `error`) for a malformed reply:
// it changes nothing.
std::optional<std::vector<ManagedObject>> read_managed_objects(sd_bus_message* reply,
                                                               std::string& error);
// Reads the a{sv} of a PropertiesChanged signal or an interface, the message positioned at it.
int read_props(sd_bus_message* m, Props& out);

// "/org/bluez/hci0/dev_AA_BB_CC_DD_EE_FF" for adapter "hci0" and "AA:BB:CC:DD:EE:FF".
std::string device_path(const std::string& adapter, const std::string& address);

}  // namespace deskd::ble
