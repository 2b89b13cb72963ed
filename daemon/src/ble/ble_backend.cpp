#include "ble/ble_backend.h"

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace deskd::ble {

namespace {

namespace linak = bus::linak;

std::string mm_text(double mm) { return std::to_string(static_cast<int>(std::lround(mm))) + " mm"; }

}  // namespace

BleBackend::BleBackend(boost::asio::io_context& io, const ports::Clock& clock,
                       const config::BleSettings& settings, Logger logger,
                       std::optional<std::string> bus_address)
    : io_(io),
      clock_(clock),
      settings_(settings),
      logger_(std::move(logger)),
      bus_address_(std::move(bus_address)),
      repeat_timer_(io),
      start_timer_(io),
      retry_timer_(io) {
  open_bus();
}

BleBackend::~BleBackend() {
  *alive_ = false;
  repeat_timer_.cancel();
  start_timer_.cancel();
  retry_timer_.cancel();
  // Every exit path leaves the desk stopped: the stop goes out before the connection closes.
  if (link_ && link_->ready()) {
    const auto stop = linak::encode_control(linak::Control::kStop);
    (void)link_->write_blocking(Char::kControl, stop, std::chrono::milliseconds(500));
  }
  link_.reset();
  bus_.reset();
}

// (Re)connects to the system bus and starts the link; a failure is retried with back-off.
void BleBackend::open_bus() {
  link_.reset();
  bus_.reset();
  try {
    bus_ = bus_address_ ? SdBusLoop::open_address(io_, *bus_address_) : SdBusLoop::open_system(io_);
  } catch (const std::exception& e) {
    log(LogLevel::kError, std::string("Bluetooth: ") + e.what() + "; retrying");
    return schedule_reconnect();
  }
  bus_->set_lost_handler([this](const std::string& why) { on_bus_lost(why); });
  const std::optional<int> base =
      settings_.base_height_mm ? std::optional<int>(*settings_.base_height_mm * 10) : std::nullopt;
  link_ = std::make_unique<BluezLink>(
      *bus_, settings_.adapter, settings_.address, base,
      BluezLink::Handlers{[this] { on_ready(); }, [this](const std::string& why) { on_down(why); },
                          [this](std::span<const std::uint8_t> v) { on_value(v); },
                          [this](Char c, const std::string& why) { on_write_failed(c, why); }});
  link_->connect();
}

// Called from inside the bus's own processing: the bus is replaced later, from the loop.
void BleBackend::on_bus_lost(const std::string& why) {
  on_down("the system bus connection was lost (" + why + ")");
  boost::asio::post(io_, [this, alive = alive_, lost = bus_.get()] {
    if (!*alive || bus_.get() != lost) return;  // a new bus was opened meanwhile: keep it
    link_.reset();
    bus_.reset();
  });
}

void BleBackend::on_ready() {
  backoff_ = kFirstRetry;
  retry_timer_.cancel();
  log(LogLevel::kInfo, "Bluetooth: connected to desk " + settings_.address + " (base " +
                           mm_text(*link_->base_tenth_mm() / 10.0) + ")");
  if (inputs_.bus_fault != core::BusFault::kNone) {
    inputs_.bus_fault = core::BusFault::kNone;
    inputs_.bus_fault_code.clear();
    publish();
  }
  send(linak::Control::kWake);
}

// The link dropped (or never came up). Moving: the move ends here, with a sensor fault; idle:
// normal, the last height stays. Never resumed: drive_ is kNone after this.
void BleBackend::on_down(const std::string& why) {
  const bool waiting = start_at_.has_value();  // a move waiting for this link: it decides
  const bool moving = drive_ != core::Drive::kNone && !waiting;
  if (!waiting) drive_ = core::Drive::kNone;
  repeat_timer_.cancel();
  log(moving ? LogLevel::kError : LogLevel::kWarning,
      "Bluetooth: " + why + (moving ? " while moving: stopped" : "") + "; reconnecting");
  if (moving) fault(core::BusFault::kSensor, "Bluetooth: " + why + " while moving");
  schedule_reconnect();
}

void BleBackend::schedule_reconnect() {
  retry_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, std::chrono::seconds(kLastRetry));
  retry_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || !*alive) return;
    if (!bus_ || !bus_->is_open()) return open_bus();
    if (link_) link_->connect();
  });
}

