#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/process.h"

namespace deskd::testing {

// Writes a deskd config for the simulated desk and runs the real deskd binary.
struct DeskdOptions {
  std::string desk_id = "itest";
  int mqtt_port = 0;       // 0: an unreachable port (offline first)
  std::string mqtt_uri;    // set: used instead of tcp://127.0.0.1:<mqtt_port> (e.g. ssl://)
  int http_port = 0;       // 0: web disabled
  std::string state_dir;   // empty: a fresh temp dir
  std::string extra_toml;  // appended verbatim (extra tables)
  std::string sensor_toml = "kind = \"encoder\"\n";  // the [sensor] table's body
  std::string schedule_toml = "enabled = false\n";   // the [schedule] table's body
  std::string mqtt_toml;                             // extra [mqtt] keys
  std::vector<std::string> extra_args;               // e.g. {"--time-scale", "60"}
  std::map<std::string, std::string> env;            // extra environment (TZ, NOTIFY_SOCKET, ...)
};

class DeskdProcess {
 public:
  explicit DeskdProcess(DeskdOptions o);
  ~DeskdProcess();
  // Starts deskd and waits for its "ready" log line; false if it did not get there.
  bool start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // SIGTERM and wait; returns the exit code (128+signal if killed, -1 if it hung).
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void kill9();
  Process& process() { return *process_; }
  std::string log() const { return process_ ? process_->log() : std::string(); }
  const std::string& config_path() const { return config_path_; }
  const std::string& state_dir() const { return options_.state_dir; }
  std::string topic(const std::string& suffix) const {
    return "deskd/" + options_.desk_id + "/" + suffix;
  }

 private:
  DeskdOptions options_;
  std::string dir_;
  std::string config_path_;
  std::unique_ptr<Process> process_;
};

std::string read_text_file(const std::string& path);

}  // namespace deskd::testing
