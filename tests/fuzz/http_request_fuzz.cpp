// Fuzzes the Beast request path: raw bytes into boost::beast's request parser with the
// session's settings (http/http_session.cpp: empty body, header limit 8192, header only), then,
// as HttpSession::on_header does, into DashboardResponder over a small real dashboard root,
// and the response serialized to bytes.
// Invariants: the responder never throws; the serialized response parses as HTTP/1.x; its
// status agrees with the method and with decode_request_target() (405 for other methods, 400
// for a malformed target, 404 for a hidden one, 200/304/404 for a file, 200 for /config.json);
// a file outside the root (a symlink to /etc) is never served; "Connection: close" exactly
// when keep-alive was not asked for. The front door (host_check.h) on the same request, as for a
// /mqtt upgrade: a Host is allowed only when it names the machine ("deskpi", localhost, the
// arrival address 192.168.1.20); an Origin is the page's own only when scheme://Host matches it;
// no security header is missing from any answer.
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "fuzz_check.h"
#include "http/dashboard_responder.h"
#include "http/host_check.h"
#include "http/request_target.h"

namespace {

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
using deskd::http::DashboardResponder;
using deskd::http::TargetStatus;

constexpr std::size_t kHeaderLimit = 8192;  // SessionLimits::max_header_bytes
const std::string kSecret = "deskd-fuzz-secret-outside-the-root";

// A dashboard root with an index, an asset, a hidden file and a symlink out of the root.
struct Root {
  Root() {
    std::string pattern = (fs::temp_directory_path() / "deskd-fuzz-web-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir = pattern;
    fs::create_directories(dir + "/web/assets");
    std::ofstream(dir + "/web/index.html") << "<html>deskd</html>";
    std::ofstream(dir + "/web/assets/app.js") << "console.log(1)";
    std::ofstream(dir + "/web/.hidden") << kSecret;
    std::ofstream(dir + "/outside.txt") << kSecret;
    fs::create_symlink(dir + "/outside.txt", dir + "/web/escape.txt");
    fs::create_directory_symlink(dir, dir + "/web/up");
  }
  ~Root() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string dir;
};

std::string serialize(deskd::http::Response response) {
  std::string out;
  while (!response.is_done()) {
    boost::beast::error_code ec;
    const auto buffers = response.prepare(ec);
    FUZZ_CHECK(!ec, "response serialization failed: " + ec.message());
    const std::string chunk = boost::beast::buffers_to_string(buffers);
    out += chunk;
    response.consume(chunk.size());
  }
  return out;
}

void check_status(const deskd::http::Request& request, unsigned status) {
  if (request.method() != bhttp::verb::get && request.method() != bhttp::verb::head) {
    FUZZ_CHECK(status == 405, "other method got " + std::to_string(status));
    return;
  }
  const auto target = deskd::http::decode_request_target(request.target());
  switch (target.status) {
    case TargetStatus::kBadRequest:
      FUZZ_CHECK(status == 400, "malformed target got " + std::to_string(status));
      return;
    case TargetStatus::kNotFound:
      FUZZ_CHECK(status == 404, "hidden target got " + std::to_string(status));
      return;
    case TargetStatus::kOk:
      if (target.path == "config.json") {
        FUZZ_CHECK(status == 200, "config.json got " + std::to_string(status));
      } else {
        FUZZ_CHECK(status == 200 || status == 304 || status == 404,
                   "file got " + std::to_string(status));
      }
  }
}

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void check_front_door(const deskd::http::Request& request) {
  using deskd::http::OriginVerdict;
  const auto field_text = [&](bhttp::field f) -> std::optional<std::string_view> {
    const auto it = request.find(f);
    if (it == request.end()) return std::nullopt;
    return std::string_view(it->value().data(), it->value().size());
  };
  const auto host_value = field_text(bhttp::field::host);
  const auto host = deskd::http::parse_host_header(host_value.value_or(""));
  if (!host) return;  // the session answers 400
  const std::string& n = host->name;
  FUZZ_CHECK(!n.empty() && n.find_first_of(" /@\\?#\r\n\t") == std::string::npos,
             "a host name with a separator: " + n);
  const deskd::http::HostAllowList none;
  const auto arrival = boost::asio::ip::make_address("192.168.1.20");
  if (deskd::http::host_allowed(*host, "deskpi", arrival, none)) {
    const bool own = n == "localhost" || (n.size() > 10 && n.ends_with(".localhost")) ||
                     n == "deskpi" || n == "deskpi.local" || n == "192.168.1.20";
    FUZZ_CHECK(own, "allowed a host that is not the machine's: " + n);
  }
  const auto origin = field_text(bhttp::field::origin);
  if (deskd::http::check_origin(origin, *host, none) == OriginVerdict::kSameOrigin) {
    const std::string o = lowered(*origin);
    const bool same = o.starts_with("http://" + n) || o.starts_with("https://" + n);
    FUZZ_CHECK(same, "origin " + o + " taken for the page's own at host " + n);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Root root;
  static const DashboardResponder responder(root.dir + "/web", [] { return "{\"a\":1}"; });
  bhttp::request_parser<bhttp::empty_body> parser;
  parser.header_limit(kHeaderLimit);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;  // the session answers 400/431 or waits
  const deskd::http::Request& request = parser.get();
  check_front_door(request);
  const bool has_body = !parser.is_done();
  const bool get_or_head =
      request.method() == bhttp::verb::get || request.method() == bhttp::verb::head;
  if (has_body && get_or_head) return 0;  // the session's own 400, without the responder
  const bool keep_alive = request.keep_alive() && !has_body;
  const std::string bytes = serialize(responder.respond(request, keep_alive));

  bhttp::response_parser<bhttp::string_body> check;
  check.skip(request.method() == bhttp::verb::head);
  check.eager(true);
  boost::beast::error_code rec;
  const std::size_t used = check.put(boost::asio::buffer(bytes), rec);
  if (!rec && !check.is_done()) check.put_eof(rec);
  FUZZ_CHECK(!rec && check.is_done(), "response does not parse: " + rec.message() + "\n" + bytes);
  FUZZ_CHECK(used == bytes.size() || request.method() == bhttp::verb::head,
             "bytes after the response");
  const auto& response = check.get();
  check_status(request, response.result_int());
  FUZZ_CHECK(response.body().find(kSecret) == std::string::npos, "served a file outside the root");
  FUZZ_CHECK(response.keep_alive() == keep_alive, "keep-alive differs from the request's");
  for (const char* name : {"Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"}) {
    FUZZ_CHECK(response.find(name) != response.end(), std::string("no ") + name);
  }
  return 0;
}
