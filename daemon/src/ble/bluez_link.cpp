#include "ble/bluez_link.h"

#include <array>
#include <boost/asio/error.hpp>
#include <utility>

#include "bus/linak_protocol.h"

namespace deskd::ble {

namespace {

namespace linak = bus::linak;

constexpr std::chrono::microseconds kCallTimeout{std::chrono::seconds(20)};

std::string_view uuid_of(Char c) {
  switch (c) {
    case Char::kHeight:
      return linak::kHeightChar;
    case Char::kControl:
      return linak::kControlChar;
    case Char::kMoveTo:
      return linak::kMoveToChar;
    case Char::kDpg:
      return linak::kDpgChar;
  }
  return {};
}

std::string error_text(const sd_bus_error* e) {
  std::string out = e->name ? e->name : "D-Bus error";
  if (e->message && *e->message) out += std::string(": ") + e->message;
  return out;
}

int append_bytes(sd_bus_message* m, std::span<const std::uint8_t> value) {
  int r = sd_bus_message_append_array(m, 'y', value.data(), value.size());
  if (r >= 0) r = sd_bus_message_append(m, "a{sv}", 0);
  return r;
}

}  // namespace

BluezLink::BluezLink(SdBusLoop& bus, std::string adapter, std::string address,
                     std::optional<int> base_tenth_mm, Handlers handlers)
    : bus_(bus),
      adapter_(std::move(adapter)),
      address_(std::move(address)),
      device_path_(device_path(adapter_, address_)),
      configured_base_(base_tenth_mm),
      base_tenth_mm_(base_tenth_mm),
      handlers_(std::move(handlers)),
      step_timer_(bus.io()) {
  sd_bus_match_signal_async(bus_.bus(), &match_, kBluez, nullptr, kPropsIface, "PropertiesChanged",
                            on_signal, nullptr, this);
  bus_.kick();
}

BluezLink::~BluezLink() {
  *alive_ = false;
  step_timer_.cancel();
  sd_bus_slot_unref(match_);
}

// Calls `member` and runs `next` with the reply, if this attempt is still the current one; a
// D-Bus error fails the attempt with its name and message.
void BluezLink::call(const std::string& path, const char* iface, const char* member, Step next,
                     std::function<int(sd_bus_message*)> args) {
  sd_bus_message* m = nullptr;
  int r = sd_bus_message_new_method_call(bus_.bus(), &m, kBluez, path.c_str(), iface, member);
  if (r >= 0 && args) r = args(m);
  if (r >= 0) {
    r = bus_.call(
        m,
        [this, alive = alive_, attempt = attempt_, what = std::string(member), next](
            sd_bus_message* reply, const sd_bus_error* error) {
          if (!*alive || attempt != attempt_ || state_ == State::kDown) return;
          if (error) return fail(what + " failed: " + error_text(error));
          next(reply);
        },
        kCallTimeout);
    m = nullptr;
  }
  sd_bus_message_unref(m);
  if (r < 0) fail(std::string(member) + ": cannot send the call");
}

void BluezLink::connect() {
  if (state_ != State::kDown) return;
  if (!bus_.is_open()) return fail("the system bus is not connected");
  state_ = State::kConnecting;
  ++attempt_;
  chars_.clear();
  if (configured_base_) base_tenth_mm_ = configured_base_;  // a base read once stays (same desk)
  waiting_resolve_ = false;
  dpg_waiting_.reset();
  arm_step_timeout(kStepTimeout, "connecting");
  find_device();
}

void BluezLink::find_device() {
  call("/", kObjectManagerIface, "GetManagedObjects",
       [this](sd_bus_message* reply) { on_objects(reply); });
}

void BluezLink::on_objects(sd_bus_message* reply) {
  std::string error;
  const auto objects = read_managed_objects(reply, error);
  if (!objects) return fail(error);
  const ManagedObject* device = nullptr;
  bool adapter = false;
  for (const auto& o : *objects) {
    if (o.path == "/org/bluez/" + adapter_ && o.has(kAdapterIface)) adapter = true;
    if (o.path == device_path_ && o.has(kDeviceIface)) device = &o;
  }
  if (!adapter) return fail("Bluetooth adapter '" + adapter_ + "' not found");
  if (!device) {
    return fail("desk " + address_ + " is not known to BlueZ: pair it first (deskd --scan)");
  }
  call(device_path_, kDeviceIface, "Connect", [this](sd_bus_message*) { on_connected(); });
}

// Connected: the services may still be resolving; PropertiesChanged says when they are.
void BluezLink::on_connected() {
  call("/", kObjectManagerIface, "GetManagedObjects",
       [this](sd_bus_message* reply) { on_resolved(reply); });
}

void BluezLink::on_resolved(sd_bus_message* reply) {
  std::string error;
  const auto objects = read_managed_objects(reply, error);
  if (!objects) return fail(error);
  bool resolved = false;
  for (const auto& o : *objects) {
    if (o.path == device_path_) resolved = o.flag(kDeviceIface, "ServicesResolved").value_or(false);
  }
  if (!resolved) {
    waiting_resolve_ = true;  // on_device_props() asks again
    return;
  }
  waiting_resolve_ = false;
  if (!find_chars(*objects)) return;
  start_notify();
}

bool BluezLink::find_chars(const std::vector<ManagedObject>& objects) {
  const std::string prefix = device_path_ + "/";
  for (const auto& o : objects) {
    if (o.path.rfind(prefix, 0) != 0 || !o.has(kCharIface)) continue;
    const auto uuid = o.text(kCharIface, "UUID");
    for (Char c : {Char::kHeight, Char::kControl, Char::kMoveTo, Char::kDpg}) {
      if (uuid && *uuid == uuid_of(c)) chars_[c] = o.path;
    }
  }
  for (Char c : {Char::kHeight, Char::kControl}) {
    if (!chars_.count(c)) {
      fail("the desk has no characteristic " + std::string(uuid_of(c)) + ": not a Linak desk?");
      return false;
    }
  }
  return true;
}

void BluezLink::start_notify() {
  call(chars_[Char::kHeight], kCharIface, "StartNotify", [this](sd_bus_message*) {
    call(
        chars_[Char::kHeight], kCharIface, "ReadValue",
        [this](sd_bus_message* reply) {
          const void* data = nullptr;
          std::size_t size = 0;
          if (sd_bus_message_read_array(reply, 'y', &data, &size) < 0) {
            return fail("ReadValue: malformed reply");
          }
          const auto* bytes = static_cast<const std::uint8_t*>(data);
          last_value_.assign(bytes, bytes + size);
          start_dpg();
        },
        [](sd_bus_message* m) { return sd_bus_message_append(m, "a{sv}", 0); });
  });
}

// The DPG commands: the base offset (0x81) unless configured, then the user id (0x86). Their
// answers arrive as the DPG characteristic's new Value (on_dpg_answer).
void BluezLink::start_dpg() {
  if (!chars_.count(Char::kDpg)) {
    if (base_tenth_mm_) return become_ready();
    return fail(
        "the desk has no DPG characteristic to report its base height: set "
        "ble.base_height_mm");
  }
  call(chars_[Char::kDpg], kCharIface, "StartNotify", [this](sd_bus_message*) {
    dpg_ask(base_tenth_mm_ ? linak::DpgCommand::kUserId : linak::DpgCommand::kBaseOffset);
  });
}

void BluezLink::dpg_ask(linak::DpgCommand command) {
  dpg_waiting_ = command;
  arm_step_timeout(kBaseTimeout, command == linak::DpgCommand::kBaseOffset
                                     ? "reading the base height (set ble.base_height_mm?)"
                                     : "reading the user id");
  dpg_write(linak::encode_dpg_read(command));
}

void BluezLink::dpg_write(std::vector<std::uint8_t> request) {
  call(
      chars_[Char::kDpg], kCharIface, "WriteValue", [](sd_bus_message*) {},
      [request = std::move(request)](sd_bus_message* m) { return append_bytes(m, request); });
}

// Ready: the last height read (or notified) goes out again now that the base is known.
void BluezLink::become_ready() {
  step_timer_.cancel();
  state_ = State::kReady;
  if (handlers_.ready) handlers_.ready();
  if (state_ == State::kReady && handlers_.height && !last_value_.empty()) {
    handlers_.height(last_value_);
  }
}

void BluezLink::fail(const std::string& why) {
  if (state_ == State::kDown) return;
  state_ = State::kDown;
  ++attempt_;
  step_timer_.cancel();
  waiting_resolve_ = false;
  dpg_waiting_.reset();
  if (handlers_.down) handlers_.down(why);
}

void BluezLink::arm_step_timeout(std::chrono::seconds timeout, const char* what) {
  step_timer_.expires_after(timeout);
  step_timer_.async_wait([this, alive = alive_, attempt = attempt_,
                          what = std::string(what)](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || !*alive || attempt != attempt_) return;
    // The user id is a quirk of some controllers (DPG1C): without an answer, carry on.
    if (dpg_waiting_ == linak::DpgCommand::kUserId) {
      dpg_waiting_.reset();
      return become_ready();
    }
    fail("timed out " + what);
  });
}

