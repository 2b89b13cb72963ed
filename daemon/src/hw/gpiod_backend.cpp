#include "hw/gpiod_backend.h"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>
#include <stdexcept>

#include "hw/drive_sequence.h"
#include "hw/gpiod_lines.h"
#include "hw/line_plan.h"

namespace deskd::hw {

namespace {

constexpr LineRole kInputRoles[] = {
    LineRole::kEncoderA,  LineRole::kEncoderB,    LineRole::kLimitBottom, LineRole::kLimitTop,
    LineRole::kHandsetUp, LineRole::kHandsetDown, LineRole::kButton};

core::EncoderWiring wiring_of(const GpioLines& lines) {
  return lines.has(LineRole::kEncoderB) ? core::EncoderWiring::kQuadrature
                                        : core::EncoderWiring::kSingleChannel;
}

std::unique_ptr<GpioLines> open_lines(const config::GpioSettings& gpio) {
  if (!gpio.up || !gpio.down) {
    throw std::runtime_error("[gpio] up and down lines are required for backend \"gpiod\"");
  }
  return std::make_unique<GpiodLines>(gpio.chip, plan_lines(gpio));
}

}  // namespace

GpiodBackend::GpiodBackend(boost::asio::io_context& io, const config::GpioSettings& gpio)
    : GpiodBackend(io, open_lines(gpio)) {}

GpiodBackend::GpiodBackend(boost::asio::io_context& io, std::unique_ptr<GpioLines> lines)
    : lines_(std::move(lines)),
      decoder_(wiring_of(*lines_)),
      reorder_(wiring_of(*lines_) == core::EncoderWiring::kQuadrature),
      flush_timer_(io) {
  if (!lines_->has(LineRole::kUp) || !lines_->has(LineRole::kDown)) {
    throw std::runtime_error("gpio: the up and down lines are required");
  }
  all_off();
  for (LineRole role : kInputRoles) {
    if (!lines_->has(role)) continue;
    if (auto level = lines_->read_active(role)) decoder_.set_level(role, *level);
  }
  start_watching(io);
}

GpiodBackend::~GpiodBackend() {
  all_off();
  alive_.reset();  // a flush handler already queued then does not touch this
  flush_timer_.cancel();
  // Closing the descriptors cancels the waits; their handlers then see operation_aborted and do
  // not touch this object.
  watches_.clear();
  lines_.reset();
}

void GpiodBackend::start_watching(boost::asio::io_context& io) {
  for (LineRole role : kInputRoles) {
    if (!lines_->has(role)) continue;
    const int fd = lines_->event_fd(role);
    // The descriptor closes what it holds; the line keeps its own fd, so it gets a duplicate.
    const int dup_fd = fd < 0 ? -1 : ::dup(fd);
    if (dup_fd < 0) {
      throw std::runtime_error("gpio: cannot watch line " + std::string(to_string(role)) + ": " +
                               (fd < 0 ? "no event descriptor" : std::strerror(errno)));
    }
    watches_.push_back(
        Watch{role, std::make_unique<boost::asio::posix::stream_descriptor>(io, dup_fd)});
  }
  for (std::size_t i = 0; i < watches_.size(); ++i) wait(i);
}

void GpiodBackend::wait(std::size_t watch) {
  watches_[watch].descriptor->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                                         [this, watch](const boost::system::error_code& ec) {
                                           if (ec == boost::asio::error::operation_aborted)
                                             return;  // `this` may be gone
                                           if (ec) {
                                             report("gpio: waiting for events of " +
                                                    std::string(to_string(watches_[watch].role)) +
                                                    " failed: " + ec.message());
                                             return;
                                           }
                                           on_readable(watch);
                                         });
}

void GpiodBackend::on_readable(std::size_t watch) {
  const bool keep_watching = drain(watches_[watch].role);
  if (keep_watching) {
    wait(watch);
  } else {
    watches_[watch].unreadable = true;
  }
}

void GpiodBackend::sync_inputs() {
  for (const Watch& w : watches_) {
    if (!w.unreadable) drain(w.role);
  }
  retry_unreadable();
}

