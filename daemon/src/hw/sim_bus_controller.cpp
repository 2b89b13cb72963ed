#include "hw/sim_bus_controller.h"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "bus/jiecang_frame.h"
#include "bus/jiecang_messages.h"

namespace deskd::hw {

namespace asio = boost::asio;

SimBusController::SimBusController(asio::io_context& io, const ports::Clock& clock,
                                   const config::BusSettings& bus, const config::SimSettings& sim,
                                   const core::MotionSettings& motion)
    : io_(io),
      clock_(clock),
      bus_(bus),
      motion_(motion),
      sim_(sim),
      own_coast_mm_((sim.coast_min_mm + sim.coast_max_mm) / 2),
      desk_(io, clock, sim, motion),
      codec_(bus::make_handset_codec(bus.protocol)),
      hold_timer_(io),
      report_timer_(io),
      reopen_timer_(io) {
  presets_raw_ = {bus::mm_to_raw(720, bus.height_unit), bus::mm_to_raw(1100, bus.height_unit), 0,
                  0};
  desk_.set_input_handler([this](const ports::InputState&) { on_physics(); });
  open_pty();
}

SimBusController::~SimBusController() {
  *alive_ = false;
  hold_timer_.cancel();
  report_timer_.cancel();
  reopen_timer_.cancel();
  close_pty();
}

void SimBusController::open_pty() {
  termios raw{};
  cfmakeraw(&raw);
  cfsetispeed(&raw, B9600);
  cfsetospeed(&raw, B9600);
  int master = -1;
  std::array<char, 128> name{};
  if (::openpty(&master, &slave_fd_, name.data(), &raw, nullptr) != 0) {
    throw std::runtime_error(std::string("simulated bus controller: openpty: ") +
                             std::strerror(errno));
  }
  ::fcntl(master, F_SETFD, FD_CLOEXEC);
  ::fcntl(slave_fd_, F_SETFD, FD_CLOEXEC);  // kept open: deskd closing its end is no hangup
  path_ = name.data();
  master_ = std::make_unique<asio::posix::stream_descriptor>(io_, master);
  master_->non_blocking(true);
  read();
}

void SimBusController::close_pty() noexcept {
  boost::system::error_code ignored;
  if (master_) master_->close(ignored);
  master_.reset();
  if (slave_fd_ >= 0) ::close(slave_fd_);
  slave_fd_ = -1;
}

void SimBusController::read() {
  master_->async_read_some(
      asio::buffer(read_buf_),
      [this, alive = alive_](const boost::system::error_code& ec, std::size_t n) {
        if (!*alive || ec == asio::error::operation_aborted || !master_) return;
        if (ec) return;  // deskd's end went away for good; a reopen makes a new pty
        const core::SteadyTime now = clock_.steady_now();
        for (const auto& c : codec_->consume({read_buf_.data(), n})) on_command(c, now);
        read();
      });
}

bool SimBusController::awake(core::SteadyTime now) const {
  if (bus_.protocol != bus::Protocol::kLoctek) return true;
  return wake_high_since_ && now - *wake_high_since_ >= kWakeLead;
}

void SimBusController::set_wake_line(bool high) {
  if (!high) {
    wake_high_since_.reset();
  } else if (!wake_high_since_) {
    wake_high_since_ = clock_.steady_now();
  }
}

void SimBusController::on_command(const bus::Command& c, core::SteadyTime now) {
  ++commands_;
  if (!awake(now)) {
    ++ignored_asleep_;
    return;
  }
  report_until_ = now + kAwakeFor;
  switch (c.kind) {
    case bus::CommandKind::kUp:
    case bus::CommandKind::kDown:
      if (error_code_) break;  // a controller showing an error does not move
      goto_target_.reset();
      move(c.kind == bus::CommandKind::kUp ? core::Drive::kUp : core::Drive::kDown, now);
      break;
    case bus::CommandKind::kStop:
      goto_target_.reset();
      desk_.set_drive(core::Drive::kNone);
      break;
    case bus::CommandKind::kGoTo:  // in mm, also on an inch desk
      if (!error_code_) start_goto(c.value, now);
      break;
    case bus::CommandKind::kPreset: {
      const int raw = presets_raw_.at(static_cast<std::size_t>(c.value - 1));
      if (raw > 0 && !error_code_) start_goto(bus::raw_to_mm(raw, bus_.height_unit), now);
      break;
    }
    case bus::CommandKind::kQuery:
      report_memory();
      break;
    case bus::CommandKind::kWake:
      break;
  }
  // Awake again: a height at once. While it reports anyway (moving), no extra frames: the real
  // rate is the report interval, however often the move frames come.
  if (!reporting_) report_height();
  ensure_reporting();
}

void SimBusController::move(core::Drive dir, core::SteadyTime now) {
  if (desk_.drive() != dir) desk_.set_drive(dir);
  arm_hold(now);
}

void SimBusController::arm_hold(core::SteadyTime now) {
  hold_timer_.expires_after(clock_.to_real(kHold));
  (void)now;
  hold_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted) return;
    if (!goto_target_) desk_.set_drive(core::Drive::kNone);  // the move frames stopped
  });
}

