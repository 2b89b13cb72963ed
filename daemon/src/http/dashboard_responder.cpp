#include "http/dashboard_responder.h"

#include <sys/stat.h>

#include <array>
#include <boost/beast/core/file_base.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>

#include "http/cache_policy.h"
#include "http/content_coding.h"
#include "http/content_type.h"
#include "http/entity_tag.h"
#include "http/http_date.h"
#include "http/request_target.h"

namespace deskd::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;

constexpr std::string_view kServerName = "deskd";

// `json` (an object) with "bridge_notice": `notice` added.
std::string with_bridge_notice(const std::string& json, std::string_view notice) {
  boost::json::value v = boost::json::parse(json);
  v.as_object()["bridge_notice"] = notice;
  return boost::json::serialize(v);
}

// For answers that run nothing (error pages): no script, style, frame or form of any kind.
constexpr std::string_view kInertPagePolicy =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// Every answer: never framed by another page (clickjacking), no referrer, no type sniffing.
template <class Body>
void set_common_headers(bhttp::response<Body>& res, bool keep_alive,
                        std::string_view content_security_policy = kInertPagePolicy) {
  res.set(bhttp::field::server, kServerName);
  res.set(bhttp::field::date, format_http_date(std::time(nullptr)));
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Content-Security-Policy", content_security_policy);
  res.keep_alive(keep_alive);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

Response html_page(bhttp::status status, unsigned version, bool keep_alive, std::string_view title,
                   std::string_view body_html) {
  bhttp::response<bhttp::string_body> res{status, version};
  set_common_headers(res, keep_alive);
  res.set(bhttp::field::content_type, "text/html; charset=utf-8");
  res.set(bhttp::field::cache_control, kNoStore);
  if (status == bhttp::status::method_not_allowed) res.set(bhttp::field::allow, "GET, HEAD");
  const std::string escaped_title = html_escape(title);
  res.body() = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
               escaped_title + "</title></head>\n<body><h1>" + escaped_title + "</h1>\n" +
               std::string(body_html) + "\n</body></html>\n";
  res.prepare_payload();
  return Response(std::move(res));
}

// A HEAD answer: the GET answer's headers, with its Content-Length, and no body.
Response without_body(bhttp::response_header<> header, std::uint64_t content_length) {
  bhttp::response<bhttp::empty_body> res{std::move(header)};
  res.content_length(content_length);
  return Response(std::move(res));
}

Response dashboard_not_built(unsigned version, bool keep_alive, const std::string& root) {
  return html_page(
      bhttp::status::service_unavailable, version, keep_alive, "deskd: the dashboard is not built",
      "<p>deskd is running, but no dashboard files were found in <code>" + html_escape(root) +
          "</code>.</p>\n<p>Build the dashboard (<code>npm ci &amp;&amp; npm run build</code> in "
          "<code>web/</code>) and install it, or point <code>[web] root</code> in deskd.toml at "
          "the built <code>web/dist</code> folder. The desk itself works without it, over "
          "MQTT.</p>");
}

bool is_under(const fs::path& resolved, const fs::path& root) {
  std::string prefix = root.native();
  if (!prefix.ends_with('/')) prefix.push_back('/');
  return resolved.native().starts_with(prefix);
}

// Every Accept-Encoding line of the request as one list ("" when there is none).
std::string accept_encoding(const Request& request) {
  std::string all;
  const auto [first, last] = request.equal_range(bhttp::field::accept_encoding);
  for (auto it = first; it != last; ++it) {
    if (!all.empty()) all += ',';
    all += it->value();
  }
  return all;
}

bool not_modified(const Request& request, const std::string& etag, std::time_t mtime) {
  const auto inm = request.find(bhttp::field::if_none_match);
  if (inm != request.end()) return if_none_match_matches(inm->value(), etag);
  const auto ims = request.find(bhttp::field::if_modified_since);
  if (ims == request.end()) return false;
  const auto since = parse_http_date(ims->value());
  return since && mtime <= *since;
}

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// A gzip member's trailer ends with ISIZE: the uncompressed size modulo 2^32, little-endian.
bool gzip_size_matches(const fs::path& gz, std::uintmax_t size) {
  std::ifstream in(gz, std::ios::binary);
  std::array<unsigned char, 4> isize{};
  if (!in.seekg(-4, std::ios::end) ||
      !in.read(reinterpret_cast<char*>(isize.data()), static_cast<std::streamsize>(isize.size()))) {
    return false;
  }
  const std::uint32_t stored = isize[0] | (isize[1] << 8U) | (isize[2] << 16U) |
                               (static_cast<std::uint32_t>(isize[3]) << 24U);
  return stored == static_cast<std::uint32_t>(size);
}

// Whole seconds: a .deb (tar) keeps no finer modification times.
bool same_mtime(const struct stat& a, const struct stat& b) {
  return a.st_mtim.tv_sec == b.st_mtim.tv_sec;
}

}  // namespace

