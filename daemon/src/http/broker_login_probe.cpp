#include "http/broker_login_probe.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <random>
#include <utility>

namespace deskd::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr std::chrono::seconds kProbeTimeout{3};

std::string random_client_id() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::random_device device;
  std::string id = "deskd-probe-";
  for (int i = 0; i < 8; ++i) id.push_back(kDigits[device() % 16]);
  return id;
}

}  // namespace

std::vector<unsigned char> anonymous_connect_packet(const std::string& client_id) {
  std::vector<unsigned char> body = {0x00, 0x04, 'M', 'Q', 'T', 'T',  // protocol name
                                     0x04,                            // level 4: 3.1.1
                                     0x02,                            // clean session only
                                     0x00, 0x0A};                     // keep-alive 10 s
  body.push_back(static_cast<unsigned char>(client_id.size() >> 8));
  body.push_back(static_cast<unsigned char>(client_id.size() & 0xFF));
  body.insert(body.end(), client_id.begin(), client_id.end());
  std::vector<unsigned char> packet = {0x10, static_cast<unsigned char>(body.size())};
  packet.insert(packet.end(), body.begin(), body.end());
  return packet;
}

AnonymousLogin read_connack(const std::array<unsigned char, 4>& connack) {
  if (connack[0] != 0x20 || connack[1] != 0x02) return AnonymousLogin::kUnknown;
  switch (connack[3]) {
    case 0x00:
      return AnonymousLogin::kAccepted;
    case 0x04:  // bad user name or password
    case 0x05:  // not authorised
      return AnonymousLogin::kRefused;
    default:
      return AnonymousLogin::kUnknown;
  }
}

BrokerLoginProbe::BrokerLoginProbe(asio::io_context& io, std::string host, unsigned short port,
                                   std::chrono::seconds keep_for)
    : socket_(io),
      resolver_(io),
      deadline_(io),
      host_(std::move(host)),
      port_(port),
      keep_for_(keep_for) {}

std::optional<AnonymousLogin> BrokerLoginProbe::cached() const {
  if (!answer_ || *answer_ == AnonymousLogin::kUnknown) return std::nullopt;  // asked again
  if (std::chrono::steady_clock::now() - answered_at_ > keep_for_) return std::nullopt;
  return answer_;
}

void BrokerLoginProbe::ask(std::function<void(AnonymousLogin)> done) {
  if (const auto fresh = cached()) {
    done(*fresh);
    return;
  }
  waiting_.push_back(std::move(done));
  if (!running_) start();
}

void BrokerLoginProbe::start() {
  running_ = true;
  connect_packet_ = anonymous_connect_packet(random_client_id());
  auto self = shared_from_this();
  deadline_.expires_after(kProbeTimeout);
  deadline_.async_wait([self](const boost::system::error_code& ec) {
    if (!ec && self->running_) self->finish(AnonymousLogin::kUnknown);
  });
  resolver_.async_resolve(
      host_, std::to_string(port_),
      [self](const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
        if (!self->running_) return;
        if (ec) {
          self->finish(AnonymousLogin::kUnknown);
          return;
        }
        asio::async_connect(self->socket_, results,
                            [self](const boost::system::error_code& e, const tcp::endpoint&) {
                              self->on_connected(e);
                            });
      });
}

void BrokerLoginProbe::on_connected(const boost::system::error_code& ec) {
  if (!running_) return;
  if (ec) {
    finish(AnonymousLogin::kUnknown);
    return;
  }
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(connect_packet_),
                    [self](const boost::system::error_code& e, std::size_t) {
                      if (!self->running_) return;
                      if (e) {
                        self->finish(AnonymousLogin::kUnknown);
                        return;
                      }
                      asio::async_read(self->socket_, asio::buffer(self->connack_),
                                       [self](const boost::system::error_code& e2, std::size_t) {
                                         self->on_connack(e2);
                                       });
                    });
}

void BrokerLoginProbe::on_connack(const boost::system::error_code& ec) {
  if (!running_) return;
  const AnonymousLogin answer = ec ? AnonymousLogin::kUnknown : read_connack(connack_);
  if (answer == AnonymousLogin::kAccepted) {
    static constexpr std::array<unsigned char, 2> kDisconnect = {0xE0, 0x00};
    boost::system::error_code ignored;
    asio::write(socket_, asio::buffer(kDisconnect), ignored);  // 2 bytes on a fresh socket
  }
  finish(answer);
}

void BrokerLoginProbe::finish(AnonymousLogin answer) {
  running_ = false;
  boost::system::error_code ignored;
  deadline_.cancel();
  resolver_.cancel();
  socket_.close(ignored);
  answer_ = answer;
  if (answer != AnonymousLogin::kUnknown) last_definite_ = answer;
  answered_at_ = std::chrono::steady_clock::now();
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& done : waiting) {
    try {
      done(answer);
    } catch (const std::exception&) {
      // A waiter's failure (out of memory) must not stop the others from hearing the answer.
    }
  }
}

}  // namespace deskd::http
