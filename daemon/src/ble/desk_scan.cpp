#include "ble/desk_scan.h"

#include <systemd/sd-bus.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "bus/linak_protocol.h"

namespace deskd::ble {

namespace {

bool is_linak(const ManagedObject& o) {
  const auto uuids = o.texts(kDeviceIface, "UUIDs").value_or(std::vector<std::string>{});
  if (std::find(uuids.begin(), uuids.end(), bus::linak::kControlService) != uuids.end()) {
    return true;
  }
  return o.text(kDeviceIface, "Name").value_or("").rfind("Desk", 0) == 0;
}

// A blocking call for the command line (not the daemon's loop). Fills `error` on failure.
sd_bus_message* call(sd_bus* bus, const std::string& path, const char* iface, const char* member,
                     std::string& error, std::uint64_t timeout_us = 25'000'000) {
  sd_bus_message* m = nullptr;
  sd_bus_message* reply = nullptr;
  sd_bus_error e{};  // SD_BUS_ERROR_NULL, without its C compound literal
  int r = sd_bus_message_new_method_call(bus, &m, kBluez, path.c_str(), iface, member);
  if (r >= 0) r = sd_bus_call(bus, m, timeout_us, &e, &reply);
  if (r < 0) {
    error = e.name ? std::string(e.name) + (e.message ? std::string(": ") + e.message : "")
                   : std::string(std::strerror(-r));
  }
  sd_bus_error_free(&e);
  sd_bus_message_unref(m);
  return r < 0 ? nullptr : reply;
}

void print(const std::vector<FoundDesk>& desks, std::ostream& out) {
  if (desks.empty()) {
    out << "No Linak desk found. Is the desk powered, near, and not connected to a phone?\n";
    return;
  }
  out << "Linak desks (name, address, RSSI):\n";
  for (const auto& d : desks) {
    out << "  " << d.name << "  " << d.address << "  "
        << (d.rssi ? std::to_string(*d.rssi) + " dBm" : std::string("not heard now"))
        << (d.paired ? "  paired" : "  not paired") << "\n";
  }
  out << "\nTo pair: hold the desk's Bluetooth button until its light blinks, then run\n"
         "  deskd --scan --pair ADDRESS\n"
         "and put the address in the config:\n"
         "  [sensor]\n  kind = \"ble\"\n  [ble]\n  protocol = \"linak\"\n  address = \""
      << desks.front().address << "\"\n";
}

}  // namespace

std::vector<FoundDesk> linak_desks(const std::vector<ManagedObject>& objects,
                                   const std::string& adapter) {
  std::vector<FoundDesk> desks;
  const std::string prefix = "/org/bluez/" + adapter + "/";
  for (const auto& o : objects) {
    if (o.path.rfind(prefix, 0) != 0 || !o.has(kDeviceIface) || !is_linak(o)) continue;
    const auto rssi = o.number(kDeviceIface, "RSSI");
    desks.push_back({o.text(kDeviceIface, "Name").value_or("(no name)"),
                     o.text(kDeviceIface, "Address").value_or(""),
                     rssi ? std::optional<int>(static_cast<int>(*rssi)) : std::nullopt,
                     o.flag(kDeviceIface, "Paired").value_or(false)});
  }
  std::stable_sort(desks.begin(), desks.end(), [](const FoundDesk& a, const FoundDesk& b) {
    return a.rssi.value_or(-1000) > b.rssi.value_or(-1000);
  });
  return desks;
}

int scan_desks(const ScanOptions& options, std::ostream& out, std::ostream& err) {
  sd_bus* bus = nullptr;
  if (int r = sd_bus_open_system(&bus); r < 0) {
    err << "deskd: --scan: cannot connect to the system D-Bus: " << std::strerror(-r) << "\n";
    return 1;
  }
  const std::string adapter = "/org/bluez/" + options.adapter;
  std::string error;
  sd_bus_message* started = call(bus, adapter, kAdapterIface, "StartDiscovery", error);
  if (!started) {
    err << "deskd: --scan: BlueZ cannot scan on " << options.adapter << " (" << error
        << "); is bluetoothd running and the adapter powered (bluetoothctl power on)?\n";
    sd_bus_flush_close_unref(bus);
    return 1;
  }
  sd_bus_message_unref(started);
  out << "Scanning for " << options.duration.count() << " s on " << options.adapter << "...\n";
  std::this_thread::sleep_for(options.duration);
  sd_bus_message* reply = call(bus, "/", kObjectManagerIface, "GetManagedObjects", error);
  const auto objects = reply ? read_managed_objects(reply, error) : std::nullopt;
  sd_bus_message_unref(reply);
  sd_bus_message_unref(call(bus, adapter, kAdapterIface, "StopDiscovery", error));
  int code = 0;
  if (!objects) {
    err << "deskd: --scan: " << error << "\n";
    code = 1;
  } else {
    print(linak_desks(*objects, options.adapter), out);
  }
  if (code == 0 && options.pair) {
    const std::string path = device_path(options.adapter, *options.pair);
    sd_bus_message* paired = call(bus, path, kDeviceIface, "Pair", error, 90'000'000);
    if (paired) {
      out << "Paired with " << *options.pair << ".\n";
    } else {
      err << "deskd: --scan: pairing with " << *options.pair << " failed: " << error << "\n";
      code = 1;
    }
    sd_bus_message_unref(paired);
  }
  sd_bus_flush_close_unref(bus);
  return code;
}

}  // namespace deskd::ble
