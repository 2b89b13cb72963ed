#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "ble/bluez_objects.h"

namespace deskd::ble {

// A Linak desk BlueZ knows of: from a scan, or paired before.
struct FoundDesk {
  std::string name;
  std::string address;
  std::optional<int> rssi;  // dBm; none for a desk known but not heard in this scan
  bool paired = false;
  friend bool operator==(const FoundDesk&, const FoundDesk&) = default;
};

// The Linak desks among BlueZ's objects under `adapter`: a Device1 that advertises the Linak
// control service (99fa0001-...) or whose name starts with "Desk" (IDÅSEN's default name).
// Pure: sorted by RSSI, strongest first.
std::vector<FoundDesk> linak_desks(const std::vector<ManagedObject>& objects,
                                   const std::string& adapter);

struct ScanOptions {
  std::string adapter = "hci0";
  std::chrono::seconds duration{8};
  std::optional<std::string> pair;  // an address to pair with (Device1.Pair) after the scan
};

// `deskd --scan`: discovers for `duration` on the system bus's BlueZ and lists the Linak desks
// on `out` with how to pair and configure them; with `pair`, pairs that one. Returns the exit
// code (0 ok, 1 BlueZ unreachable or the pairing failed); errors go to `err`.
int scan_desks(const ScanOptions& options, std::ostream& out, std::ostream& err);

}  // namespace deskd::ble
