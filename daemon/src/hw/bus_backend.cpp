#include "hw/bus_backend.h"

#include <boost/asio/error.hpp>
#include <stdexcept>
#include <variant>

namespace deskd::hw {

namespace {

core::BusFault to_bus_fault(bus::DeskError e) {
  return e == bus::DeskError::kLimit ? core::BusFault::kLimit : core::BusFault::kSensor;
}

std::string mm_text(double mm) { return std::to_string(static_cast<int>(mm + 0.5)) + " mm"; }

}  // namespace

BusBackend::BusBackend(boost::asio::io_context& io, const ports::Clock& clock,
                       const config::BusSettings& settings, std::function<std::string()> device,
                       std::unique_ptr<WakeLine> wake, std::unique_ptr<ports::DeskIo> relays)
    : clock_(clock),
      settings_(settings),
      codec_(bus::make_controller_codec(settings.protocol)),
      link_(io, clock, std::move(device), settings.baud),
      wake_(std::move(wake)),
      relays_(std::move(relays)),
      repeat_timer_(io),
      greet_timer_(io) {
  if (settings_.protocol == bus::Protocol::kLoctek && !wake_) {
    throw std::runtime_error("bus: a Loctek controller needs bus.wake_line");
  }
  if (relays_) {
    inputs_ = relays_->inputs();
    relays_->set_input_handler([this](const ports::InputState& in) { on_relay_inputs(in); });
  }
  link_.set_handlers({[this](auto bytes, auto at) { on_bytes(bytes, at); },
                      [this](const std::string& why) { on_port_down(why); },
                      [this] { on_port_up(); }});
  link_.open();
  if (wake_) {
    if (auto err = wake_->set(true)) throw std::runtime_error(*err);
  }
  wake_ready_at_ = clock_.steady_now() + (wake_ ? kWakeLead : std::chrono::milliseconds(0));
  greet();
}

BusBackend::~BusBackend() {
  all_off();
  if (settings_.motion == config::BusMotion::kBus) {
    if (auto stop = codec_->encode({bus::CommandKind::kStop, 0})) link_.write_now(*stop);
  }
  repeat_timer_.cancel();
  greet_timer_.cancel();
  if (wake_) (void)wake_->set(false);
}

std::chrono::milliseconds BusBackend::repeat_interval() const {
  return settings_.protocol == bus::Protocol::kLoctek ? kLoctekRepeat : kJiecangRepeat;
}

core::Drive BusBackend::drive() const { return relays_ ? relays_->drive() : drive_; }

std::optional<std::string> BusBackend::set_drive(core::Drive drive) {
  if (relays_) return relays_->set_drive(drive);
  if (drive == drive_) return std::nullopt;
  if (drive != core::Drive::kNone && !link_.is_open()) {
    return "bus device '" + settings_.device + "' is closed: cannot move";
  }
  const bool was_moving = drive_ != core::Drive::kNone;
  drive_ = drive;
  repeat_timer_.cancel();
  // A stop never sends a move frame (a Loctek controller runs on after the last one it got:
  // last_drive_frame_at() tells the motion controller when that was).
  if (drive == core::Drive::kNone || was_moving) send(bus::CommandKind::kStop);
  if (drive == core::Drive::kNone) return std::nullopt;
  const core::SteadyTime now = clock_.steady_now();
  if (now >= wake_ready_at_) {
    send(drive == core::Drive::kUp ? bus::CommandKind::kUp : bus::CommandKind::kDown);
    arm_repeat(now + repeat_interval());
  } else {
    arm_repeat(wake_ready_at_);  // the first frame goes once the controller listens
  }
  return std::nullopt;
}

// Loctek: the move frame the motion controller timed, then the stop (no more frames). Only while
// moving and listened to: before the wake-up second ends no frame has gone out at all.
std::optional<std::string> BusBackend::stop_after_one_frame() {
  const bool runs_on = !relays_ && settings_.protocol == bus::Protocol::kLoctek;
  if (runs_on && drive_ != core::Drive::kNone && link_.is_open() &&
      clock_.steady_now() >= wake_ready_at_) {
    send(drive_ == core::Drive::kUp ? bus::CommandKind::kUp : bus::CommandKind::kDown);
  }
  return set_drive(core::Drive::kNone);
}

void BusBackend::all_off() noexcept {
  try {
    if (relays_) relays_->all_off();
    if (drive_ != core::Drive::kNone) (void)set_drive(core::Drive::kNone);
  } catch (...) {
    drive_ = core::Drive::kNone;  // the repeat timer checks drive_: nothing more is sent
  }
}

void BusBackend::sync_inputs() {
  if (relays_) relays_->sync_inputs();
  link_.drain_now();
}

void BusBackend::send(bus::CommandKind kind) {
  if (auto bytes = codec_->encode({kind, 0})) {
    if (!link_.write(std::move(*bytes))) return;
    ++frames_sent_;
    if (kind == bus::CommandKind::kUp || kind == bus::CommandKind::kDown) {
      last_drive_frame_at_ = clock_.steady_now();
    }
  }
}

// The repeats keep their phase (at, at + interval, ...), so the motion controller can tell when
// each frame goes out (MotionSettings::drive_repeat) and time a Loctek stop between two.
void BusBackend::arm_repeat(core::SteadyTime at) {
  next_frame_at_ = at;
  repeat_timer_.expires_after(clock_.to_real(at - clock_.steady_now()));
  repeat_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;  // `this` may be gone
    on_repeat();
  });
}