// The precompressed copy beside a file ("app.js.gz" for "app.js"): a regular file under the
// root with the file's own modification time (the dashboard's build gives it that; a copy that
// keeps times keeps it, an edit or a rollback of the file does not) and its uncompressed size.
std::optional<DashboardResponder::FileInfo> DashboardResponder::gzip_sibling(
    const fs::path& file, const struct stat& st, const fs::path& root_real) {
  std::error_code ec;
  const fs::path gz = fs::canonical(fs::path(file.native() + ".gz"), ec);
  struct stat gst {};
  if (ec || !is_under(gz, root_real) || ::stat(gz.c_str(), &gst) != 0 || !S_ISREG(gst.st_mode)) {
    return std::nullopt;
  }
  if (!same_mtime(gst, st)) return std::nullopt;
  if (!gzip_size_matches(gz, static_cast<std::uintmax_t>(st.st_size))) return std::nullopt;
  return FileInfo{gz, gst};
}

DashboardResponder::DashboardResponder(std::string root, std::function<std::string()> config_json,
                                       std::string content_security_policy)
    : root_(std::move(root)),
      config_json_(std::move(config_json)),
      csp_(content_security_policy.empty() ? dashboard_csp("") : content_security_policy) {}

Response DashboardResponder::error_page(bhttp::status status, unsigned version, bool keep_alive,
                                        std::string_view detail) {
  const std::string title = std::to_string(static_cast<unsigned>(status)) + " " +
                            std::string(bhttp::obsolete_reason(status));
  return html_page(status, version, keep_alive, title, "<p>" + html_escape(detail) + "</p>");
}

Response DashboardResponder::respond(const Request& request, bool keep_alive,
                                     std::string_view bridge_notice) const {
  const unsigned version = request.version();
  if (request.method() != bhttp::verb::get && request.method() != bhttp::verb::head) {
    return error_page(bhttp::status::method_not_allowed, version, keep_alive,
                      "Only GET and HEAD are supported.");
  }
  const DecodedTarget target = decode_request_target(request.target());
  switch (target.status) {
    case TargetStatus::kBadRequest:
      return error_page(bhttp::status::bad_request, version, keep_alive, "Malformed path.");
    case TargetStatus::kNotFound:
      return error_page(bhttp::status::not_found, version, keep_alive, "No such file.");
    case TargetStatus::kOk:
      break;
  }
  if (target.path == "config.json") {
    return respond_config_json(request, keep_alive, bridge_notice);
  }
  return respond_file(request, keep_alive, target.path);
}

Response DashboardResponder::respond_config_json(const Request& request, bool keep_alive,
                                                 std::string_view bridge_notice) const {
  std::string body;
  try {
    body = config_json_ ? config_json_() : std::string("{}");
    if (!bridge_notice.empty()) body = with_bridge_notice(body, bridge_notice);
  } catch (const std::exception&) {
    return error_page(bhttp::status::internal_server_error, request.version(), keep_alive,
                      "The dashboard configuration is unavailable.");
  }
  bhttp::response<bhttp::string_body> res{bhttp::status::ok, request.version()};
  set_common_headers(res, keep_alive, csp_);
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, cache_control_for("config.json"));
  res.body() = std::move(body);
  res.prepare_payload();
  if (request.method() == bhttp::verb::head) {
    const auto size = res.body().size();
    return without_body(std::move(res.base()), size);
  }
  return Response(std::move(res));
}

