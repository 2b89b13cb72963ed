#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace deskd::testing {

// A child process started by a test and always stopped by its pid (SIGTERM, then SIGKILL) when
// the object goes away. Its stdout+stderr go to `log_path`. `env` adds variables to the child's
// environment; an empty value removes one.
class Process {
 public:
  Process(std::vector<std::string> argv, std::string log_path,
          std::map<std::string, std::string> env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Sends `sig`; returns false if the process is already gone.
  bool signal(int sig);
  // Waits for exit up to `timeout`; returns the exit status as from waitpid, or -1 on timeout.
  int wait(std::chrono::milliseconds timeout);
  // Convenience: the exit code if it exited normally, 128+signal if killed, -1 if still running.
  static int exit_code(int status);
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the waitpid status.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  std::string log() const;
  // Waits until the log after byte `from` contains `needle`; false on timeout or early exit.
  // `from` = log().size() taken before a stimulus waits for a line that stimulus causes;
  // `from` = the position of an earlier line + 1 waits for its next occurrence.
  bool wait_for_log(const std::string& needle, std::chrono::milliseconds timeout,
                    std::size_t from = 0);

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::string log_path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (never 1883 or 9001).
int free_port();

// A fresh empty directory under the test output area.
std::string make_temp_dir(const std::string& prefix);

// Runs a command to completion; returns its exit code and fills `output` (stdout+stderr).
int run_command(const std::vector<std::string>& argv, std::string& output,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace deskd::testing
