#include "support/deskd_process.h"

#include <signal.h>

#include <fstream>
#include <sstream>

namespace deskd::testing {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

DeskdProcess::DeskdProcess(DeskdOptions o)
    : options_(std::move(o)), dir_(make_temp_dir("deskd-it")) {
  if (options_.state_dir.empty()) options_.state_dir = dir_ + "/state";
  config_path_ = dir_ + "/deskd.toml";
  std::ofstream c(config_path_);
  c << "[desk]\nid = \"" << options_.desk_id << "\"\n"
    << "[gpio]\nbackend = \"sim\"\n"
    << "[sensor]\n"
    << options_.sensor_toml << "[schedule]\n"
    << options_.schedule_toml << "\n"
    << "[mqtt]\nuri = \""
    << (options_.mqtt_uri.empty()
            ? "tcp://127.0.0.1:" + std::to_string(options_.mqtt_port ? options_.mqtt_port : 1)
            : options_.mqtt_uri)
    << "\"\n"
    << options_.mqtt_toml << "\n";
  if (options_.http_port) {
    c << "[web]\nlisten = \"127.0.0.1:" << options_.http_port << "\"\nroot = \"" << DESKD_SOURCE_DIR
      << "/web/dist\"\n";
  } else {
    c << "[web]\nenabled = false\n";
  }
  c << "[state]\ndir = \"" << options_.state_dir << "\"\n" << options_.extra_toml;
}

DeskdProcess::~DeskdProcess() {
  if (process_) process_->stop(std::chrono::milliseconds(5000));
}

bool DeskdProcess::start(std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{DESKD_BINARY, "--config", config_path_, "--log-level", "debug"};
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  process_ = std::make_unique<Process>(argv, dir_ + "/deskd.log", options_.env);
  return process_->wait_for_log(" ready: ", timeout);
}

int DeskdProcess::terminate(std::chrono::milliseconds timeout) {
  if (!process_) return -1;
  process_->signal(SIGTERM);
  int st = process_->wait(timeout);
  return Process::exit_code(st);
}

void DeskdProcess::kill9() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait(std::chrono::milliseconds(3000));
}

}  // namespace deskd::testing
