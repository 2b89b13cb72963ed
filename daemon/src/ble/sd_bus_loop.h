#pragma once

#include <systemd/sd-bus.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace deskd::ble {

// One sd-bus connection driven by the event loop: its fd is awaited through an asio descriptor
// (read or write, as sd_bus_get_events() asks) and its timeout through an asio timer, and
// sd_bus_process() runs until it has nothing left. No thread, no polling loop. Move-only RAII:
// the destructor flushes and closes the connection.
//
// Errors at construction throw std::runtime_error (a C-API boundary); a connection that breaks
// later reports once through the lost handler and stays closed.
class SdBusLoop {
 public:
  using LostHandler = std::function<void(const std::string& why)>;
  // A method reply: `error` set (name and message) when the call failed or timed out.
  using Reply = std::function<void(sd_bus_message* reply, const sd_bus_error* error)>;

  // The system bus (sd-bus honours DBUS_SYSTEM_BUS_ADDRESS, so tests use a private bus).
  static std::unique_ptr<SdBusLoop> open_system(boost::asio::io_context& io);
  // A bus at `address` ("unix:path=..."), for the simulated BlueZ.
  static std::unique_ptr<SdBusLoop> open_address(boost::asio::io_context& io,
                                                 const std::string& address);
  ~SdBusLoop();
  SdBusLoop(const SdBusLoop&) = delete;
  SdBusLoop& operator=(const SdBusLoop&) = delete;

  sd_bus* bus() const { return bus_; }
  boost::asio::io_context& io() const { return io_; }
  bool is_open() const { return bus_ != nullptr && !lost_; }
  void set_lost_handler(LostHandler handler) { lost_ = false, on_lost_ = std::move(handler); }
  // Sends the method call `m` (consumes the caller's reference) and calls `done` on the loop with
  // its reply. `done` is dropped uncalled if the connection goes away first. Returns a negative
  // errno if it could not be queued.
  int call(sd_bus_message* m, Reply done, std::chrono::microseconds timeout);
  // Processes what is queued and re-arms the waits; call after queueing a message outside a
  // callback so it goes out now.
  void kick();

 private:
  SdBusLoop(boost::asio::io_context& io, sd_bus* bus);
  void arm();
  void on_ready();
  void lose(const std::string& why);

  boost::asio::io_context& io_;
  sd_bus* bus_ = nullptr;
  boost::asio::posix::stream_descriptor fd_;
  boost::asio::steady_timer timer_;
  bool lost_ = false;
  LostHandler on_lost_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace deskd::ble
