#pragma once

#include <unistd.h>

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hw/gpio_lines.h"

namespace deskd::hw::testing {

// What a FakeGpioLines did; shared so it can be inspected after the backend destroyed it.
struct LineRecord {
  std::array<bool, kLineRoleCount> level{};
  // After every write: were both direction lines active?
  std::vector<bool> both_active_after_write;
  std::vector<std::pair<LineRole, bool>> writes;
  bool destroyed = false;
};

// GpioLines in memory. Inputs get a pipe as their event descriptor: push_edge() queues an edge
// and makes the pipe readable, as the kernel does with a line's event fd. One flag per failure.
class FakeGpioLines : public GpioLines {
 public:
  FakeGpioLines(std::vector<LineRole> roles, std::shared_ptr<LineRecord> record)
      : record_(std::move(record)) {
    for (LineRole r : roles) {
      auto& line = lines_[static_cast<std::size_t>(r)];
      line.present = true;
      if (!is_output(r) && ::pipe(line.pipe.data()) != 0) line.pipe = {-1, -1};
    }
  }
  ~FakeGpioLines() override {
    record_->destroyed = true;
    for (auto& line : lines_) {
      for (int fd : line.pipe) {
        if (fd >= 0) ::close(fd);
      }
    }
  }

  // Failure modes.
  std::optional<LineRole> fail_writes_to;
  std::optional<LineRole> fail_reads_of;

  void set_level(LineRole role, bool active) { record_->level[index(role)] = active; }
  // `timestamp_ns` plays the kernel's event timestamp (CLOCK_MONOTONIC).
  // Like the kernel's v1 event queue: at most this many pending edges per line, later ones are
  // dropped without a word (0: no limit).
  std::size_t queue_capacity = 0;

  void push_edge(LineRole role, bool active, std::int64_t timestamp_ns = 0) {
    auto& line = lines_[index(role)];
    if (queue_capacity > 0 && line.pending.size() >= queue_capacity) return;  // dropped, silently
    line.pending.push_back(active);
    line.pending_ts.push_back(timestamp_ns);
    const char byte = 1;
    (void)!::write(line.pipe[1], &byte, 1);
  }

  bool has(LineRole role) const override { return lines_[index(role)].present; }
  std::optional<std::string> set_active(LineRole role, bool active) noexcept override {
    if (!has(role)) return "no such line";
    if (fail_writes_to == role) return "injected write failure";
    record_->level[index(role)] = active;
    record_->writes.emplace_back(role, active);
    record_->both_active_after_write.push_back(record_->level[index(LineRole::kUp)] &&
                                               record_->level[index(LineRole::kDown)]);
    return std::nullopt;
  }
  std::optional<bool> read_active(LineRole role) noexcept override {
    if (!has(role)) return std::nullopt;
    return record_->level[index(role)];
  }
  int event_fd(LineRole role) const noexcept override { return lines_[index(role)].pipe[0]; }
  EdgeRead read_edges(LineRole role) noexcept override {
    EdgeRead result;
    auto& line = lines_[index(role)];
    if (fail_reads_of == role) {
      result.error = "injected read failure";
      return result;
    }
    char buf[64];
    (void)!::read(line.pipe[0], buf, line.pending.size() < 64 ? line.pending.size() : 64);
    result.levels.assign(line.pending.begin(), line.pending.end());
    result.timestamps_ns.assign(line.pending_ts.begin(), line.pending_ts.end());
    result.queue_full = queue_capacity > 0 && result.levels.size() >= queue_capacity;
    line.pending.clear();
    line.pending_ts.clear();
    if (!result.levels.empty()) record_->level[index(role)] = result.levels.back();
    return result;
  }

 private:
  struct Line {
    bool present = false;
    std::array<int, 2> pipe{-1, -1};
    std::deque<bool> pending;
    std::deque<std::int64_t> pending_ts;
  };
  static std::size_t index(LineRole r) { return static_cast<std::size_t>(r); }

  std::shared_ptr<LineRecord> record_;
  std::array<Line, kLineRoleCount> lines_{};
};

}  // namespace deskd::hw::testing
