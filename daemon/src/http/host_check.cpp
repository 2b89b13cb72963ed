#include "http/host_check.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace deskd::http {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

std::optional<unsigned short> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || text.size() > 5 || ec != std::errc() || ptr != end || value > 65535) {
    return std::nullopt;
  }
  return static_cast<unsigned short>(value);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The bare address of "[v6]" or "v4"; nullopt when `name` is not an IP literal.
std::optional<boost::asio::ip::address> ip_literal(std::string_view name) {
  const bool bracketed = name.size() > 2 && name.front() == '[' && name.back() == ']';
  if (bracketed) name = name.substr(1, name.size() - 2);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(name), ec);
  if (ec) return std::nullopt;
  return address;
}

boost::asio::ip::address unmapped(const boost::asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  }
  return a;
}

bool machine_name_matches(std::string_view name, std::string_view machine) {
  if (machine.empty()) return false;
  const std::string short_name(machine.substr(0, machine.find('.')));
  return name == machine || name == short_name || name == std::string(machine) + ".local" ||
         name == short_name + ".local";
}

}  // namespace

std::optional<HostHeader> parse_host_header(std::string_view value) {
  HostHeader out;
  std::string_view name = value;
  std::string_view port;
  if (!value.empty() && value.front() == '[') {
    const auto close = value.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    name = value.substr(0, close + 1);
    const auto rest = value.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || rest.size() == 1)) return std::nullopt;
    if (!rest.empty()) port = rest.substr(1);
    // Hex digits, ':' and '.' only: no zone id ("%eth0"), which no browser sends in Host.
    const auto inside = name.substr(1, name.size() - 2);
    const bool plain = std::all_of(inside.begin(), inside.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    });
    if (!plain || !ip_literal(name)) return std::nullopt;
  } else {
    const auto colon = value.find(':');
    if (colon != std::string_view::npos) {
      name = value.substr(0, colon);
      port = value.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    const std::string lowered = lower(name);
    if (lowered.empty() || !std::all_of(lowered.begin(), lowered.end(), name_char)) {
      return std::nullopt;
    }
    // Every label non-empty: ".localhost" or "a..b" is no name (and must not pass as a suffix).
    if (lowered.front() == '.' || lowered.find("..") != std::string::npos) return std::nullopt;
  }
  out.name = lower(name);
  if (!port.empty()) {
    out.port = parse_port(port);
    if (!out.port) return std::nullopt;
  }
  return out;
}

bool host_allowed(const HostHeader& host, std::string_view machine_name,
                  const boost::asio::ip::address& local_address, const HostAllowList& allow) {
  const std::string_view name = host.name;
  if (name == "localhost" || ends_with(name, ".localhost")) return true;
  if (std::find(allow.hosts.begin(), allow.hosts.end(), name) != allow.hosts.end()) return true;
  if (const auto literal = ip_literal(name)) return unmapped(*literal) == unmapped(local_address);
  return machine_name_matches(name, machine_name);
}

OriginVerdict check_origin(std::optional<std::string_view> origin, const HostHeader& host,
                           const HostAllowList& allow) {
  if (!origin) return OriginVerdict::kNoOrigin;
  const std::string text = lower(*origin);
  if (std::find(allow.origins.begin(), allow.origins.end(), text) != allow.origins.end()) {
    return OriginVerdict::kConfigured;
  }
  std::string_view rest = text;
  unsigned short default_port = 0;
  if (rest.rfind("http://", 0) == 0) {
    rest.remove_prefix(7);
    default_port = 80;
  } else if (rest.rfind("https://", 0) == 0) {
    rest.remove_prefix(8);
    default_port = 443;
  } else {
    return OriginVerdict::kForeign;  // "null", file:, chrome-extension:, …
  }
  const auto page = parse_host_header(rest);
  if (!page || page->name != host.name) return OriginVerdict::kForeign;
  const unsigned short page_port = page->port.value_or(default_port);
  return page_port == host.port.value_or(default_port) ? OriginVerdict::kSameOrigin
                                                       : OriginVerdict::kForeign;
}

std::string machine_host_name() {
  std::array<char, 256> buf{};
  if (gethostname(buf.data(), buf.size() - 1) != 0) return {};
  return lower(buf.data());
}

}  // namespace deskd::http
