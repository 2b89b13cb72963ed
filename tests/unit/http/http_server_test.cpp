#include "http/http_server.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_test_client.h"
#include "support/process.h"

namespace deskd::http {
namespace {

namespace fs = std::filesystem;
using testing::exchange;
using testing::get_request;
using testing::HttpReply;
using testing::HttpTestClient;

constexpr const char* kSecret = "TOP-SECRET-OUTSIDE-ROOT";

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// A server on 127.0.0.1:0 over a scratch web root, its io_context run by a background thread.
class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = deskd::testing::make_temp_dir("deskd-http");
    root_ = scratch_ + "/www";
    write_file(root_ + "/index.html", "<!doctype html><title>deskd</title>");
    write_file(root_ + "/assets/index-4f3a9c.js", "console.log('deskd');");
    write_file(root_ + "/assets/index-4f3a9c.js.map", "{\"version\":3}");
    write_file(root_ + "/assets/index-77aa01.css", "body{margin:0}");
    write_file(root_ + "/assets/worker-1b2c.mjs", "export {};");
    write_file(root_ + "/assets/inter-latin.woff2", std::string("wOF2\0\0", 6));
    write_file(root_ + "/favicon.ico", std::string("\0\0\1\0", 4));
    write_file(root_ + "/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    write_file(root_ + "/icon-192.png", "\x89PNG\r\n");
    write_file(root_ + "/manifest.webmanifest", "{\"name\":\"deskd\"}");
    write_file(root_ + "/robots.txt", "User-agent: *\n");
    write_file(root_ + "/data.json", "[]");
    write_file(root_ + "/.env", "hidden");
    write_file(scratch_ + "/secret.txt", kSecret);
    fs::create_symlink(scratch_ + "/secret.txt", root_ + "/link-out.txt");
    fs::create_symlink(scratch_, root_ + "/dir-out");
  }

  void TearDown() override {
    stop_server();
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);
  }

  HttpServerOptions options() const {
    HttpServerOptions o;
    o.listen = "127.0.0.1:0";
    o.root = root_;
    return o;
  }

  void start_server(HttpServerOptions o) {
    server_ = std::make_unique<HttpServer>(io_, std::move(o), [this] { return config_json(); });
    const auto error = server_->start();
    ASSERT_FALSE(error) << *error;
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { io_.run(); });
  }
  void start_server() { start_server(options()); }

  // Runs stop() on the server's thread, as the daemon would.
  void stop_server() {
    if (!thread_.joinable()) return;
    std::promise<void> stopped;
    boost::asio::post(io_, [&] {
      server_->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    work_.reset();
    thread_.join();
  }

  std::string config_json() {
    if (config_throws_) throw std::runtime_error("no config");
    return R"({"broker_ws_url":"ws://127.0.0.1:9999","base_topic":"deskd","desk_id":"t"})";
  }

  std::optional<HttpReply> get(const std::string& target, const std::string& extra = "") {
    return exchange(port(), get_request(target, extra));
  }
  std::optional<HttpReply> head(const std::string& target) {
    return exchange(port(), get_request(target, "", "HEAD"), /*head=*/true);
  }
  unsigned short port() const { return server_->port(); }

  std::string scratch_;
  std::string root_;
  bool config_throws_ = false;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

TEST_F(HttpServerTest, RootServesIndexHtmlWithoutCaching) {
  start_server();
  const auto reply = get("/");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "<!doctype html><title>deskd</title>");
  EXPECT_EQ(reply->header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(reply->header("cache-control"), "no-cache");
  EXPECT_EQ(reply->header("x-content-type-options"), "nosniff");
}

// A valid gzip member holding `data` in one stored (uncompressed) deflate block.
std::string gzip_stored(const std::string& data) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1U) ^ (0xEDB88320U & (0U - (crc & 1U)));
  }
  crc = ~crc;
  const auto le32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v & 0xFFU), static_cast<char>((v >> 8U) & 0xFFU),
                       static_cast<char>((v >> 16U) & 0xFFU), static_cast<char>(v >> 24U)};
  };
  const auto len = static_cast<std::uint16_t>(data.size());
  const auto nlen = static_cast<std::uint16_t>(~len);
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  out += '\x01';  // the final block, stored
  out += {static_cast<char>(len & 0xFFU), static_cast<char>(len >> 8U),
          static_cast<char>(nlen & 0xFFU), static_cast<char>(nlen >> 8U)};
  return out + data + le32(crc) + le32(static_cast<std::uint32_t>(data.size()));
}