void SimBusController::start_goto(double target_mm, core::SteadyTime now) {
  desk_.sync_inputs();
  const double h = desk_.true_height_mm();
  if (std::abs(target_mm - h) <= own_coast_mm_) return;
  goto_target_ = target_mm;
  hold_timer_.cancel();
  desk_.set_drive(target_mm > h ? core::Drive::kUp : core::Drive::kDown);
  (void)now;
}

// The controller's own go-to stops early by its own (fixed) coast estimate.
void SimBusController::check_goto() {
  if (!goto_target_) return;
  const double h = desk_.true_height_mm();
  const bool up = desk_.drive() == core::Drive::kUp;
  const double remaining = up ? *goto_target_ - h : h - *goto_target_;
  if (desk_.drive() == core::Drive::kNone || remaining <= own_coast_mm_ || error_code_) {
    desk_.set_drive(core::Drive::kNone);
    goto_target_.reset();
  }
}

void SimBusController::on_physics() { ensure_reporting(); }

void SimBusController::ensure_reporting() {
  if (reporting_) return;
  reporting_ = true;
  report_timer_.expires_after(clock_.to_real(report_interval()));
  report_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted) return;
    reporting_ = false;
    on_report_tick();
  });
}

void SimBusController::on_report_tick() {
  desk_.sync_inputs();
  check_goto();
  const core::SteadyTime now = clock_.steady_now();
  const bool moving = desk_.desk().in_motion();
  if (!moving && now >= report_until_) return;  // idle and not recently woken: silence
  report_height();
  ensure_reporting();
}

std::chrono::milliseconds SimBusController::report_interval() const {
  if (sim_.bus_report_ms > 0) return std::chrono::milliseconds(sim_.bus_report_ms);
  return bus_.protocol == bus::Protocol::kLoctek ? kLoctekReportInterval : kJiecangReportInterval;
}

void SimBusController::report_height() {
  const core::SteadyTime now = clock_.steady_now();
  if (!awake(now)) return;
  if (error_code_) {
    write_report(bus::ErrorReport{bus::DeskError::kSensor, *error_code_});
    return;
  }
  if (report_display(now)) return;
  write_report(bus::HeightReport{display_raw(desk_.true_height_mm())});
}

// The raw height the controller sends: rounded to its unit; a Loctek display from 100.0 up
// shows whole units, rounded (by the codec) or truncated here.
int SimBusController::display_raw(double mm) const {
  const int raw = bus::mm_to_raw(mm, bus_.height_unit);
  const bool whole = bus_.protocol == bus::Protocol::kLoctek && raw >= 1000;
  if (!whole || sim_.bus_whole_units != bus::WholeUnits::kTruncate) return raw;
  return static_cast<int>(std::floor(mm / bus::raw_to_mm(10, bus_.height_unit))) * 10;
}