std::optional<std::string> BleBackend::set_drive(core::Drive drive) {
  if (drive == drive_) return std::nullopt;
  const bool was_moving = drive_ != core::Drive::kNone && commanded_;
  drive_ = drive;
  repeat_timer_.cancel();
  start_timer_.cancel();
  start_at_.reset();
  against_ = core::Drive::kNone;
  if (drive == core::Drive::kNone || was_moving) send(linak::Control::kStop);
  if (drive == core::Drive::kNone) return std::nullopt;
  commanded_ = desk_moved_ = false;
  if (connected()) {
    begin_driving();
    return std::nullopt;
  }
  // Reconnect on demand: the move starts once the link is back, at a time known now.
  start_at_ = clock_.steady_now() + std::chrono::duration_cast<core::SteadyTime::duration>(
                                        std::chrono::milliseconds(kReconnectWait));
  log(LogLevel::kInfo, "Bluetooth: the desk is not connected; reconnecting before the move");
  backoff_ = kFirstRetry;
  retry_timer_.cancel();
  if (!bus_ || !bus_->is_open()) {
    open_bus();
  } else if (link_) {
    link_->connect();
  }
  arm_start();
  return std::nullopt;
}

void BleBackend::arm_start() {
  start_timer_.expires_after(clock_.to_real(*start_at_ - clock_.steady_now()));
  start_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || !*alive || !start_at_) return;
    start_at_.reset();
    if (connected()) return begin_driving();
    drive_ = core::Drive::kNone;
    const std::string why = "Bluetooth: the desk did not reconnect within " +
                            std::to_string(kReconnectWait.count()) + " s; the move was refused";
    log(LogLevel::kError, why);
    fault(core::BusFault::kSensor, why);
    schedule_reconnect();  // an idle desk does not stay offline
  });
}

void BleBackend::begin_driving() {
  driving_since_ = clock_.steady_now();
  commanded_ = true;
  send(drive_ == core::Drive::kUp ? linak::Control::kUp : linak::Control::kDown);
  arm_repeat();
}

// The desk moves about a second per command: repeated while driving, never after kNone.
void BleBackend::arm_repeat() {
  repeat_timer_.expires_after(clock_.to_real(kRepeat));  // deskd's time (--time-scale)
  repeat_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || !*alive) return;
    if (drive_ == core::Drive::kNone || start_at_ || !connected()) return;
    send(drive_ == core::Drive::kUp ? linak::Control::kUp : linak::Control::kDown);
    arm_repeat();
  });
}

void BleBackend::all_off() noexcept {
  try {
    if (drive_ != core::Drive::kNone) {
      (void)set_drive(core::Drive::kNone);
    } else if (connected()) {
      send(linak::Control::kStop);
    }
  } catch (...) {
    drive_ = core::Drive::kNone;  // the repeat timer checks drive_: nothing more is sent
  }
}

void BleBackend::send(linak::Control c) {
  if (!link_ || !link_->ready()) return;
  if (link_->write(Char::kControl, linak::encode_control(c))) ++written_;
}

// A refused write while moving ends the move (the desk stops by itself without commands).
void BleBackend::on_write_failed(Char /*which*/, const std::string& why) {
  const bool moving = drive_ != core::Drive::kNone;
  log(LogLevel::kError,
      "Bluetooth: a command was refused (" + why + ")" + (moving ? " while moving: stopped" : ""));
  if (!moving) return;
  stop_sending();
  report_once(core::BusFault::kSensor, "Bluetooth: command refused: " + why);
}

void BleBackend::fault(core::BusFault f, const std::string& code) {
  inputs_.bus_fault = f;
  inputs_.bus_fault_code = code;
  publish();
}

void BleBackend::publish() {
  if (handler_) handler_(inputs_);
}

void BleBackend::log(LogLevel level, const std::string& message) const {
  if (logger_) logger_(level, message);
}

}  // namespace deskd::ble