Response DashboardResponder::respond_file(const Request& request, bool keep_alive,
                                          const std::string& path) const {
  const unsigned version = request.version();
  std::error_code ec;
  const fs::path root_real = fs::canonical(root_, ec);
  if (ec || !fs::is_directory(root_real, ec)) {
    return dashboard_not_built(version, keep_alive, root_);
  }
  const fs::path resolved = fs::canonical(root_real / path, ec);
  if (ec) {
    if (path == "index.html") return dashboard_not_built(version, keep_alive, root_);
    return error_page(bhttp::status::not_found, version, keep_alive, "No such file.");
  }
  struct stat st {};
  if (!is_under(resolved, root_real) || ::stat(resolved.c_str(), &st) != 0 ||
      !S_ISREG(st.st_mode)) {
    return error_page(bhttp::status::not_found, version, keep_alive, "No such file.");
  }
  const std::optional<FileInfo> gz = gzip_sibling(resolved, st, root_real);
  const bool send_gz = gz && accepts_gzip(accept_encoding(request));
  Variant variant = Variant::kOnly;
  if (gz) variant = send_gz ? Variant::kGzip : Variant::kIdentity;
  return send_file(request, keep_alive, path, send_gz ? *gz : FileInfo{resolved, st}, variant);
}

Response DashboardResponder::send_file(const Request& request, bool keep_alive,
                                       const std::string& path, const FileInfo& body,
                                       Variant variant) const {
  std::string etag =
      make_entity_tag(static_cast<std::uintmax_t>(body.st.st_size), mtime_ns(body.st));
  if (variant == Variant::kGzip) etag.insert(1, "gz-");  // never the identity file's tag
  bhttp::response_header<> header;
  header.version(request.version());
  header.set(bhttp::field::content_type, content_type_for(path));
  header.set(bhttp::field::cache_control, cache_control_for(path));
  header.set(bhttp::field::etag, etag);
  header.set(bhttp::field::last_modified, format_http_date(body.st.st_mtim.tv_sec));
  if (variant != Variant::kOnly) header.set(bhttp::field::vary, "Accept-Encoding");
  if (variant == Variant::kGzip) header.set(bhttp::field::content_encoding, "gzip");

  if (not_modified(request, etag, body.st.st_mtim.tv_sec)) {
    header.result(bhttp::status::not_modified);
    header.erase(bhttp::field::content_type);
    header.erase(bhttp::field::content_encoding);
    bhttp::response<bhttp::empty_body> res{std::move(header)};
    set_common_headers(res, keep_alive, csp_);
    return Response(std::move(res));
  }
  header.result(bhttp::status::ok);
  if (request.method() == bhttp::verb::head) {
    bhttp::response<bhttp::empty_body> res{std::move(header)};
    set_common_headers(res, keep_alive, csp_);
    res.content_length(static_cast<std::uint64_t>(body.st.st_size));
    return Response(std::move(res));
  }
  bhttp::file_body::value_type file;
  beast::error_code open_error;
  file.open(body.path.c_str(), beast::file_mode::scan, open_error);
  if (open_error) {
    return error_page(bhttp::status::not_found, request.version(), keep_alive, "No such file.");
  }
  bhttp::response<bhttp::file_body> res{std::move(header), std::move(file)};
  set_common_headers(res, keep_alive, csp_);
  res.prepare_payload();
  return Response(std::move(res));
}

std::string dashboard_csp(std::string_view broker_sources) {
  std::string connect = "'self'";
  if (!broker_sources.empty()) connect += " " + std::string(broker_sources);
  return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
         "img-src 'self' data:; worker-src 'self' blob:; connect-src " +
         connect +
         "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

}  // namespace deskd::http
