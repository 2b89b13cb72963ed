#include "http/peer_budget.h"

namespace deskd::http {

std::string peer_key(const boost::asio::ip::address& address) {
  if (address.is_v4()) return address.to_string();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  }
  auto bytes = v6.to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

bool is_local_peer(const boost::asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4() == boost::asio::ip::address_v4::loopback();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6) ==
           boost::asio::ip::address_v4::loopback();
  }
  return v6.is_loopback();
}

std::optional<std::string> PeerBudget::refusal(const std::string& peer, ConnectionKind kind) const {
  const bool page = kind == ConnectionKind::kPage;
  const std::size_t per_peer = page ? budget_.max_pages_per_peer : budget_.max_bridges_per_peer;
  const std::size_t total = page ? budget_.max_pages : budget_.max_bridges;
  const char* what = page ? " connections" : " dashboard MQTT sessions";
  if (count(peer, kind) >= per_peer) {
    return std::to_string(per_peer) + what + " from one address are open already";
  }
  if (count(kind) >= total) return std::to_string(total) + what + " are open already";
  return std::nullopt;
}

void PeerBudget::add(const std::string& peer, ConnectionKind kind) {
  ++totals_[index(kind)];
  ++per_peer_[{peer, kind}];
}

void PeerBudget::remove(const std::string& peer, ConnectionKind kind) {
  const auto it = per_peer_.find({peer, kind});
  if (it == per_peer_.end()) return;
  --totals_[index(kind)];
  if (--it->second == 0) per_peer_.erase(it);
}

std::size_t PeerBudget::count(const std::string& peer, ConnectionKind kind) const {
  const auto it = per_peer_.find({peer, kind});
  return it == per_peer_.end() ? 0 : it->second;
}

}  // namespace deskd::http
