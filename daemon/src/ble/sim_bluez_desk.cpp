// SimBluez: the simulated Linak desk behind the D-Bus objects (commands, physics, notifications).
#include <cmath>

#include "ble/sim_bluez.h"
#include "bus/linak_protocol.h"

namespace deskd::ble {

namespace {

namespace linak = bus::linak;
using Bytes = std::vector<std::uint8_t>;

}  // namespace

// Up/down move the desk for kCommandRun unless repeated; stop stops it; wake does nothing here.
// After its anti-collision stop the desk ignores moves that way until the fault is cleared.
void SimBluez::on_control(const Bytes& value) {
  const core::SteadyTime now = clock_.steady_now();
  ++commands_;
  if (value == linak::encode_control(linak::Control::kStop)) {
    ++stops_;
    desk_.set_drive(core::Drive::kNone, now);
    run_until_.reset();
  } else if (value == linak::encode_control(linak::Control::kUp) ||
             value == linak::encode_control(linak::Control::kDown)) {
    const bool up = value == linak::encode_control(linak::Control::kUp);
    if (!first_move_at_) first_move_at_ = std::chrono::steady_clock::now();
    const core::Drive dir = up ? core::Drive::kUp : core::Drive::kDown;
    const ports::InputState in = desk_.inputs();
    if (dir == blocked_ || in.handset_up || in.handset_down) return;
    blocked_ = core::Drive::kNone;
    desk_.set_drive(dir, now);
    run_until_ = now + std::chrono::duration_cast<core::SteadyTime::duration>(kCommandRun);
  }
  arm_tick();
}

// The handset wins: while it is held the controller ignores remote moves (it follows the button).
void SimBluez::press_handset(core::Drive dir, std::chrono::milliseconds duration) {
  const core::SteadyTime now = clock_.steady_now();
  desk_.set_drive(core::Drive::kNone, now);
  run_until_.reset();
  desk_.press_handset(dir, duration, now);
  arm_tick();
}

void SimBluez::notify_raw(Bytes value) {
  height_char_->props["Value"] = std::move(value);
  if (connected_ && std::get<bool>(height_char_->props["Notifying"])) {
    sd_bus_emit_properties_changed(bus_->bus(), height_char_->path.c_str(), kCharIface, "Value",
                                   nullptr);
    bus_->kick();
  }
}

void SimBluez::arm_tick() {
  if (ticking_) return;
  ticking_ = true;
  tick_timer_.expires_after(clock_.to_real(kNotifyInterval));
  tick_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive) return;
    ticking_ = false;
    tick();
  });
}

void SimBluez::tick() {
  const core::SteadyTime now = clock_.steady_now();
  desk_.advance(now);
  if (run_until_ && now >= *run_until_) {
    desk_.set_drive(core::Drive::kNone, now);
    run_until_.reset();
  }
  const core::Drive d = desk_.drive();
  if (collision_at_ && d != core::Drive::kNone &&
      (d == core::Drive::kUp ? desk_.height_mm() >= *collision_at_
                             : desk_.height_mm() <= *collision_at_)) {
    desk_.set_drive(core::Drive::kNone, now);  // the desk's own anti-collision stop
    run_until_.reset();
    blocked_ = d;
  }
  notify_height();
  if (desk_.in_motion() || run_until_ || last_notified_ != reference_value()) arm_tick();
}

// The height and speed as the desk notifies them, only when they change (and not while silent).
void SimBluez::notify_height() {
  const Bytes value = reference_value();
  height_char_->props["Value"] = value;
  if (silent_ || !connected_ || !std::get<bool>(height_char_->props["Notifying"])) return;
  if (value == last_notified_) return;
  last_notified_ = value;
  sd_bus_emit_properties_changed(bus_->bus(), height_char_->path.c_str(), kCharIface, "Value",
                                 nullptr);
  bus_->kick();
}

Bytes SimBluez::reference_value() const {
  const long raw = std::lround((desk_.height_mm() - options_.base_tenth_mm / 10.0) * 10);
  const long clamped = std::max(0L, std::min(raw, long{linak::kMaxTravelTenthMm}));
  // At rest the desk reports speed 0 (a coast below 1 mm/s included).
  const double v = desk_.in_motion() ? desk_.velocity_mm_s() : 0.0;
  const auto speed = static_cast<std::int16_t>(std::lround(v * 100));
  const auto u = static_cast<std::uint16_t>(speed);
  return Bytes{static_cast<std::uint8_t>(clamped & 0xFF), static_cast<std::uint8_t>(clamped >> 8),
               static_cast<std::uint8_t>(u & 0xFF), static_cast<std::uint8_t>(u >> 8)};
}

}  // namespace deskd::ble
