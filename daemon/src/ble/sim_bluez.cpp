// SimBluez: the D-Bus side (objects, properties, methods) of the simulated BlueZ.
#include "ble/sim_bluez.h"

#include <stdexcept>

#include "bus/linak_protocol.h"

namespace deskd::ble {

namespace {

namespace linak = bus::linak;
using Bytes = std::vector<std::uint8_t>;

int get_prop(sd_bus* /*bus*/, const char* /*path*/, const char* /*iface*/, const char* property,
             sd_bus_message* reply, void* userdata, sd_bus_error* /*error*/) {
  const auto& o = *static_cast<SimBluez::Object*>(userdata);
  const auto it = o.props.find(property);
  if (it == o.props.end()) return -ENOENT;
  const PropValue& v = it->second;
  if (const auto* b = std::get_if<bool>(&v)) return sd_bus_message_append(reply, "b", int{*b});
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return sd_bus_message_append(reply, "n", static_cast<std::int16_t>(*n));
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    const bool object = std::string_view(property) == "Service" ||
                        std::string_view(property) == "Device" ||
                        std::string_view(property) == "Adapter";
    return sd_bus_message_append(reply, object ? "o" : "s", s->c_str());
  }
  if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
    std::vector<const char*> strv;
    for (const auto& item : *list) strv.push_back(item.c_str());
    strv.push_back(nullptr);
    return sd_bus_message_append_strv(reply, const_cast<char**>(strv.data()));
  }
  const auto& bytes = std::get<Bytes>(v);
  return sd_bus_message_append_array(reply, 'y', bytes.data(), bytes.size());
}

#define DESKD_PROP(name, sig) \
  SD_BUS_PROPERTY(name, sig, get_prop, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE)

