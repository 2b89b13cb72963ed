#include "http/content_coding.h"

#include <cctype>
#include <optional>
#include <string>

#include "http/header_text.h"

namespace deskd::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); nullopt when malformed.
std::optional<bool> q_above_zero(std::string_view q) {
  if (q.empty() || (q[0] != '0' && q[0] != '1')) return std::nullopt;
  if (q.size() == 1) return q[0] == '1';
  if (q[1] != '.' || q.size() > 5) return std::nullopt;
  bool nonzero = q[0] == '1';
  for (const char c : q.substr(2)) {
    if (c < '0' || c > '9' || (q[0] == '1' && c != '0')) return std::nullopt;
    nonzero = nonzero || c != '0';
  }
  return nonzero;
}

// One list element: its coding (lower case) and whether its weight is above 0.
struct Element {
  std::string coding;
  std::optional<bool> wanted;
};

Element parse_element(std::string_view element) {
  const auto semi = element.find(';');
  Element e{lower(trim_ows(element.substr(0, semi))), true};
  std::string_view params = semi == std::string_view::npos ? "" : element.substr(semi + 1);
  while (!params.empty()) {
    const auto next = params.find(';');
    const std::string_view param = trim_ows(params.substr(0, next));
    const std::string_view name = trim_ows(param.substr(0, param.find('=')));
    if (name == "q" || name == "Q") {
      // Exactly "q=<qvalue>": a weight spelled otherwise ("q = 0", "q") is malformed.
      const bool exact = param.size() > 2 && param[1] == '=';
      e.wanted = exact ? q_above_zero(param.substr(2)) : std::nullopt;
    }
    params = next == std::string_view::npos ? "" : params.substr(next + 1);
  }
  return e;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> named;
  std::optional<bool> any;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const Element e = parse_element(accept_encoding.substr(0, comma));
    const bool ok = e.wanted.value_or(false);
    if (e.coding == "gzip" || e.coding == "x-gzip") named = named.value_or(false) || ok;
    if (e.coding == "*") any = any.value_or(false) || ok;
    accept_encoding = comma == std::string_view::npos ? "" : accept_encoding.substr(comma + 1);
  }
  if (named) return *named;
  return any.value_or(false);
}

}  // namespace deskd::http