// The dashboard's build writes "<file>.gz" beside each text file, with the file's time.
void write_gzip_copy(const std::string& file, const std::string& content) {
  write_file(file + ".gz", gzip_stored(content));
  fs::last_write_time(file + ".gz", fs::last_write_time(file));
}

constexpr const char* kJs = "console.log('deskd');";

// deskd sends the copy to a client that takes gzip, and the file itself to one that does not.
TEST_F(HttpServerTest, APrecompressedCopyIsSentToClientsThatTakeGzip) {
  const std::string js = root_ + "/assets/index-4f3a9c.js";
  write_gzip_copy(js, kJs);
  start_server();
  const auto gz = get("/assets/index-4f3a9c.js", "Accept-Encoding: gzip, deflate, br\r\n");
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->status, 200);
  EXPECT_EQ(gz->body, gzip_stored(kJs));
  EXPECT_EQ(gz->header("content-encoding"), "gzip");
  EXPECT_EQ(gz->header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(gz->header("vary"), "Accept-Encoding");
  EXPECT_EQ(gz->header("cache-control"), "public, max-age=31536000, immutable");
  // The list may come on several lines.
  const auto split =
      get("/assets/index-4f3a9c.js", "Accept-Encoding: br\r\nAccept-Encoding: gzip\r\n");
  ASSERT_TRUE(split);
  EXPECT_EQ(split->header("content-encoding"), "gzip");

  for (const std::string extra : {"", "Accept-Encoding: br, gzip;q=0\r\n"}) {
    const auto plain = get("/assets/index-4f3a9c.js", extra);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->body, kJs) << extra;
    EXPECT_EQ(plain->header("content-encoding"), "") << extra;
    EXPECT_EQ(plain->header("vary"), "Accept-Encoding") << extra;
    EXPECT_NE(plain->header("etag"), gz->header("etag")) << extra;
  }
  // Without a copy beside it, a file is the same for everyone and says nothing of codings.
  const auto css = get("/assets/index-77aa01.css", "Accept-Encoding: gzip\r\n");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->body, "body{margin:0}");
  EXPECT_EQ(css->header("content-encoding"), "");
  EXPECT_EQ(css->header("vary"), "");
}

TEST_F(HttpServerTest, TheGzipAnswerHasItsOwnValidatorAndHeadLength) {
  write_gzip_copy(root_ + "/assets/index-4f3a9c.js", kJs);
  start_server();
  const std::string gzip = "Accept-Encoding: gzip\r\n";
  const auto first = get("/assets/index-4f3a9c.js", gzip);
  ASSERT_TRUE(first);
  const auto again =
      get("/assets/index-4f3a9c.js", gzip + "If-None-Match: " + first->header("etag") + "\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  // The gzip answer's tag does not validate the identity answer.
  const auto plain =
      get("/assets/index-4f3a9c.js", "If-None-Match: " + first->header("etag") + "\r\n");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->body, kJs);
  const auto h =
      exchange(port(), get_request("/assets/index-4f3a9c.js", gzip, "HEAD"), /*head=*/true);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->header("content-length"), std::to_string(gzip_stored(kJs).size()));
  EXPECT_EQ(h->header("content-encoding"), "gzip");
}

TEST_F(HttpServerTest, AStaleOrEscapingCopyIsNotSent) {
  const std::string js = root_ + "/assets/index-4f3a9c.js";
  const std::string css = root_ + "/assets/index-77aa01.css";
  // The file edited (or rolled back) after the build: its time is not the copy's.
  write_gzip_copy(js, kJs);
  fs::last_write_time(js, fs::last_write_time(js) + std::chrono::hours(1));
  // Same time, but the copy holds other content (its trailer names another size).
  write_gzip_copy(css, "body{margin:0;padding:0}");
  // A ".gz" that is a link out of the root is never read.
  fs::create_symlink(scratch_ + "/secret.txt", root_ + "/robots.txt.gz");
  fs::last_write_time(root_ + "/robots.txt", fs::last_write_time(scratch_ + "/secret.txt"));
  start_server();
  for (const auto& [target, body] : std::vector<std::pair<std::string, std::string>>{
           {"/assets/index-4f3a9c.js", kJs},
           {"/assets/index-77aa01.css", "body{margin:0}"},
           {"/robots.txt", "User-agent: *\n"}}) {
    const auto reply = get(target, "Accept-Encoding: gzip\r\n");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body, body) << target;
    EXPECT_EQ(reply->header("content-encoding"), "") << target;
  }
}

