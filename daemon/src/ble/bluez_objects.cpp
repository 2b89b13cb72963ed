#include "ble/bluez_objects.h"

#include <cstring>
#include <string_view>

namespace deskd::ble {

namespace {

int read_strings(sd_bus_message* m, std::optional<PropValue>& out) {
  std::vector<std::string> list;
  int r = sd_bus_message_enter_container(m, 'a', "s");
  const char* v = nullptr;
  while (r >= 0 && (r = sd_bus_message_read_basic(m, 's', &v)) > 0) list.emplace_back(v);
  if (r >= 0) r = sd_bus_message_exit_container(m);
  if (r >= 0) out = PropValue{std::move(list)};
  return r;
}

// Reads the basic value inside a variant whose signature is `sig`; skips other kinds.
int read_value(sd_bus_message* m, const char* sig, std::optional<PropValue>& out) {
  const std::string_view s(sig);
  if (s == "b") {
    int v = 0;
    const int r = sd_bus_message_read_basic(m, 'b', &v);
    if (r >= 0) out = PropValue{v != 0};
    return r;
  }
  if (s == "s" || s == "o") {
    const char* v = nullptr;
    const int r = sd_bus_message_read_basic(m, s[0], &v);
    if (r >= 0) out = PropValue{std::string(v)};
    return r;
  }
  if (s == "n") {
    std::int16_t v = 0;
    const int r = sd_bus_message_read_basic(m, 'n', &v);
    if (r >= 0) out = PropValue{std::int64_t{v}};
    return r;
  }
  if (s == "ay") {
    const void* data = nullptr;
    std::size_t size = 0;
    const int r = sd_bus_message_read_array(m, 'y', &data, &size);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    if (r >= 0) out = PropValue{std::vector<std::uint8_t>(bytes, bytes + size)};
    return r;
  }
  if (s == "as") return read_strings(m, out);
  return sd_bus_message_skip(m, sig);
}

int read_interfaces(sd_bus_message* m, ManagedObject& object) {
  int r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
  while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
    const char* iface = nullptr;
    r = sd_bus_message_read_basic(m, 's', &iface);
    if (r < 0) return r;
    r = read_props(m, object.interfaces[iface]);
    if (r >= 0) r = sd_bus_message_exit_container(m);
  }
  return r < 0 ? r : sd_bus_message_exit_container(m);
}

template <typename T>
std::optional<T> get(const ManagedObject& o, const char* iface, const char* name) {
  const auto i = o.interfaces.find(iface);
  if (i == o.interfaces.end()) return std::nullopt;
  const auto p = i->second.find(name);
  if (p == i->second.end() || !std::holds_alternative<T>(p->second)) return std::nullopt;
  return std::get<T>(p->second);
}

}  // namespace

std::optional<bool> ManagedObject::flag(const char* iface, const char* name) const {
  return get<bool>(*this, iface, name);
}
std::optional<std::string> ManagedObject::text(const char* iface, const char* name) const {
  return get<std::string>(*this, iface, name);
}
std::optional<std::int64_t> ManagedObject::number(const char* iface, const char* name) const {
  return get<std::int64_t>(*this, iface, name);
}

std::optional<std::vector<std::string>> ManagedObject::texts(const char* iface,
                                                             const char* name) const {
  return get<std::vector<std::string>>(*this, iface, name);
}

int read_props(sd_bus_message* m, Props& out) {
  int r = sd_bus_message_enter_container(m, 'a', "{sv}");
  while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
    const char* name = nullptr;
    const char* contents = nullptr;
    r = sd_bus_message_read_basic(m, 's', &name);
    if (r >= 0) r = sd_bus_message_peek_type(m, nullptr, &contents);
    if (r >= 0) r = sd_bus_message_enter_container(m, 'v', contents);
    std::optional<PropValue> value;
    if (r >= 0) r = read_value(m, contents, value);
    if (r >= 0) r = sd_bus_message_exit_container(m);
    if (r >= 0) r = sd_bus_message_exit_container(m);
    if (r >= 0 && value) out[name] = std::move(*value);
  }
  return r < 0 ? r : sd_bus_message_exit_container(m);
}

std::optional<std::vector<ManagedObject>> read_managed_objects(sd_bus_message* reply,
                                                               std::string& error) {
  std::vector<ManagedObject> objects;
  int r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
  while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
    const char* path = nullptr;
    r = sd_bus_message_read_basic(reply, 'o', &path);
    if (r < 0) break;
    ManagedObject& object = objects.emplace_back();
    object.path = path;
    r = read_interfaces(reply, object);
    if (r >= 0) r = sd_bus_message_exit_container(reply);
  }
  if (r >= 0) r = sd_bus_message_exit_container(reply);
  if (r < 0) {
    error = std::string("malformed GetManagedObjects reply: ") + std::strerror(-r);
    return std::nullopt;
  }
  return objects;
}

std::string device_path(const std::string& adapter, const std::string& address) {
  std::string path = "/org/bluez/" + adapter + "/dev_" + address;
  for (std::size_t i = path.size() - address.size(); i < path.size(); ++i) {
    if (path[i] == ':') path[i] = '_';
  }
  return path;
}

}  // namespace deskd::ble
