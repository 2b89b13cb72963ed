#include "support/broker.h"

#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace deskd::testing {

Broker::Broker(Options options)
    : options_(std::move(options)), dir_(make_temp_dir("deskd-broker")), port_(free_port()) {
  if (options_.websockets) ws_port_ = free_port();
  std::ofstream conf(dir_ + "/mosquitto.conf");
  conf << "per_listener_settings false\npersistence false\nlog_dest stderr\n"
       << (options_.tcp_nodelay ? "set_tcp_nodelay true\n" : "") << "listener " << port_
       << " 127.0.0.1\n";
  if (ws_port_)
    conf << "listener " << ws_port_ << " 127.0.0.1\nprotocol websockets\nsocket_domain ipv4\n";
  if (options_.username.empty()) {
    conf << "allow_anonymous true\n";
  } else {
    conf << "allow_anonymous false\npassword_file " << dir_ << "/passwd\n";
    std::string out;
    std::ofstream(dir_ + "/passwd").close();
    if (run_command(
            {"mosquitto_passwd", "-b", dir_ + "/passwd", options_.username, options_.password},
            out) != 0) {
      throw std::runtime_error("mosquitto_passwd failed: " + out);
    }
    // Started as root, mosquitto drops to its own user before reading the password file.
    chmod(dir_.c_str(), 0755);
    chmod((dir_ + "/passwd").c_str(), 0644);
  }
  conf << options_.extra_config;
  conf.close();
  start();
}

Broker::~Broker() { stop(); }

void Broker::start() {
  if (process_) return;
  // A restart must not see the previous run's "running" line before the child truncates it.
  std::remove((dir_ + "/broker.log").c_str());
  process_ = std::make_unique<Process>(
      std::vector<std::string>{"mosquitto", "-c", dir_ + "/mosquitto.conf"}, dir_ + "/broker.log");
  // Ready when the port accepts connections.
  for (int i = 0; i < 200; ++i) {
    std::string out;
    if (process_->log().find("running") != std::string::npos) return;
    if (!process_->running()) throw std::runtime_error("mosquitto exited: " + process_->log());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void Broker::stop() {
  if (!process_) return;
  process_->stop(std::chrono::milliseconds(3000));
  process_.reset();
}

void Broker::kill9() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait(std::chrono::milliseconds(3000));
  process_.reset();
}

}  // namespace deskd::testing