TEST_F(HttpServerTest, ContentTypesFollowTheExtension) {
  start_server();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/index.html", "text/html; charset=utf-8"},
      {"/assets/index-4f3a9c.js", "text/javascript; charset=utf-8"},
      {"/assets/worker-1b2c.mjs", "text/javascript; charset=utf-8"},
      {"/assets/index-77aa01.css", "text/css; charset=utf-8"},
      {"/assets/index-4f3a9c.js.map", "application/json"},
      {"/assets/inter-latin.woff2", "font/woff2"},
      {"/data.json", "application/json"},
      {"/icon.svg", "image/svg+xml"},
      {"/icon-192.png", "image/png"},
      {"/favicon.ico", "image/x-icon"},
      {"/manifest.webmanifest", "application/manifest+json"},
      {"/robots.txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [target, type] : cases) {
    const auto reply = get(target);
    ASSERT_TRUE(reply) << target;
    EXPECT_EQ(reply->status, 200) << target;
    EXPECT_EQ(reply->header("content-type"), type) << target;
  }
}

TEST_F(HttpServerTest, HashedAssetsAreImmutableAndOtherFilesShortLived) {
  start_server();
  const auto asset = get("/assets/index-4f3a9c.js");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->header("cache-control"), "public, max-age=31536000, immutable");
  const auto icon = get("/favicon.ico");
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->header("cache-control"), "public, max-age=300");
  const auto index = get("/index.html");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->header("cache-control"), "no-cache");
}

TEST_F(HttpServerTest, HeadGivesHeadersAndLengthWithoutBodyAndKeepsTheConnection) {
  start_server();
  HttpTestClient client(port());
  ASSERT_TRUE(client.send(get_request("/assets/index-4f3a9c.js", "", "HEAD")));
  const auto head = client.read_reply(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-length"), "21");
  EXPECT_EQ(head->header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_FALSE(head->header("etag").empty());
  // Had the server sent a body, it would be parsed as the next reply's status line.
  ASSERT_TRUE(client.send(get_request("/robots.txt")));
  const auto next = client.read_reply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "User-agent: *\n");
}

TEST_F(HttpServerTest, MissingFileIs404) {
  start_server();
  const auto reply = get("/assets/nope.js");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 404);
  EXPECT_EQ(reply->header("cache-control"), "no-store");
}

TEST_F(HttpServerTest, OtherMethodsAre405WithAllow) {
  start_server();
  for (const std::string method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW"}) {
    const auto reply = exchange(port(), get_request("/index.html", "", method));
    ASSERT_TRUE(reply) << method;
    EXPECT_EQ(reply->status, 405) << method;
    EXPECT_EQ(reply->header("allow"), "GET, HEAD") << method;
  }
}

TEST_F(HttpServerTest, PostWithBodyIs405AndTheConnectionCloses) {
  start_server();
  HttpTestClient client(port());
  ASSERT_TRUE(client.send(get_request("/", "Content-Length: 5\r\n", "POST") + "hello"));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 405);
  EXPECT_EQ(reply->header("connection"), "close");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, GetWithBodyIs400) {
  start_server();
  const auto reply = exchange(port(), get_request("/", "Content-Length: 3\r\n") + "abc");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
}