void BusBackend::on_repeat() {
  if (drive_ == core::Drive::kNone || !link_.is_open()) return;
  send(drive_ == core::Drive::kUp ? bus::CommandKind::kUp : bus::CommandKind::kDown);
  arm_repeat(std::max(next_frame_at_ + repeat_interval(), clock_.steady_now()));
}

// Wakes the controller so it reports its height (and, Jiecang, its presets and limits).
void BusBackend::greet() {
  greet_timer_.expires_after(clock_.to_real(wake_ready_at_ - clock_.steady_now()));
  greet_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    send(bus::CommandKind::kWake);
    if (settings_.protocol == bus::Protocol::kJiecang) send(bus::CommandKind::kQuery);
  });
}

void BusBackend::on_bytes(std::span<const std::uint8_t> bytes, core::SteadyTime at) {
  const auto reports = codec_->consume(bytes);
  note_bad_frames();
  for (const auto& r : reports) on_report(r, at);
}

void BusBackend::on_report(const bus::Report& report, core::SteadyTime at) {
  if (const auto* h = std::get_if<bus::HeightReport>(&report)) {
    on_height(*h, at);
  } else if (const auto* d = std::get_if<bus::DisplayReport>(&report)) {
    on_display(*d);
  } else if (const auto* e = std::get_if<bus::ErrorReport>(&report)) {
    if (inputs_.bus_fault_code != e->code) {
      log(LogLevel::kWarning, "bus: the controller shows desk error " + e->code);
    }
    inputs_.bus_fault = to_bus_fault(e->error);
    inputs_.bus_fault_code = e->code;
    publish();
  } else {
    on_memory(report);
  }
}

// The height in mm, nullopt outside the desk's physical range (a fake height).
std::optional<double> BusBackend::height_mm(int raw) const {
  double mm = bus::raw_to_mm(raw, settings_.height_unit);
  const bool whole_units = settings_.protocol == bus::Protocol::kLoctek && raw >= 1000;
  if (whole_units && settings_.whole_units == bus::WholeUnits::kTruncate) {
    mm += bus::raw_to_mm(5, settings_.height_unit);  // "123" is 123.0 to 123.9: its middle
  }
  if (mm < settings_.plausible_min_mm || mm > settings_.plausible_max_mm) return std::nullopt;
  return mm;
}

