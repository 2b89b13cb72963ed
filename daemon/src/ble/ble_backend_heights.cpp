// BleBackend: the height characteristic's values, and what the desk's own speed says.
#include <cmath>
#include <variant>

#include "ble/ble_backend.h"

namespace deskd::ble {

namespace {

namespace linak = bus::linak;

core::Drive direction_of(int speed) {
  if (speed >= BleBackend::kMovingHundredthMmS) return core::Drive::kUp;
  if (speed <= -BleBackend::kMovingHundredthMmS) return core::Drive::kDown;
  return core::Drive::kNone;
}

}  // namespace

void BleBackend::on_value(std::span<const std::uint8_t> value) {
  const auto decoded = linak::decode_reference(value);
  if (const auto* refusal = std::get_if<linak::Refusal>(&decoded)) {
    return refuse_value(std::string(linak::to_string(*refusal)));
  }
  const auto& ref = std::get<linak::Reference>(decoded);
  const std::optional<int> base = link_ ? link_->base_tenth_mm() : std::nullopt;
  if (!base) return;
  const double mm = (*base + ref.height_tenth_mm) / 10.0;
  if (mm < settings_.plausible_min_mm || mm > settings_.plausible_max_mm) {
    return refuse_value(std::to_string(std::lround(mm)) + " mm is outside the desk's range " +
                        std::to_string(settings_.plausible_min_mm) + "-" +
                        std::to_string(settings_.plausible_max_mm) + " mm");
  }
  const core::SteadyTime at = clock_.steady_now();
  inputs_.bus_height_mm = mm;
  inputs_.bus_height_at = at;
  watch_speed(ref, at);
  publish();
}

// A value that is no height changes nothing; logged at most every kLogInterval.
void BleBackend::refuse_value(const std::string& why) {
  ++refused_;
  const core::SteadyTime now = clock_.steady_now();
  if (last_refusal_log_ && now - *last_refusal_log_ < kLogInterval) return;
  last_refusal_log_ = now;
  log(LogLevel::kWarning,
      "Bluetooth: height ignored: " + why + " (" + std::to_string(refused_) + " since start)");
}

// While deskd drives, the desk moving the other way is the handset or the desk's anti-collision,
// which reverses a little after it stops (newAM/idasen reads that reversal as its safety stop):
// deskd cannot tell them apart, so it stops sending, sends no stop against the user, raises the
// handset (the schedule's change is cancelled) and reports an obstruction once (no start that way
// until cleared). The desk stopping by itself after it had moved is the anti-collision too.
// Before the first command (a move waiting for the link), movement is the user's: the move is
// dropped, never started against them.
void BleBackend::watch_speed(const linak::Reference& r, core::SteadyTime at) {
  const core::Drive dir = direction_of(r.speed_hundredth_mm_s);
  if (start_at_ && dir != core::Drive::kNone) return user_moved_before_start(dir);
  const bool driving = drive_ != core::Drive::kNone && commanded_;
  if (driving && dir != core::Drive::kNone && dir != drive_) return moved_against_drive(dir);
  if (against_ != core::Drive::kNone && dir != against_) against_ = core::Drive::kNone;
  inputs_.handset_up = against_ == core::Drive::kUp;
  inputs_.handset_down = against_ == core::Drive::kDown;
  if (!driving || against_ != core::Drive::kNone) return;
  if (dir == drive_) desk_moved_ = true;
  if (dir != core::Drive::kNone || !desk_moved_ || at - driving_since_ < kSpinUp) return;
  stop_sending();
  log(LogLevel::kWarning, "Bluetooth: the desk stopped by itself (its anti-collision)");
  report_once(core::BusFault::kObstruction,
              "Bluetooth: the desk stopped by itself (anti-collision)");
}

void BleBackend::moved_against_drive(core::Drive dir) {
  against_ = dir;
  stop_sending();
  inputs_.handset_up = dir == core::Drive::kUp;
  inputs_.handset_down = dir == core::Drive::kDown;
  log(LogLevel::kWarning,
      "Bluetooth: the desk moves against deskd (the handset, or its anti-collision reversing): "
      "stopped, obstruction until cleared");
  report_once(core::BusFault::kObstruction,
              "Bluetooth: the desk moved against the drive (anti-collision or handset)");
}

void BleBackend::user_moved_before_start(core::Drive dir) {
  start_timer_.cancel();
  start_at_.reset();
  drive_ = core::Drive::kNone;
  against_ = dir;
  inputs_.handset_up = dir == core::Drive::kUp;
  inputs_.handset_down = dir == core::Drive::kDown;
  log(LogLevel::kInfo,
      "Bluetooth: the desk is moved by hand before the move could start: "
      "the move is dropped");
  publish();
}

void BleBackend::stop_sending() {
  drive_ = core::Drive::kNone;
  repeat_timer_.cancel();
}

// A fault the core latches: published once, then cleared here, so clear_fault can clear it while
// the link stays up.
void BleBackend::report_once(core::BusFault f, const std::string& code) {
  fault(f, code);
  inputs_.bus_fault = core::BusFault::kNone;
  inputs_.bus_fault_code.clear();
}

}  // namespace deskd::ble