std::optional<LineRole> GpiodBackend::retry_unreadable() {
  std::optional<LineRole> still;
  for (std::size_t i = 0; i < watches_.size(); ++i) {
    Watch& w = watches_[i];
    if (!w.unreadable) continue;
    const GpioLines::EdgeRead probe = lines_->read_edges(w.role);
    if (probe.error) {
      if (!still) still = w.role;
      continue;
    }
    // Readable again: take its level as it is now (edges were lost meanwhile) and watch it.
    if (auto level = lines_->read_active(w.role)) decoder_.set_level(w.role, *level);
    w.unreadable = false;
    wait(i);
    if (handler_) handler_(decoder_.state());
  }
  return still;
}

namespace {
bool is_encoder(LineRole role) {
  return role == LineRole::kEncoderA || role == LineRole::kEncoderB;
}
constexpr std::int64_t kReorderWindowNs =
    std::chrono::nanoseconds(GpiodBackend::kReorderWindow).count();
}  // namespace

bool GpiodBackend::drain(LineRole role) {
  // A limit or handset line is read before the encoder lines, so the steps that came before its
  // edge are in hand when it is applied.
  std::vector<Edge> others;
  if (!is_encoder(role) && !read_line(role, others)) return false;
  std::vector<Edge> steps;
  for (LineRole r : {LineRole::kEncoderA, LineRole::kEncoderB}) {
    if (!lines_->has(r) || (r != role && !watched(r))) continue;
    if (!read_line(r, steps) && r == role) return false;
  }
  std::vector<Edge> ready;
  if (reorder_) {
    held_.insert(held_.end(), steps.begin(), steps.end());
    std::int64_t cutoff = monotonic_now_ns() - kReorderWindowNs;
    for (const Edge& e : others) cutoff = std::max(cutoff, e.timestamp_ns);
    ready = release_held(cutoff);
  } else {
    ready = std::move(steps);
  }
  // Stable: at equal timestamps the steps go before the limit or handset edge.
  ready.insert(ready.end(), others.begin(), others.end());
  std::stable_sort(ready.begin(), ready.end(), Edge::earlier);
  apply(ready);
  arm_flush();
  return true;
}

bool GpiodBackend::read_line(LineRole role, std::vector<Edge>& into) {
  GpioLines::EdgeRead read = lines_->read_edges(role);
  if (read.error) {
    // Stop watching: a line that cannot be read would wake the loop forever.
    report("gpio: " + *read.error + "; no longer watching " + std::string(to_string(role)));
    return false;
  }
  for (std::size_t i = 0; i < read.levels.size(); ++i) {
    into.push_back({i < read.timestamps_ns.size() ? read.timestamps_ns[i] : 0, role,
                    static_cast<bool>(read.levels[i])});
  }
  if (is_encoder(role) && read.queue_full) note_full_queue(role, read.timestamps_ns);
  return true;
}

std::vector<GpiodBackend::Edge> GpiodBackend::release_held(std::int64_t cutoff_ns) {
  const std::int64_t latest_sane = monotonic_now_ns() + kReorderWindowNs;
  // An edge without a timestamp, or from a clock that makes no sense, is not held.
  auto keep = [&](const Edge& e) {
    return e.timestamp_ns > 0 && e.timestamp_ns > cutoff_ns && e.timestamp_ns <= latest_sane;
  };
  auto held_begin =
      std::stable_partition(held_.begin(), held_.end(), [&](const Edge& e) { return !keep(e); });
  std::vector<Edge> ready(held_.begin(), held_begin);
  held_.erase(held_.begin(), held_begin);
  return ready;
}

void GpiodBackend::apply(const std::vector<Edge>& edges) {
  ports::InputState delivered = decoder_.state();
  for (const Edge& e : edges) {
    decoder_.apply_edge(e.role, e.level, drive_);
    if (!is_encoder(e.role)) deliver_if_changed(delivered, e.timestamp_ns);
  }
  if (!edges.empty()) deliver_if_changed(delivered, edges.back().timestamp_ns);
}

void GpiodBackend::deliver_if_changed(ports::InputState& delivered, std::int64_t timestamp_ns) {
  if (decoder_.state() == delivered) return;
  delivered = decoder_.state();
  if (!handler_) return;
  input_age_ = age_of(timestamp_ns);
  handler_(delivered);
  input_age_ = std::chrono::nanoseconds{0};
}

