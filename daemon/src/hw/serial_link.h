#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/time.h"
#include "ports/clock.h"

namespace deskd::hw {

// A UART on the event loop: Boost.Asio serial_port, raw 8N1 at `baud`, no thread. Bytes are
// handed over with the steady time they arrived. A read or write error, or the far end closing
// (EIO, EOF: an unplugged cable or USB adapter), closes the port, is reported once, and the port
// is reopened with back-off (kFirstRetry doubling to kMaxRetry) until it opens again.
// `io` and `clock` must outlive this object; all calls happen on the loop's thread.
class SerialLink {
 public:
  static constexpr std::chrono::milliseconds kFirstRetry{100};
  static constexpr std::chrono::milliseconds kMaxRetry{2000};

  struct Handlers {
    std::function<void(std::span<const std::uint8_t>, core::SteadyTime)> bytes;
    std::function<void(const std::string& why)> down;  // the port failed or closed
    std::function<void()> up;                          // the port is open (again)
  };

  // `device` gives the path at every (re)open (a simulated controller's pty path can change).
  SerialLink(boost::asio::io_context& io, const ports::Clock& clock,
             std::function<std::string()> device, int baud);
  ~SerialLink();
  SerialLink(const SerialLink&) = delete;
  SerialLink& operator=(const SerialLink&) = delete;

  void set_handlers(Handlers handlers) { handlers_ = std::move(handlers); }
  // Opens the port now. Throws std::runtime_error naming the device if it cannot be opened
  // (start-up: a missing device is a configuration or wiring problem).
  void open();
  bool is_open() const { return port_.is_open(); }
  // Queues `bytes` for writing; dropped (false) while the port is closed.
  bool write(std::vector<std::uint8_t> bytes);
  // Writes `bytes` synchronously (best effort, never throws): for the last stop frame on the
  // way out, when the loop will not run again.
  void write_now(std::span<const std::uint8_t> bytes) noexcept;
  // Reads what the kernel already holds and hands it over now (see DeskIo::sync_inputs).
  void drain_now();
  std::uint64_t reopen_count() const { return reopens_; }

 private:
  void open_port(const std::string& path);
  void read();
  void write_next();
  void fail(const std::string& why);
  void schedule_reopen();

  boost::asio::io_context& io_;
  const ports::Clock& clock_;
  std::function<std::string()> device_;
  int baud_;
  boost::asio::serial_port port_;
  boost::asio::steady_timer retry_timer_;
  std::chrono::milliseconds retry_delay_ = kFirstRetry;
  std::array<std::uint8_t, 256> read_buf_{};
  std::deque<std::vector<std::uint8_t>> out_;
  bool writing_ = false;
  std::uint64_t reopens_ = 0;
  Handlers handlers_;
  // Outstanding handlers check it: the link may be destroyed while they are queued.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace deskd::hw