// While show()n: the display instead of the height (Jiecang: 9999 and 0 by turns).
bool SimBusController::report_display(core::SteadyTime now) {
  if (!display_ || now >= display_until_) {
    display_.reset();
    return false;
  }
  switch (*display_) {
    case SimBusDisplay::kReminder:
      write_report(bus::DisplayReport{" 99"});
      break;
    case SimBusDisplay::kPresetStore:
      write_report(bus::DisplayReport{"S-1"});
      break;
    case SimBusDisplay::kLimitSet:
      write_report(bus::HeightReport{displays_shown_ % 2 == 0 ? 9999 : 0});
      break;
  }
  ++displays_shown_;
  return true;
}

void SimBusController::report_memory() {
  if (bus_.protocol != bus::Protocol::kJiecang) return;
  for (int slot = 1; slot <= 4; ++slot) {
    const int raw = presets_raw_.at(static_cast<std::size_t>(slot - 1));
    if (raw > 0) write_report(bus::PresetReport{slot, raw});
  }
  const auto raw = [this](int mm) { return bus::mm_to_raw(mm, bus_.height_unit); };
  write(bus::encode(
      bus::jiecang_physical_limits(raw(motion_.top_height_mm), raw(motion_.bottom_height_mm))));
}

void SimBusController::write_report(const bus::Report& r) {
  auto bytes = codec_->encode(r);
  if (!bytes) return;
  if (garbage_left_ > 0) {
    --garbage_left_;
    std::vector<std::uint8_t> noise(5);
    for (auto& b : noise) b = static_cast<std::uint8_t>(rng_() & 0xFF);
    std::vector<std::uint8_t> broken = *bytes;
    if (broken.size() >= 2) broken[broken.size() - 2] ^= 0x5A;  // a checksum / CRC byte
    noise.insert(noise.end(), broken.begin(), broken.end());
    write(noise);
  }
  write(*bytes);
}

void SimBusController::write(const std::vector<std::uint8_t>& bytes) {
  if (silent_ || !master_) return;
  // Non-blocking: a full pty buffer (deskd not reading) drops the frame, as a UART would.
  (void)::write(master_->native_handle(), bytes.data(), bytes.size());
}

void SimBusController::go_silent() { silent_ = true; }

void SimBusController::close_port() {
  if (!master_) return;
  close_pty();
  // The kernel hands the freed pty number to the next openpty() of any process: until the
  // port is back, deskd must find no device rather than someone else's controller.
  path_ = kClosedPath;
  reopen_timer_.expires_after(clock_.to_real(kReopenDelay));
  reopen_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted) return;
    open_pty();
  });
}

void SimBusController::send_garbage() { garbage_left_ = kGarbageReports; }

void SimBusController::show_error(const std::string& code) {
  error_code_ = code;
  goto_target_.reset();
  desk_.set_drive(core::Drive::kNone);
  report_until_ = clock_.steady_now() + kAwakeFor;
  ensure_reporting();
}

std::optional<std::string> SimBusController::show(SimBusDisplay display) {
  const bool jiecang = bus_.protocol == bus::Protocol::kJiecang;
  if (jiecang != (display == SimBusDisplay::kLimitSet)) {
    return jiecang ? "a Jiecang controller shows no reminder or preset store"
                   : "a Loctek controller reports no fake heights after a limit set";
  }
  display_ = display;
  const core::SteadyTime now = clock_.steady_now();
  display_until_ = now + kShowFor;
  report_until_ = std::max(report_until_, display_until_ + report_interval());
  ensure_reporting();
  return std::nullopt;
}

std::optional<SimBusDisplay> sim_bus_display_from(std::string_view name) {
  if (name == "reminder") return SimBusDisplay::kReminder;
  if (name == "preset_store") return SimBusDisplay::kPresetStore;
  if (name == "limit_set") return SimBusDisplay::kLimitSet;
  return std::nullopt;
}

void SimBusController::clear() {
  display_.reset();
  silent_ = false;
  garbage_left_ = 0;
  error_code_.reset();
  if (!master_) {
    reopen_timer_.cancel();
    open_pty();
  }
}

}  // namespace deskd::hw