// Decodes the held edges once the oldest is out of the window, even if no line wakes the loop.
void GpiodBackend::arm_flush() {
  if (held_.empty()) return;
  const std::int64_t oldest =
      std::min_element(held_.begin(), held_.end(), Edge::earlier)->timestamp_ns;
  const std::chrono::nanoseconds window = kReorderWindow;
  const std::chrono::nanoseconds due{oldest + window.count() - monotonic_now_ns()};
  flush_timer_.expires_after(std::clamp(due, std::chrono::nanoseconds{0}, window));
  flush_timer_.async_wait(
      [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
        if (ec == boost::asio::error::operation_aborted || alive.expired()) return;
        drain(lines_->has(LineRole::kEncoderA) ? LineRole::kEncoderA : LineRole::kEncoderB);
      });
}

bool GpiodBackend::watched(LineRole role) const {
  for (const Watch& w : watches_) {
    if (w.role == role) return !w.unreadable;
  }
  return false;
}

// The kernel's queue of encoder line `role` was full when read: every edge between its last
// event and now was dropped. How many: that time over the queue's own spacing of edges (at
// least 1). The height doubt grows by them (core::EncoderEstimator); the log says so.
void GpiodBackend::note_full_queue(LineRole role, const std::vector<std::int64_t>& ts) {
  constexpr std::int64_t kMaxLost = 100000;  // a bound for a clock that makes no sense
  std::int64_t lost = 1;
  const std::int64_t since_last = ts.empty() ? 0 : monotonic_now_ns() - ts.back();
  if (ts.size() >= 2 && ts.back() > ts.front() && since_last > 0) {
    const std::int64_t spacing = (ts.back() - ts.front()) / std::int64_t(ts.size() - 1);
    if (spacing > 0) lost = std::clamp<std::int64_t>(since_last / spacing, 1, kMaxLost);
  }
  decoder_.note_lost_edges(static_cast<std::uint32_t>(lost));
  deliver(warning_handler_, "gpio: the kernel's event queue of " + std::string(to_string(role)) +
                                " was full: about " + std::to_string(lost) +
                                " edge(s) may be lost; the height may be off until calibrated");
}

std::int64_t GpiodBackend::monotonic_now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

std::chrono::nanoseconds GpiodBackend::age_of(std::int64_t timestamp_ns) {
  // Event timestamps are CLOCK_MONOTONIC (the kernel's default for line events since 5.7). A
  // missing (0) or implausible one (in the future, or older than kMaxInputAge) counts as "now".
  if (timestamp_ns <= 0) return std::chrono::nanoseconds{0};
  const std::chrono::nanoseconds age{monotonic_now_ns() - timestamp_ns};
  if (age.count() < 0 || age > kMaxInputAge) return std::chrono::nanoseconds{0};
  return age;
}

std::optional<std::string> GpiodBackend::set_drive(core::Drive drive) {
  if (drive != core::Drive::kNone) {
    if (auto blind = retry_unreadable()) {
      all_off();
      return "gpio: input line " + std::string(to_string(*blind)) +
             " cannot be read; not driving blind";
    }
  }
  for (const LineWrite& write : drive_sequence(drive, lines_->has(LineRole::kEnable), drive_)) {
    if (auto error = lines_->set_active(write.role, write.active)) {
      all_off();
      return "gpio: " + *error;
    }
  }
  drive_ = drive;
  return std::nullopt;
}

void GpiodBackend::all_off() noexcept {
  if (!lines_) return;
  // Every write is tried even if one fails.
  for (const LineWrite& write :
       drive_sequence(core::Drive::kNone, lines_->has(LineRole::kEnable), drive_)) {
    (void)lines_->set_active(write.role, write.active);
  }
  drive_ = core::Drive::kNone;
}

void GpiodBackend::report(const std::string& message) { deliver(error_handler_, message); }

void GpiodBackend::deliver(const ErrorHandler& handler, const std::string& message) {
  if (handler) {
    handler(message);
  } else {
    std::cerr << message << '\n';
  }
}

}  // namespace deskd::hw