void BusBackend::on_height(const bus::HeightReport& report, core::SteadyTime at) {
  const std::optional<double> mm = height_mm(report.raw);
  if (!mm) {
    ++implausible_;
    if (!last_implausible_log_ || at - *last_implausible_log_ >= kBadFrameLogInterval) {
      log(LogLevel::kWarning,
          "bus: height " + mm_text(bus::raw_to_mm(report.raw, settings_.height_unit)) +
              " ignored: outside the desk's range " + std::to_string(settings_.plausible_min_mm) +
              "-" + std::to_string(settings_.plausible_max_mm) + " mm (" +
              std::to_string(implausible_) + " since start)");
      last_implausible_log_ = at;
    }
    return;
  }
  inputs_.bus_height_mm = *mm;
  inputs_.bus_height_at = at;
  if (!display_text_.empty()) log(LogLevel::kInfo, "bus: the display shows the height again");
  display_text_.clear();
  if (inputs_.bus_fault != core::BusFault::kNone) {
    log(LogLevel::kInfo,
        "bus: the controller reports a height again (" + inputs_.bus_fault_code + " gone)");
  }
  inputs_.bus_fault = core::BusFault::kNone;
  inputs_.bus_fault_code.clear();
  publish();
}

// Normal use of the panel (reminder countdown, preset store): no height now, no fault.
void BusBackend::on_display(const bus::DisplayReport& report) {
  if (report.text == display_text_) return;
  display_text_ = report.text;
  log(LogLevel::kInfo, "bus: the display shows '" + report.text + "' (no height; not an error)");
}

void BusBackend::on_memory(const bus::Report& report) {
  ControllerMemory& memory = inputs_.bus_memory;
  const ControllerMemory before = memory;
  const auto mm = [this](int raw) { return bus::raw_to_mm(raw, settings_.height_unit); };
  std::string what;
  if (const auto* p = std::get_if<bus::PresetReport>(&report)) {
    memory.presets.at(static_cast<std::size_t>(p->slot - 1)) = mm(p->raw);
    what = "preset " + std::to_string(p->slot) + " = " + mm_text(mm(p->raw));
  } else if (const auto* l = std::get_if<bus::LimitReport>(&report)) {
    static constexpr std::array<const char*, 4> kNames{"physical max", "physical min", "user max",
                                                       "user min"};
    std::optional<double>* slots[] = {&memory.physical_max, &memory.physical_min, &memory.user_max,
                                      &memory.user_min};
    const auto k = static_cast<std::size_t>(l->kind);
    *slots[k] = mm(l->raw);
    what = std::string(kNames.at(k)) + " limit = " + mm_text(mm(l->raw));
  }
  if (memory == before) return;
  log(LogLevel::kInfo, "bus: controller " + what);
  publish();
}

void BusBackend::on_port_down(const std::string& why) {
  log(LogLevel::kError,
      "bus: device '" + settings_.device + "' failed (" + why + "): height unknown, reopening");
  drive_ = core::Drive::kNone;  // nothing can be sent; never resumed by itself
  repeat_timer_.cancel();
  inputs_.bus_height_mm.reset();
  inputs_.bus_fault = core::BusFault::kSensor;
  inputs_.bus_fault_code = "EIO";
  publish();
}

void BusBackend::on_port_up() {
  log(LogLevel::kInfo, "bus: device '" + settings_.device + "' reopened");
  inputs_.bus_fault = core::BusFault::kNone;
  inputs_.bus_fault_code.clear();
  publish();
  greet();
}

void BusBackend::on_relay_inputs(const ports::InputState& relay) {
  ports::InputState merged = relay;
  merged.bus_height_mm = inputs_.bus_height_mm;
  merged.bus_height_at = inputs_.bus_height_at;
  merged.bus_fault = inputs_.bus_fault;
  merged.bus_fault_code = inputs_.bus_fault_code;
  merged.bus_memory = inputs_.bus_memory;
  inputs_ = std::move(merged);
  publish();
}

void BusBackend::note_bad_frames() {
  const std::uint64_t bad = codec_->stats().bad_frames;
  if (bad == bad_frames_logged_) return;
  const core::SteadyTime now = clock_.steady_now();
  if (last_bad_log_ && now - *last_bad_log_ < kBadFrameLogInterval) return;
  log(LogLevel::kWarning, "bus: " + std::to_string(bad - bad_frames_logged_) +
                              " bad frame(s) ignored (" + std::to_string(bad) + " since start)");
  bad_frames_logged_ = bad;
  last_bad_log_ = now;
}

void BusBackend::publish() {
  if (handler_) handler_(inputs_);
}

void BusBackend::log(LogLevel level, const std::string& message) const {
  if (logger_) logger_(level, message);
}

}  // namespace deskd::hw