void BluezLink::disconnect() {
  if (state_ == State::kDown) return;
  state_ = State::kDown;
  ++attempt_;
  step_timer_.cancel();
  sd_bus_message* m = nullptr;
  if (sd_bus_message_new_method_call(bus_.bus(), &m, kBluez, device_path_.c_str(), kDeviceIface,
                                     "Disconnect") >= 0) {
    bus_.call(
        m, [](sd_bus_message*, const sd_bus_error*) {}, kCallTimeout);
  }
}

}  // namespace deskd::ble

namespace deskd::ble {

int BluezLink::on_signal(sd_bus_message* m, void* userdata, sd_bus_error* /*error*/) {
  static_cast<BluezLink*>(userdata)->on_properties(m);
  return 0;
}

// PropertiesChanged (s a{sv} as): the device's Connected / ServicesResolved, the height's and the
// DPG answer's Value. A malformed signal changes nothing.
void BluezLink::on_properties(sd_bus_message* m) {
  const char* path = sd_bus_message_get_path(m);
  const char* iface = nullptr;
  Props props;
  if (!path || sd_bus_message_read_basic(m, 's', &iface) < 0 || read_props(m, props) < 0) return;
  if (device_path_ == path && std::string_view(iface) == kDeviceIface) {
    return on_device_props(props);
  }
  const auto value = props.find("Value");
  if (std::string_view(iface) != kCharIface || value == props.end()) return;
  const auto* bytes = std::get_if<std::vector<std::uint8_t>>(&value->second);
  if (!bytes) return;
  if (chars_.count(Char::kHeight) && chars_[Char::kHeight] == path) {
    last_value_ = *bytes;
    if (state_ == State::kReady && handlers_.height) handlers_.height(*bytes);
  } else if (dpg_waiting_ && chars_.count(Char::kDpg) && chars_[Char::kDpg] == path) {
    on_dpg_answer(*bytes);
  }
}

void BluezLink::on_device_props(const Props& props) {
  const auto connected = props.find("Connected");
  if (connected != props.end() && connected->second == PropValue{false}) {
    return fail("the desk disconnected");
  }
  const auto resolved = props.find("ServicesResolved");
  if (waiting_resolve_ && resolved != props.end() && resolved->second == PropValue{true}) {
    waiting_resolve_ = false;
    on_connected();
  }
}

// The base offset, then the user id: a DPG1C controller takes moves only from a user whose id
// starts with 1 (rhyst/linak-controller); an id that does not is written back fixed.
void BluezLink::on_dpg_answer(const std::vector<std::uint8_t>& value) {
  const auto asked = *dpg_waiting_;
  dpg_waiting_.reset();
  const auto payload = linak::decode_dpg_answer(value);
  if (asked == linak::DpgCommand::kBaseOffset) {
    const auto base = payload ? linak::decode_base_offset(*payload) : std::nullopt;
    if (!base) {
      return fail("the desk's base height answer was not understood: set ble.base_height_mm");
    }
    base_tenth_mm_ = *base;
    return dpg_ask(linak::DpgCommand::kUserId);
  }
  if (const auto fixed = payload ? linak::user_id_fix(*payload) : std::nullopt) {
    dpg_write(linak::encode_dpg_write(linak::DpgCommand::kUserId, *fixed));
  }
  become_ready();
}

sd_bus_message* BluezLink::write_message(Char which, std::span<const std::uint8_t> value) {
  const auto path = chars_.find(which);
  if (state_ != State::kReady || path == chars_.end()) return nullptr;
  sd_bus_message* m = nullptr;
  int r = sd_bus_message_new_method_call(bus_.bus(), &m, kBluez, path->second.c_str(), kCharIface,
                                         "WriteValue");
  if (r >= 0) r = append_bytes(m, value);
  if (r >= 0) return m;
  sd_bus_message_unref(m);
  return nullptr;
}

bool BluezLink::write(Char which, std::span<const std::uint8_t> value) {
  sd_bus_message* m = write_message(which, value);
  if (!m) return false;
  const int r = bus_.call(
      m,
      [this, alive = alive_, which](sd_bus_message*, const sd_bus_error* error) {
        if (*alive && error && handlers_.write_failed)
          handlers_.write_failed(which, error_text(error));
      },
      kCallTimeout);
  return r >= 0;
}

bool BluezLink::write_blocking(Char which, std::span<const std::uint8_t> value,
                               std::chrono::milliseconds timeout) {
  sd_bus_message* m = write_message(which, value);
  if (!m) return false;
  sd_bus_error error{};  // SD_BUS_ERROR_NULL, without its C compound literal
  sd_bus_message* reply = nullptr;
  const int r = sd_bus_call(bus_.bus(), m, static_cast<std::uint64_t>(timeout.count()) * 1000,
                            &error, &reply);
  sd_bus_error_free(&error);
  sd_bus_message_unref(reply);
  sd_bus_message_unref(m);
  return r >= 0;
}

}  // namespace deskd::ble
