// An LD_PRELOAD shim that fails file-system calls on request, for the disk-fault tests.
//
// Environment:
//   DESKD_FAULT_DIR      only paths under this directory (and descriptors opened there) are
//                        affected; unset: the shim does nothing.
//   DESKD_FAULT_CONTROL  a file re-read at every affected call. Each whitespace-separated rule
//                        "op=ERRNO" or "op=ERRNO:basename" makes `op` fail with that errno (for
//                        every file, or only for files with that base name; "name*" for a
//                        prefix). op is one of
//                        open (opening for writing or creating), read, write, fsync, rename.
//                        ERRNO is ENOSPC, EIO, EROFS or EACCES. An empty file: no faults.
//   DESKD_FAULT_STATS    if set, rewritten after each affected write/fsync with the counts
//                        "fsyncs N\nwrite_bytes M\n" since the process started.
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr int kMaxFd = 4096;
std::atomic<bool> tracked[kMaxFd];
char tracked_name[kMaxFd][64];
std::atomic<long> fsyncs{0};
std::atomic<long> write_bytes{0};

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : nullptr;
}

bool under_dir(const char* path) {
  const char* dir = env("DESKD_FAULT_DIR");
  if (!dir || !path) return false;
  const std::size_t n = std::strlen(dir);
  return std::strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

const char* base_name(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

int errno_of(const char* name, std::size_t len) {
  struct Name {
    const char* text;
    int value;
  };
  static const Name names[] = {
      {"ENOSPC", ENOSPC}, {"EIO", EIO}, {"EROFS", EROFS}, {"EACCES", EACCES}};
  for (const auto& n : names) {
    if (std::strlen(n.text) == len && std::strncmp(n.text, name, len) == 0) return n.value;
  }
  return 0;
}

// "name" matches exactly, "prefix*" any name that starts with prefix.
bool name_matches(const char* pattern, const char* file) {
  if (!file) return false;
  const std::size_t n = std::strlen(pattern);
  if (n > 0 && pattern[n - 1] == '*') return std::strncmp(pattern, file, n - 1) == 0;
  return std::strcmp(pattern, file) == 0;
}

// The errno `op` must fail with for a file named `file` (0: no fault). Reads the control file
// with raw system calls so that the shim never intercepts itself.
int fault_for(const char* op, const char* file) {
  const char* control = env("DESKD_FAULT_CONTROL");
  if (!control) return 0;
  const int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, control, O_RDONLY | O_CLOEXEC));
  if (fd < 0) return 0;
  char buf[1024];
  const long n = syscall(SYS_read, fd, buf, sizeof buf - 1);
  syscall(SYS_close, fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  const std::size_t op_len = std::strlen(op);
  for (char* rule = std::strtok(buf, " \t\r\n"); rule; rule = std::strtok(nullptr, " \t\r\n")) {
    if (std::strncmp(rule, op, op_len) != 0 || rule[op_len] != '=') continue;
    const char* value = rule + op_len + 1;
    const char* colon = std::strchr(value, ':');
    const std::size_t len = colon ? static_cast<std::size_t>(colon - value) : std::strlen(value);
    if (colon && !name_matches(colon + 1, file)) continue;
    if (int e = errno_of(value, len)) return e;
  }
  return 0;
}

void write_stats() {
  const char* path = env("DESKD_FAULT_STATS");
  if (!path) return;
  char text[96];
  const int len = std::snprintf(text, sizeof text, "fsyncs %ld\nwrite_bytes %ld\n", fsyncs.load(),
                                write_bytes.load());
  const int fd = static_cast<int>(
      syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd < 0) return;
  syscall(SYS_write, fd, text, len);
  syscall(SYS_close, fd);
}

template <typename Fn>
Fn real(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

bool is_tracked(int fd) { return fd >= 0 && fd < kMaxFd && tracked[fd].load(); }

void track(int fd, const char* path) {
  if (fd < 0 || fd >= kMaxFd) return;
  std::snprintf(tracked_name[fd], sizeof tracked_name[fd], "%s", base_name(path));
  tracked[fd] = true;
}

int do_open(int dirfd, const char* path, int flags, mode_t mode) {
  const bool ours = under_dir(path);
  const bool writing = (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
  if (ours && writing) {
    if (int e = fault_for("open", base_name(path))) {
      errno = e;
      return -1;
    }
  }
  static auto real_openat = real<int (*)(int, const char*, int, ...)>("openat");
  const int fd = real_openat(dirfd, path, flags, mode);
  if (ours) track(fd, path);
  return fd;
}

mode_t mode_arg(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) ? static_cast<mode_t>(va_arg(ap, int)) : 0;
}

}  // namespace

extern "C" {

int open(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return do_open(AT_FDCWD, path, flags, mode);
}

int open64(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return do_open(AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return do_open(dirfd, path, flags, mode);
}

int close(int fd) {
  if (fd >= 0 && fd < kMaxFd) tracked[fd] = false;
  static auto real_close = real<int (*)(int)>("close");
  return real_close(fd);
}

ssize_t read(int fd, void* buf, size_t count) {
  if (is_tracked(fd)) {
    if (int e = fault_for("read", tracked_name[fd])) {
      errno = e;
      return -1;
    }
  }
  static auto real_read = real<ssize_t (*)(int, void*, size_t)>("read");
  return real_read(fd, buf, count);
}

ssize_t write(int fd, const void* buf, size_t count) {
  if (is_tracked(fd)) {
    if (int e = fault_for("write", tracked_name[fd])) {
      errno = e;
      return -1;
    }
  }
  static auto real_write = real<ssize_t (*)(int, const void*, size_t)>("write");
  const ssize_t n = real_write(fd, buf, count);
  if (is_tracked(fd) && n > 0) {
    write_bytes += n;
    write_stats();
  }
  return n;
}

int fsync(int fd) {
  if (is_tracked(fd)) {
    if (int e = fault_for("fsync", tracked_name[fd])) {
      errno = e;
      return -1;
    }
  }
  static auto real_fsync = real<int (*)(int)>("fsync");
  const int r = real_fsync(fd);
  if (is_tracked(fd)) {
    ++fsyncs;
    write_stats();
  }
  return r;
}

int fdatasync(int fd) { return fsync(fd); }

int rename(const char* from, const char* to) {
  if (under_dir(to)) {
    if (int e = fault_for("rename", base_name(to))) {
      errno = e;
      return -1;
    }
  }
  static auto real_rename = real<int (*)(const char*, const char*)>("rename");
  return real_rename(from, to);
}

}  // extern "C"