const sd_bus_vtable kAdapterVtable[] = {
    SD_BUS_VTABLE_START(0),
    DESKD_PROP("Address", "s"),
    DESKD_PROP("Powered", "b"),
    DESKD_PROP("Discovering", "b"),
    SD_BUS_METHOD("StartDiscovery", "", "", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("StopDiscovery", "", "", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_VTABLE_END};

const sd_bus_vtable kDeviceVtable[] = {
    SD_BUS_VTABLE_START(0),
    DESKD_PROP("Address", "s"),
    DESKD_PROP("Name", "s"),
    DESKD_PROP("Alias", "s"),
    DESKD_PROP("Adapter", "o"),
    DESKD_PROP("Paired", "b"),
    DESKD_PROP("Trusted", "b"),
    DESKD_PROP("Connected", "b"),
    DESKD_PROP("ServicesResolved", "b"),
    DESKD_PROP("RSSI", "n"),
    DESKD_PROP("UUIDs", "as"),
    SD_BUS_METHOD("Connect", "", "", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("Disconnect", "", "", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("Pair", "", "", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_VTABLE_END};

const sd_bus_vtable kServiceVtable[] = {SD_BUS_VTABLE_START(0), DESKD_PROP("UUID", "s"),
                                        DESKD_PROP("Device", "o"), DESKD_PROP("Primary", "b"),
                                        SD_BUS_VTABLE_END};

const sd_bus_vtable kCharVtable[] = {
    SD_BUS_VTABLE_START(0),
    DESKD_PROP("UUID", "s"),
    DESKD_PROP("Service", "o"),
    DESKD_PROP("Value", "ay"),
    DESKD_PROP("Notifying", "b"),
    SD_BUS_METHOD("ReadValue", "a{sv}", "ay", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("WriteValue", "aya{sv}", "", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("StartNotify", "", "", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("StopNotify", "", "", SimBluez::on_method, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_VTABLE_END};

}  // namespace

SimBluez::SimBluez(boost::asio::io_context& io, const ports::Clock& clock,
                   const std::string& bus_address, const config::SimSettings& sim,
                   const core::MotionSettings& motion, Options options)
    : io_(io),
      clock_(clock),
      options_(std::move(options)),
      bus_(SdBusLoop::open_address(io, bus_address)),
      desk_(sim, motion, clock.steady_now()),
      tick_timer_(io),
      resolve_timer_(io) {
  export_objects();
  if (int r = sd_bus_request_name(bus_->bus(), kBluez, 0); r < 0) {
    throw std::runtime_error("simulated BlueZ: cannot own org.bluez on " + bus_address);
  }
  bus_->kick();
}

SimBluez::~SimBluez() {
  *alive_ = false;
  tick_timer_.cancel();
  resolve_timer_.cancel();
  for (auto& [key, o] : objects_) sd_bus_slot_unref(o->slot);
  sd_bus_slot_unref(manager_);
}

SimBluez::Object& SimBluez::add(const std::string& path, const char* iface, Props props) {
  auto o = std::make_unique<Object>(Object{this, path, iface, std::move(props), nullptr});
  const std::string_view i(iface);
  const sd_bus_vtable* vtable = i == kAdapterIface   ? kAdapterVtable
                                : i == kDeviceIface  ? kDeviceVtable
                                : i == kServiceIface ? kServiceVtable
                                                     : kCharVtable;
  sd_bus_add_object_vtable(bus_->bus(), &o->slot, path.c_str(), iface, vtable, o.get());
  Object& ref = *o;
  objects_[path + "|" + iface] = std::move(o);
  return ref;
}

void SimBluez::export_objects() {
  sd_bus_add_object_manager(bus_->bus(), &manager_, "/");
  const std::string adapter = "/org/bluez/" + options_.adapter;
  add(adapter, kAdapterIface,
      {{"Address", std::string("B8:27:EB:00:00:01")}, {"Powered", true}, {"Discovering", false}});
  const std::string dev = device_path(options_.adapter, options_.address);
  device_ = &add(dev, kDeviceIface,
                 {{"Address", options_.address},
                  {"Name", options_.name},
                  {"Alias", options_.name},
                  {"Adapter", adapter},
                  {"Paired", true},
                  {"Trusted", true},
                  {"Connected", false},
                  {"ServicesResolved", false},
                  {"RSSI", std::int64_t{options_.rssi}},
                  {"UUIDs", std::vector<std::string>{std::string(linak::kControlService)}}});
  struct Gatt {
    std::string_view service, chr;
    Object** out;
  };
  Object* ignored = nullptr;
  const Gatt gatt[] = {{linak::kControlService, linak::kControlChar, &ignored},
                       {linak::kDpgService, linak::kDpgChar, &dpg_char_},
                       {linak::kOutputService, linak::kHeightChar, &height_char_},
                       {linak::kInputService, linak::kMoveToChar, &ignored}};
  int handle = 0x000e;
  for (const Gatt& g : gatt) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "/service%04x", handle);
    const std::string service = dev + buf;
    add(service, kServiceIface,
        {{"UUID", std::string(g.service)}, {"Device", dev}, {"Primary", true}});
    std::snprintf(buf, sizeof buf, "/char%04x", handle + 1);
    *g.out = &add(service + buf, kCharIface,
                  {{"UUID", std::string(g.chr)},
                   {"Service", service},
                   {"Value", Bytes{}},
                   {"Notifying", false}});
    handle += 0x10;
  }
  set_prop(*height_char_, "Value", reference_value());
}

void SimBluez::set_prop(Object& o, const char* name, PropValue value) {
  if (o.props[name] == value) return;
  o.props[name] = std::move(value);
  sd_bus_emit_properties_changed(bus_->bus(), o.path.c_str(), o.iface.c_str(), name, nullptr);
  bus_->kick();
}

int SimBluez::on_method(sd_bus_message* m, void* userdata, sd_bus_error* error) {
  auto& o = *static_cast<Object*>(userdata);
  const std::string member = sd_bus_message_get_member(m);
  if (o.iface == kDeviceIface) return o.sim->device_method(o, member, m, error);
  if (o.iface == kCharIface) return o.sim->char_method(o, member, m, error);
  return sd_bus_reply_method_return(m, "");  // the adapter's discovery: nothing to do
}

int SimBluez::device_method(Object& o, const std::string& member, sd_bus_message* m,
                            sd_bus_error* error) {
  if (member == "Connect") {
    if (away_)
      return sd_bus_error_set(error, "org.bluez.Error.Failed", "le-connection-abort-by-local");
    if (!connected_) {
      connected_ = true;
      set_prop(o, "Connected", true);
      resolve_services();
    }
  } else if (member == "Disconnect") {
    disconnect();
  }
  return sd_bus_reply_method_return(m, "");
}

// BlueZ resolves the services a moment after the connection: ServicesResolved comes later.
void SimBluez::resolve_services() {
  resolve_timer_.expires_after(std::chrono::milliseconds(50));
  resolve_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || !connected_) return;
    set_prop(*device_, "ServicesResolved", true);
  });
}

void SimBluez::disconnect() {
  connected_ = false;
  set_prop(*device_, "ServicesResolved", false);
  set_prop(*device_, "Connected", false);
  for (auto& [key, o] : objects_) {
    if (o->iface == kCharIface) set_prop(*o, "Notifying", false);
  }
}

int SimBluez::char_method(Object& o, const std::string& member, sd_bus_message* m,
                          sd_bus_error* error) {
  if (!connected_) return sd_bus_error_set(error, "org.bluez.Error.Failed", "Not connected");
  if (member == "ReadValue") {
    sd_bus_message* reply = nullptr;
    const auto& value = std::get<Bytes>(o.props["Value"]);
    int r = sd_bus_message_new_method_return(m, &reply);
    if (r >= 0) r = sd_bus_message_append_array(reply, 'y', value.data(), value.size());
    if (r >= 0) r = sd_bus_send(nullptr, reply, nullptr);
    sd_bus_message_unref(reply);
    return r;
  }
  if (member == "WriteValue") return write_value(o, m, error);
  set_prop(o, "Notifying", member == "StartNotify");
  return sd_bus_reply_method_return(m, "");
}

int SimBluez::write_value(Object& o, sd_bus_message* m, sd_bus_error* error) {
  const void* data = nullptr;
  std::size_t size = 0;
  if (sd_bus_message_read_array(m, 'y', &data, &size) < 0) {
    return sd_bus_error_set(error, "org.bluez.Error.InvalidArguments", "Invalid arguments");
  }
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  const Bytes value(bytes, bytes + size);
  const auto uuid = std::get<std::string>(o.props["UUID"]);
  if (uuid == linak::kControlChar) {
    if (refuse_writes_) {
      return sd_bus_error_set(error, "org.bluez.Error.NotPermitted", "Write not permitted");
    }
    on_control(value);
  } else if (uuid == linak::kDpgChar) {
    on_dpg(o, value);
  }
  return sd_bus_reply_method_return(m, "");
}

// DPG: the base offset and the user id (spec.md's answers: 01 03 01 <base>; 01 11 00 C6 0F ...,
// whose first byte 00 a DPG1C wants as 01; a write answered 01 00).
void SimBluez::on_dpg(Object& o, const Bytes& value) {
  o.props["Value"] = Bytes{};  // an answer is a notification even if it repeats the last one
  if (value == linak::encode_dpg_read(linak::DpgCommand::kUserId)) {
    set_prop(o, "Value", Bytes{0x01, 0x11, user_id_first_, 0xC6, 0x0F, 0xCA});
  } else if (value.size() > 3 && value[0] == 0x7F && value[1] == 0x86 && value[2] == 0x80) {
    user_id_first_ = value[3];
    set_prop(o, "Value", Bytes{0x01, 0x00});
  } else if (value == linak::encode_dpg_read(linak::DpgCommand::kBaseOffset)) {
    const int base = options_.base_tenth_mm;
    set_prop(o, "Value",
             Bytes{0x01, 0x03, 0x01, static_cast<std::uint8_t>(base & 0xFF),
                   static_cast<std::uint8_t>(base >> 8)});
  }
}

}  // namespace deskd::ble
