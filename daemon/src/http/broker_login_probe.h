#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deskd::http {

// Whether the broker lets a client in without a user name and password.
enum class AnonymousLogin {
  kRefused,   // CONNACK 4 or 5: the broker authenticates every client
  kAccepted,  // CONNACK 0: anyone who reaches it may read and write
  kUnknown,   // unreachable, timed out, or an answer that says neither
};

// Asks the broker's TCP listener with a real MQTT 3.1.1 CONNECT without credentials (clean
// session, a random client id), reads the CONNACK, and leaves with DISCONNECT. The answer is kept
// for `keep_for` so that a burst of page connections costs one probe; callers that ask while a
// probe is running wait for it. Runs on the io_context's thread; no handler throws.
class BrokerLoginProbe : public std::enable_shared_from_this<BrokerLoginProbe> {
 public:
  BrokerLoginProbe(boost::asio::io_context& io, std::string host, unsigned short port,
                   std::chrono::seconds keep_for = std::chrono::seconds(30));

  void ask(std::function<void(AnonymousLogin)> done);
  // The last answer while it is fresh.
  std::optional<AnonymousLogin> cached() const;
  // The last definite answer (kAccepted or kRefused), however old.
  std::optional<AnonymousLogin> last_answer() const { return last_definite_; }

 private:
  void start();
  void on_connected(const boost::system::error_code& ec);
  void on_connack(const boost::system::error_code& ec);
  void finish(AnonymousLogin answer);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  std::string host_;
  unsigned short port_;
  std::chrono::seconds keep_for_;
  std::vector<std::function<void(AnonymousLogin)>> waiting_;
  std::vector<unsigned char> connect_packet_;
  std::array<unsigned char, 4> connack_{};
  std::optional<AnonymousLogin> answer_;
  std::optional<AnonymousLogin> last_definite_;
  std::chrono::steady_clock::time_point answered_at_{};
  bool running_ = false;
};

// The MQTT 3.1.1 CONNECT packet without credentials for `client_id` (≤ 23 ASCII characters).
std::vector<unsigned char> anonymous_connect_packet(const std::string& client_id);
// What a 4-byte CONNACK says about anonymous login.
AnonymousLogin read_connack(const std::array<unsigned char, 4>& connack);

}  // namespace deskd::http
