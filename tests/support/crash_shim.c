// LD_PRELOAD shim for power-cut tests: SIGKILLs the process at a chosen file-system call on a
// file in one directory, so a test can stop deskd exactly inside the write / fsync / rename of a
// state file instead of hoping a random kill lands there.
//
// Environment (all optional; without DESKD_CRASH_DIR the shim only passes calls through):
//   DESKD_CRASH_DIR    the directory whose files count (the state directory)
//   DESKD_CRASH_OP     write | fsync | rename | dirfsync (fsync of the directory itself)
//   DESKD_CRASH_AT     kill at the N-th such call (1-based) on a file in DESKD_CRASH_DIR
//   DESKD_CRASH_WHEN   before (the call does not happen), after (it returned), or torn
//                      (write only: half the buffer is written, then the kill)
//   DESKD_CRASH_PAUSE_US  sleep this long before every counted call, to widen the windows for
//                      kills sent from outside at random moments
// Before killing, one line "crash-shim: SIGKILL ..." goes to stderr (deskd's log in tests).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum { kMaxFd = 4096 };
enum FdKind { kNotOurs = 0, kFile = 1, kDir = 2 };

static char dir_[PATH_MAX];
static size_t dir_len_;
static char op_[16];
static long crash_at_;
static char when_[16];
static long pause_us_;
static atomic_long count_;
static unsigned char fd_kind_[kMaxFd];
static char fd_name_[kMaxFd][48];  // the file's base name, for the log line

__attribute__((constructor)) static void shim_init(void) {
  const char* d = getenv("DESKD_CRASH_DIR");
  if (d == NULL || d[0] == '\0') return;
  snprintf(dir_, sizeof dir_, "%s", d);
  dir_len_ = strlen(dir_);
  while (dir_len_ > 1 && dir_[dir_len_ - 1] == '/') dir_[--dir_len_] = '\0';
  const char* o = getenv("DESKD_CRASH_OP");
  snprintf(op_, sizeof op_, "%s", o ? o : "");
  const char* at = getenv("DESKD_CRASH_AT");
  crash_at_ = at ? strtol(at, NULL, 10) : 0;
  const char* w = getenv("DESKD_CRASH_WHEN");
  snprintf(when_, sizeof when_, "%s", w ? w : "before");
  const char* p = getenv("DESKD_CRASH_PAUSE_US");
  pause_us_ = p ? strtol(p, NULL, 10) : 0;
}

static enum FdKind classify(const char* path) {
  if (dir_len_ == 0 || path == NULL) return kNotOurs;
  if (strncmp(path, dir_, dir_len_) != 0) return kNotOurs;
  if (path[dir_len_] == '\0' || (path[dir_len_] == '/' && path[dir_len_ + 1] == '\0')) return kDir;
  return path[dir_len_] == '/' ? kFile : kNotOurs;
}

static void remember(int fd, const char* path) {
  if (fd < 0 || fd >= kMaxFd) return;
  fd_kind_[fd] = (unsigned char)classify(path);
  if (fd_kind_[fd] == kNotOurs) return;
  const char* slash = strrchr(path, '/');
  snprintf(fd_name_[fd], sizeof fd_name_[fd], "%s", slash ? slash + 1 : path);
}

static enum FdKind kind_of(int fd) {
  return fd >= 0 && fd < kMaxFd ? (enum FdKind)fd_kind_[fd] : kNotOurs;
}

static void die(const char* op, const char* when, const char* what) {
  char line[PATH_MAX + 128];
  int n = snprintf(line, sizeof line, "crash-shim: SIGKILL %s %s #%ld (%s)\n", when, op, crash_at_,
                   what ? what : "");
  if (n > 0) {
    ssize_t ignored = write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    (void)ignored;
  }
  kill(getpid(), SIGKILL);
  for (;;) pause();
}

// Counts a call of `op` on one of our files; true when this is the call to crash at.
static int hit(const char* op) {
  if (pause_us_ > 0) usleep((useconds_t)pause_us_);
  if (crash_at_ <= 0 || strcmp(op, op_) != 0) return 0;
  return atomic_fetch_add(&count_, 1) + 1 == crash_at_;
}

// The next definition of `name` (libc's). POSIX's way to store dlsym's object pointer in a
// function pointer without the conversion ISO C forbids.
#define REAL(ret, name, ...)              \
  static ret (*real)(__VA_ARGS__) = NULL; \
  if (real == NULL) *(void**)(&real) = dlsym(RTLD_NEXT, name)

static mode_t mode_arg(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define WRAP_OPEN(name)                        \
  int name(const char* path, int flags, ...) { \
    va_list ap;                                \
    va_start(ap, flags);                       \
    mode_t mode = mode_arg(flags, ap);         \
    va_end(ap);                                \
    REAL(int, #name, const char*, int, ...);   \
    int fd = real(path, flags, mode);          \
    remember(fd, path);                        \
    return fd;                                 \
  }

#define WRAP_OPENAT(name)                                 \
  int name(int dirfd, const char* path, int flags, ...) { \
    va_list ap;                                           \
    va_start(ap, flags);                                  \
    mode_t mode = mode_arg(flags, ap);                    \
    va_end(ap);                                           \
    REAL(int, #name, int, const char*, int, ...);         \
    int fd = real(dirfd, path, flags, mode);              \
    if (path[0] == '/') remember(fd, path);               \
    return fd;                                            \
  }

WRAP_OPEN(open)
WRAP_OPEN(open64)
WRAP_OPENAT(openat)
WRAP_OPENAT(openat64)

int close(int fd) {
  REAL(int, "close", int);
  if (fd >= 0 && fd < kMaxFd) fd_kind_[fd] = kNotOurs;
  return real(fd);
}

ssize_t write(int fd, const void* buf, size_t count) {
  REAL(ssize_t, "write", int, const void*, size_t);
  if (kind_of(fd) != kFile || !hit("write")) return real(fd, buf, count);
  if (strcmp(when_, "before") == 0) die("write", "before", fd_name_[fd]);
  if (strcmp(when_, "torn") == 0) {
    real(fd, buf, count / 2);
    die("write", "torn", fd_name_[fd]);
  }
  ssize_t n = real(fd, buf, count);
  die("write", "after", fd_name_[fd]);
  return n;
}

int fsync(int fd) {
  REAL(int, "fsync", int);
  const enum FdKind k = kind_of(fd);
  const char* op = k == kDir ? "dirfsync" : "fsync";
  if (k == kNotOurs || !hit(op)) return real(fd);
  if (strcmp(when_, "after") != 0) die(op, "before", fd_name_[fd]);
  int r = real(fd);
  die(op, "after", fd_name_[fd]);
  return r;
}

int rename(const char* from, const char* to) {
  REAL(int, "rename", const char*, const char*);
  if (classify(to) != kFile || !hit("rename")) return real(from, to);
  if (strcmp(when_, "after") != 0) die("rename", "before", to);
  int r = real(from, to);
  die("rename", "after", to);
  return r;
}
