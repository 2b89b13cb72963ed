#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace deskd::http {

// Who a connection comes from, for budgets: an IPv4 address (also when mapped into IPv6), or an
// IPv6 /64 prefix (one device may use many addresses of its prefix).
std::string peer_key(const boost::asio::ip::address& address);

// True for 127.0.0.1 and ::1 (also mapped): this machine's own clients. Other 127/8 addresses
// count as other hosts (unknown counts as no).
bool is_local_peer(const boost::asio::ip::address& address);

enum class ConnectionKind { kPage, kBridge };  // an HTTP connection; a page's /mqtt session

// How many connections the server holds, in all and per peer. Per-peer caps well below the
// totals mean that one address can never take every slot and lock another out.
struct ConnectionBudget {
  std::size_t max_pages = 64;
  std::size_t max_pages_per_peer = 16;
  std::size_t max_bridges = 32;
  std::size_t max_bridges_per_peer = 8;
};

// Counts open connections by kind and peer against a ConnectionBudget.
class PeerBudget {
 public:
  explicit PeerBudget(ConnectionBudget budget) : budget_(budget) {}

  // Why a new connection of `kind` from `peer` does not fit ("…from your address"), or nullopt.
  std::optional<std::string> refusal(const std::string& peer, ConnectionKind kind) const;
  void add(const std::string& peer, ConnectionKind kind);
  void remove(const std::string& peer, ConnectionKind kind);
  std::size_t count(ConnectionKind kind) const { return totals_[index(kind)]; }
  std::size_t count(const std::string& peer, ConnectionKind kind) const;

 private:
  static std::size_t index(ConnectionKind kind) { return kind == ConnectionKind::kPage ? 0 : 1; }

  ConnectionBudget budget_;
  std::array<std::size_t, 2> totals_{};
  std::map<std::pair<std::string, ConnectionKind>, std::size_t> per_peer_;
};

}  // namespace deskd::http
