#include "hw/serial_link.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

namespace deskd::hw {

namespace asio = boost::asio;

SerialLink::SerialLink(asio::io_context& io, const ports::Clock& clock,
                       std::function<std::string()> device, int baud)
    : io_(io),
      clock_(clock),
      device_(std::move(device)),
      baud_(baud),
      port_(io),
      retry_timer_(io) {}

SerialLink::~SerialLink() {
  *alive_ = false;
  boost::system::error_code ignored;
  retry_timer_.cancel();
  port_.close(ignored);
}

void SerialLink::open() {
  const std::string path = device_();
  try {
    open_port(path);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("bus device '" + path + "': " + e.code().message());
  }
  read();
}

void SerialLink::open_port(const std::string& path) {
  // serial_port::open puts the line in raw mode (no echo, no line editing, 8 data bits).
  port_.open(path);
  port_.set_option(asio::serial_port::baud_rate(static_cast<unsigned>(baud_)));
  port_.set_option(asio::serial_port::character_size(8));
  port_.set_option(asio::serial_port::parity(asio::serial_port::parity::none));
  port_.set_option(asio::serial_port::stop_bits(asio::serial_port::stop_bits::one));
  port_.set_option(asio::serial_port::flow_control(asio::serial_port::flow_control::none));
}

void SerialLink::read() {
  port_.async_read_some(asio::buffer(read_buf_),
                        [this, alive = alive_](const boost::system::error_code& ec, std::size_t n) {
                          if (!*alive || ec == asio::error::operation_aborted) return;
                          if (ec) {
                            fail(ec == asio::error::eof ? "EOF" : ec.message());
                            return;
                          }
                          const core::SteadyTime at = clock_.steady_now();
                          if (handlers_.bytes) handlers_.bytes({read_buf_.data(), n}, at);
                          if (port_.is_open()) read();
                        });
}

bool SerialLink::write(std::vector<std::uint8_t> bytes) {
  if (!port_.is_open()) return false;
  out_.push_back(std::move(bytes));
  if (!writing_) write_next();
  return true;
}

void SerialLink::write_next() {
  if (out_.empty() || !port_.is_open()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  asio::async_write(port_, asio::buffer(out_.front()),
                    [this, alive = alive_](const boost::system::error_code& ec, std::size_t) {
                      if (!*alive || ec == asio::error::operation_aborted) return;
                      if (ec) {
                        fail(ec.message());
                        return;
                      }
                      out_.pop_front();
                      write_next();
                    });
}

void SerialLink::write_now(std::span<const std::uint8_t> bytes) noexcept {
  if (!port_.is_open()) return;
  boost::system::error_code ignored;
  asio::write(port_, asio::buffer(bytes.data(), bytes.size()), ignored);
}

void SerialLink::drain_now() {
  if (!port_.is_open()) return;
  int available = 0;
  const int fd = port_.native_handle();
  if (::ioctl(fd, FIONREAD, &available) != 0 || available <= 0) return;
  std::array<std::uint8_t, 256> buf{};
  const ssize_t n = ::read(fd, buf.data(), buf.size());  // non-blocking: asio set O_NONBLOCK
  if (n > 0 && handlers_.bytes) {
    handlers_.bytes({buf.data(), static_cast<std::size_t>(n)}, clock_.steady_now());
  }
}

void SerialLink::fail(const std::string& why) {
  if (!port_.is_open()) return;  // already reported (a read and a write can both fail)
  boost::system::error_code ignored;
  port_.close(ignored);
  out_.clear();
  writing_ = false;
  if (handlers_.down) handlers_.down(why);
  retry_delay_ = kFirstRetry;
  schedule_reopen();
}

void SerialLink::schedule_reopen() {
  retry_timer_.expires_after(retry_delay_);  // real time: the hardware does not scale
  retry_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (!*alive || ec) return;
    try {
      open_port(device_());
    } catch (const boost::system::system_error&) {
      boost::system::error_code ignored;
      port_.close(ignored);
      retry_delay_ = std::min(retry_delay_ * 2, kMaxRetry);
      schedule_reopen();
      return;
    }
    ++reopens_;
    read();
    if (handlers_.up) handlers_.up();
  });
}

}  // namespace deskd::hw