TEST_F(HttpServerTest, MalformedRequestLineIs400) {
  start_server();
  const auto reply = exchange(port(), "GET /index.html HTTP/9\r\n\r\n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
}

// Every attempt to leave the root, in any spelling, is refused before the file system sees it
// (400) or resolves to nothing served (404); none returns the file outside the root.
TEST_F(HttpServerTest, TraversalAttemptsAreRefusedInEveryEncoding) {
  start_server();
  const std::vector<std::string> targets = {
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/assets/../index.html",
      "/./index.html",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/.%2e/secret.txt",
      "/%2e./secret.txt",
      "/%2e%2e%2fsecret.txt",
      "/..%2fsecret.txt",
      "/..%2Fsecret.txt",
      "/assets%2f..%2f..%2fsecret.txt",
      "/..%5csecret.txt",
      "/..%5Csecret.txt",
      "/..\\secret.txt",
      "/assets\\..\\..\\secret.txt",
      "/%252e%252e/secret.txt",
      "/%252e%252e%252fsecret.txt",
      "/%25%32%65%25%32%65/secret.txt",
      "/%c0%ae%c0%ae/secret.txt",
      "/%c0%af../secret.txt",
      "/%e0%80%ae%e0%80%ae/secret.txt",
      "/..%00/secret.txt",
      "/index.html%00.js",
      "/%00",
      "/%2",
      "/%zz",
      "//etc/passwd",
      "/%2fetc/passwd",
      "/%2Fetc%2Fpasswd",
      "/etc/passwd",
      "/proc/self/environ",
      "/link-out.txt",
      "/dir-out/secret.txt",
      "/.env",
      "/..;/secret.txt",
      "/....//secret.txt",
      "secret.txt",
      "http://127.0.0.1/../secret.txt",
      "*",
  };
  for (const auto& target : targets) {
    const auto reply = exchange(port(), get_request(target));
    ASSERT_TRUE(reply) << target;
    EXPECT_TRUE(reply->status == 400 || reply->status == 404)
        << target << " gave " << reply->status;
    EXPECT_EQ(reply->body.find(kSecret), std::string::npos) << target;
  }
}

TEST_F(HttpServerTest, RawControlBytesInTheTargetAreRefused) {
  start_server();
  for (const std::string& target :
       {std::string("/index.html\0.js", 15), std::string("/a\tb"), std::string("/\x7f")}) {
    const auto reply = exchange(port(), "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(reply) << target;
    EXPECT_EQ(reply->status, 400);
  }
}

TEST_F(HttpServerTest, SymlinkInsideTheRootIsServed) {
  fs::create_symlink(root_ + "/robots.txt", root_ + "/robots-link.txt");
  start_server();
  const auto reply = get("/robots-link.txt");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "User-agent: *\n");
}

TEST_F(HttpServerTest, QueryStringIsIgnored) {
  start_server();
  const auto reply = get("/robots.txt?v=3#x");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
}

TEST_F(HttpServerTest, OversizedHeaderIs431) {
  auto o = options();
  o.max_header_bytes = 1024;
  start_server(o);
  const auto reply = get("/", "X-Pad: " + std::string(4000, 'a') + "\r\n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 431);
  const auto fits = get("/", "X-Pad: " + std::string(700, 'a') + "\r\n");
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitAreClosedUntilOneIsFree) {
  auto o = options();
  o.budget.max_pages = 2;
  start_server(o);
  auto first = std::make_unique<HttpTestClient>(port());
  HttpTestClient second(port());
  // A reply on each proves both are accepted and held open (keep-alive).
  for (HttpTestClient* c : {first.get(), &second}) {
    ASSERT_TRUE(c->send(get_request("/robots.txt")));
    const auto reply = c->read_reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
  }
  HttpTestClient third(port());
  ASSERT_TRUE(third.connected());
  EXPECT_TRUE(third.closed_by_server());

  first.reset();  // frees a slot once the server sees the close
  std::optional<HttpReply> later;
  for (int attempt = 0; attempt < 50 && !later; ++attempt) {
    later = get("/robots.txt");
    if (!later) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAfterTheTimeout) {
  auto o = options();
  o.header_timeout = std::chrono::seconds(1);
  start_server(o);
  HttpTestClient client(port());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_by_server(std::chrono::seconds(5)));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(4));
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start_server();
  HttpTestClient client(port());
  for (const std::string target : {"/robots.txt", "/data.json", "/config.json"}) {
    ASSERT_TRUE(client.send(get_request(target)));
    const auto reply = client.read_reply();
    ASSERT_TRUE(reply) << target;
    EXPECT_EQ(reply->status, 200) << target;
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start_server();
  HttpTestClient client(port());
  ASSERT_TRUE(client.send(get_request("/robots.txt") + get_request("/data.json")));
  const auto a = client.read_reply();
  const auto b = client.read_reply();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "User-agent: *\n");
  EXPECT_EQ(b->body, "[]");
}

TEST_F(HttpServerTest, Http10WithoutKeepAliveCloses) {
  start_server();
  HttpTestClient client(port());
  ASSERT_TRUE(client.send("GET /robots.txt HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, ConfigJsonComesFromTheCallbackUncached) {
  start_server();
  const auto reply = get("/config.json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->header("content-type"), "application/json");
  EXPECT_EQ(reply->header("cache-control"), "no-cache");
  EXPECT_EQ(reply->body, config_json());
  const auto head_reply = head("/config.json");
  ASSERT_TRUE(head_reply);
  EXPECT_EQ(head_reply->header("content-length"), std::to_string(config_json().size()));
}

TEST_F(HttpServerTest, ConfigJsonCallbackFailureIs500AndTheServerLives) {
  config_throws_ = true;
  start_server();
  const auto reply = get("/config.json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 500);
  const auto after = get("/robots.txt");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(HttpServerTest, MatchingEtagGives304) {
  start_server();
  const auto first = get("/assets/index-77aa01.css");
  ASSERT_TRUE(first);
  const std::string etag = first->header("etag");
  ASSERT_FALSE(etag.empty());
  const auto again = get("/assets/index-77aa01.css", "If-None-Match: " + etag + "\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_EQ(again->body, "");
  EXPECT_EQ(again->header("etag"), etag);
  const auto weak = get("/assets/index-77aa01.css", "If-None-Match: \"x\", W/" + etag + "\r\n");
  ASSERT_TRUE(weak);
  EXPECT_EQ(weak->status, 304);
  const auto other = get("/assets/index-77aa01.css", "If-None-Match: \"other\"\r\n");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
}

TEST_F(HttpServerTest, UnchangedSinceLastModifiedGives304) {
  start_server();
  const auto first = get("/index.html");
  ASSERT_TRUE(first);
  const std::string last_modified = first->header("last-modified");
  ASSERT_FALSE(last_modified.empty());
  const auto again = get("/index.html", "If-Modified-Since: " + last_modified + "\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  const auto old = get("/index.html", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 200);
}

TEST_F(HttpServerTest, MissingRootServesA503PageButConfigJsonWorks) {
  auto o = options();
  o.root = scratch_ + "/not-built";
  start_server(o);
  for (const std::string target : {"/", "/index.html", "/assets/index-4f3a9c.js"}) {
    const auto reply = get(target);
    ASSERT_TRUE(reply) << target;
    EXPECT_EQ(reply->status, 503) << target;
    EXPECT_NE(reply->body.find("dashboard is not built"), std::string::npos) << target;
  }
  const auto config = get("/config.json");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->status, 200);
}

TEST_F(HttpServerTest, RootWithoutIndexHtmlServesThe503Page) {
  fs::remove(root_ + "/index.html");
  start_server();
  const auto reply = get("/");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 503);
}

TEST_F(HttpServerTest, StopClosesOpenConnections) {
  start_server();
  HttpTestClient client(port());
  ASSERT_TRUE(client.send(get_request("/robots.txt")));
  ASSERT_TRUE(client.read_reply());
  stop_server();
  EXPECT_TRUE(client.closed_by_server(std::chrono::seconds(2)));
  HttpTestClient refused(port());
  EXPECT_FALSE(refused.connected());
}

TEST(HttpServerStart, MalformedListenAddressIsAnError) {
  boost::asio::io_context io;
  HttpServer server(io, HttpServerOptions{.listen = "no-port-here", .root = "/nonexistent"},
                    [] { return std::string("{}"); });
  const auto error = server.start();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("cannot listen on no-port-here"), std::string::npos) << *error;
}

TEST(HttpServerStart, PortInUseIsAnError) {
  boost::asio::io_context io;
  HttpServer first(io, HttpServerOptions{.listen = "127.0.0.1:0", .root = "/nonexistent"},
                   [] { return std::string("{}"); });
  ASSERT_FALSE(first.start());
  const std::string taken = "127.0.0.1:" + std::to_string(first.port());
  HttpServer second(io, HttpServerOptions{.listen = taken, .root = "/nonexistent"},
                    [] { return std::string("{}"); });
  const auto error = second.start();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("cannot listen on " + taken), std::string::npos) << *error;
}

}  // namespace
}  // namespace deskd::http
