#include "config/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace deskd::config {
namespace {

std::string os_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// Closes the descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the result (close can report a deferred write error).
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

std::optional<std::string> write_temp(const std::string& temp, std::string_view content) {
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) return os_error("cannot create", temp);
  if (::fchmod(fd.get(), 0644) != 0) return os_error("cannot chmod", temp);
  if (!write_all(fd.get(), content)) return os_error("cannot write", temp);
  if (::fsync(fd.get()) != 0) return os_error("cannot fsync", temp);
  if (!fd.close()) return os_error("cannot close", temp);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path,
                                                 std::string_view content) {
  static std::atomic<unsigned> counter{0};
  const std::string temp =
      path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
  if (auto e = write_temp(temp, content)) {
    ::unlink(temp.c_str());
    return e;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    std::string e = os_error("cannot rename " + temp + " to", path);
    ::unlink(temp.c_str());
    return e;
  }
  const std::string dir = directory_of(path);
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0) return os_error("cannot open directory", dir);
  if (::fsync(dir_fd.get()) != 0) return os_error("cannot fsync directory", dir);
  return std::nullopt;
}

std::optional<std::string> read_file(const std::string& path, std::string& out) {
  out.clear();
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return os_error("cannot read", path);
  std::array<char, 8192> buf{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("cannot read", path);
    }
    if (n == 0) break;
    out.append(buf.data(), static_cast<std::size_t>(n));
  }
  return std::nullopt;
}

std::optional<std::string> set_aside_corrupt(const std::string& path) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> stamp{};
  std::strftime(stamp.data(), stamp.size(), "%Y%m%dT%H%M%S", &utc);
  const std::string base = path + ".corrupt-" + stamp.data();
  std::string target = base;
  struct stat st {};
  for (int n = 1; ::lstat(target.c_str(), &st) == 0; ++n) {
    target = base + "-" + std::to_string(n);
  }
  if (::rename(path.c_str(), target.c_str()) != 0) return std::nullopt;
  return target;
}

}  // namespace deskd::config
