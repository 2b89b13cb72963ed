#pragma once

#include <sys/stat.h>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/status.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace deskd::http {

using Request = boost::beast::http::request<boost::beast::http::empty_body>;
using Response = boost::beast::http::message_generator;

// Decides the answer to one parsed request: static files from the dashboard root, and
// /config.json from a callback. Knows nothing about sockets.
//
// GET and HEAD only; other methods get 405 with "Allow: GET, HEAD". Targets are decoded by
// decode_request_target() and the resolved file (symlinks followed) must lie under the root's
// real path, else 404. Files carry ETag and Last-Modified and answer conditional requests with
// 304. A file with a precompressed "<name>.gz" beside it (the dashboard's build writes them) is
// sent gzip-coded to requests whose Accept-Encoding admits gzip, with "Vary: Accept-Encoding"
// on both answers and its own ETag. A root that does not exist (the dashboard was never built or
// installed) gives a 503 page that says so, for every path except /config.json.
//
// Every answer carries X-Frame-Options: DENY, Referrer-Policy: no-referrer, nosniff and a
// Content-Security-Policy: the dashboard's (`content_security_policy`, by default
// dashboard_csp("")) on files and /config.json, and one that allows nothing on error pages.
class DashboardResponder {
 public:
  // `config_json` is called for each /config.json request; if it throws, the answer is 500.
  DashboardResponder(std::string root, std::function<std::string()> config_json,
                     std::string content_security_policy = {});

  // Never throws except std::bad_alloc. The response's keep-alive is `keep_alive`. A non-empty
  // `bridge_notice` is added to /config.json as "bridge_notice" (why the /mqtt bridge will not
  // relay this client), for the page to show.
  Response respond(const Request& request, bool keep_alive,
                   std::string_view bridge_notice = {}) const;

  // A small HTML error page with `status`, Cache-Control: no-store, and "Connection: close"
  // unless `keep_alive`.
  static Response error_page(boost::beast::http::status status, unsigned version, bool keep_alive,
                             std::string_view detail);

 private:
  Response respond_config_json(const Request& request, bool keep_alive,
                               std::string_view bridge_notice) const;
  struct FileInfo {
    std::filesystem::path path;
    struct stat st;
  };
  // Which of a file's answers: the only one (no .gz beside it), or one of its two codings.
  enum class Variant { kOnly, kIdentity, kGzip };

  Response respond_file(const Request& request, bool keep_alive, const std::string& path) const;
  Response send_file(const Request& request, bool keep_alive, const std::string& path,
                     const FileInfo& body, Variant variant) const;
  static std::optional<FileInfo> gzip_sibling(const std::filesystem::path& file,
                                              const struct stat& st,
                                              const std::filesystem::path& root_real);

  std::string root_;
  std::function<std::string()> config_json_;
  std::string csp_;
};

// The dashboard's Content-Security-Policy: its own scripts, styles and images only (and workers
// from its own blob: URLs, as MQTT.js's timer worker is made), never framed
// (frame-ancestors 'none'), and network connections only to its own origin ('self', which covers
// its /mqtt WebSocket) plus `broker_sources` (the broker's WebSocket when the page connects to
// it directly, e.g. "ws://*:9001"; empty with the bridge).
std::string dashboard_csp(std::string_view broker_sources);

}  // namespace deskd::http
