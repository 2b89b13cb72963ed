#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace deskd::http::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A blocking TCP client on 127.0.0.1 that sends raw bytes and parses HTTP/1.1 replies with
// Content-Length bodies. Every wait is bounded, so a broken server fails a test, not hangs it.
class HttpTestClient {
 public:
  // Connects to 127.0.0.1:`port` from `source` (another loopback address plays another host).
  explicit HttpTestClient(unsigned short port, const char* source = nullptr);
  ~HttpTestClient();
  HttpTestClient(const HttpTestClient&) = delete;
  HttpTestClient& operator=(const HttpTestClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(const std::string& bytes);
  // Reads one reply; `head` (a HEAD request, or any reply without a body such as 304) reads
  // no body. nullopt if the connection closed or nothing complete arrived within `timeout`.
  std::optional<HttpReply> read_reply(bool head = false,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True if the server closes the connection (EOF or reset) within `timeout` and sends nothing
  // else first.
  bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void close();

 private:
  // Appends received bytes to buffer_; false on EOF, error or timeout.
  bool receive_more(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

// Sends `request` on a fresh connection and reads one reply.
std::optional<HttpReply> exchange(unsigned short port, const std::string& request,
                                  bool head = false);

// "GET <target> HTTP/1.1" with Host and the given extra header lines (each ending in \r\n).
std::string get_request(const std::string& target, const std::string& extra_headers = "",
                        const std::string& method = "GET");

// ---- implementation (header-only: the test folder builds only *_test.cpp files) ----
inline HttpTestClient::HttpTestClient(unsigned short port, const char* source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  if (source != nullptr) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) close();
    if (fd_ < 0) return;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) close();
}

inline HttpTestClient::~HttpTestClient() { close(); }

inline void HttpTestClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

inline bool HttpTestClient::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (fd_ >= 0 && sent < bytes.size()) {
    const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return fd_ >= 0;
}

inline bool HttpTestClient::receive_more(std::chrono::steady_clock::time_point deadline) {
  if (fd_ < 0) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd pfd{fd_, POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
  char chunk[16384];
  const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

inline std::optional<HttpReply> HttpTestClient::read_reply(bool head,
                                                           std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!receive_more(deadline)) return std::nullopt;
  }
  HttpReply reply;
  const std::string head_text = buffer_.substr(0, header_end);
  std::size_t line_end = head_text.find("\r\n");
  const std::string status_line = head_text.substr(0, line_end);
  if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) return std::nullopt;
  reply.status = std::atoi(status_line.c_str() + 9);
  while (line_end != std::string::npos) {
    const auto start = line_end + 2;
    line_end = head_text.find("\r\n", start);
    const std::string line = head_text.substr(
        start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    reply.headers[name] = value;
  }
  buffer_.erase(0, header_end + 4);
  const bool bodiless = head || reply.status == 304 || reply.status == 204;
  const std::size_t length =
      bodiless ? 0 : static_cast<std::size_t>(std::atoll(reply.header("content-length").c_str()));
  while (buffer_.size() < length) {
    if (!receive_more(deadline)) return std::nullopt;
  }
  reply.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return reply;
}

inline bool HttpTestClient::closed_by_server(std::chrono::milliseconds timeout) {
  if (fd_ < 0 || !buffer_.empty()) return false;
  pollfd pfd{fd_, POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char byte;
  const auto n = ::recv(fd_, &byte, 1, 0);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

inline std::optional<HttpReply> exchange(unsigned short port, const std::string& request,
                                         bool head) {
  HttpTestClient client(port);
  if (!client.send(request)) return std::nullopt;
  return client.read_reply(head);
}

inline std::string get_request(const std::string& target, const std::string& extra_headers,
                               const std::string& method) {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n";
}

}  // namespace deskd::http::testing
