#include "ble/sd_bus_loop.h"

#include <poll.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace deskd::ble {

namespace {

std::string errno_text(int negative_errno) { return std::strerror(-negative_errno); }

}  // namespace

std::unique_ptr<SdBusLoop> SdBusLoop::open_system(boost::asio::io_context& io) {
  sd_bus* bus = nullptr;
  if (int r = sd_bus_open_system(&bus); r < 0) {
    throw std::runtime_error("D-Bus: cannot connect to the system bus: " + errno_text(r));
  }
  return std::unique_ptr<SdBusLoop>(new SdBusLoop(io, bus));
}

std::unique_ptr<SdBusLoop> SdBusLoop::open_address(boost::asio::io_context& io,
                                                   const std::string& address) {
  sd_bus* bus = nullptr;
  int r = sd_bus_new(&bus);
  if (r >= 0) r = sd_bus_set_address(bus, address.c_str());
  if (r >= 0) r = sd_bus_set_bus_client(bus, 1);
  if (r >= 0) r = sd_bus_start(bus);
  if (r < 0) {
    sd_bus_unref(bus);
    throw std::runtime_error("D-Bus: cannot connect to " + address + ": " + errno_text(r));
  }
  return std::unique_ptr<SdBusLoop>(new SdBusLoop(io, bus));
}

SdBusLoop::SdBusLoop(boost::asio::io_context& io, sd_bus* bus)
    : io_(io), bus_(bus), fd_(io), timer_(io) {
  const int fd = sd_bus_get_fd(bus_);
  const int own = fd >= 0 ? ::dup(fd) : -1;
  if (own < 0) {
    sd_bus_flush_close_unref(bus_);
    throw std::runtime_error("D-Bus: the connection has no file descriptor");
  }
  fd_.assign(own);
  kick();
}

SdBusLoop::~SdBusLoop() {
  *alive_ = false;
  boost::system::error_code ignored;
  timer_.cancel();
  fd_.close(ignored);
  sd_bus_flush_close_unref(bus_);
}

namespace {

int on_reply(sd_bus_message* m, void* userdata, sd_bus_error* /*ret_error*/) {
  const auto& done = *static_cast<SdBusLoop::Reply*>(userdata);
  done(m, sd_bus_message_is_method_error(m, nullptr) ? sd_bus_message_get_error(m) : nullptr);
  return 0;
}

void delete_reply(void* userdata) { delete static_cast<SdBusLoop::Reply*>(userdata); }

}  // namespace

int SdBusLoop::call(sd_bus_message* m, Reply done, std::chrono::microseconds timeout) {
  auto* owned = new Reply(std::move(done));
  sd_bus_slot* slot = nullptr;
  const int r = sd_bus_call_async(bus_, &slot, m, on_reply, owned,
                                  static_cast<std::uint64_t>(timeout.count()));
  sd_bus_message_unref(m);
  if (r < 0) {
    delete owned;
    return r;
  }
  sd_bus_slot_set_destroy_callback(slot, delete_reply);
  sd_bus_slot_set_floating(slot, 1);
  sd_bus_slot_unref(slot);
  kick();
  return 0;
}

void SdBusLoop::kick() {
  boost::asio::post(fd_.get_executor(), [this, alive = alive_] {
    if (*alive) on_ready();
  });
}

// Runs every queued message and callback, then waits for what sd-bus waits for next.
void SdBusLoop::on_ready() {
  if (lost_) return;
  for (;;) {
    const int r = sd_bus_process(bus_, nullptr);
    if (r < 0) return lose("the connection failed: " + errno_text(r));
    if (r == 0) break;
  }
  if (sd_bus_is_open(bus_) <= 0) return lose("the connection closed");
  arm();
}

void SdBusLoop::arm() {
  const int events = sd_bus_get_events(bus_);
  if (events < 0) return lose("the connection failed: " + errno_text(events));
  boost::system::error_code ignored;
  fd_.cancel(ignored);
  const auto wait = (events & POLLOUT) ? boost::asio::posix::descriptor_base::wait_write
                                       : boost::asio::posix::descriptor_base::wait_read;
  fd_.async_wait(wait, [this, alive = alive_](const boost::system::error_code& ec) {
    if (!*alive || ec == boost::asio::error::operation_aborted) return;
    on_ready();
  });
  std::uint64_t usec = 0;
  timer_.cancel();
  if (sd_bus_get_timeout(bus_, &usec) < 0 || usec == UINT64_MAX) return;
  // sd-bus gives CLOCK_MONOTONIC microseconds: std::chrono::steady_clock on Linux.
  const auto at = std::chrono::steady_clock::time_point(std::chrono::microseconds(usec));
  timer_.expires_at(at);
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (!*alive || ec == boost::asio::error::operation_aborted) return;
    on_ready();
  });
}

void SdBusLoop::lose(const std::string& why) {
  if (lost_) return;
  lost_ = true;
  timer_.cancel();
  boost::system::error_code ignored;
  fd_.cancel(ignored);
  if (on_lost_) on_lost_(why);
}

}  // namespace deskd::ble
