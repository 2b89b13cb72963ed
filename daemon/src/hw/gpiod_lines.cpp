#include "hw/gpiod_lines.h"

#include <cerrno>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace deskd::hw {

namespace {

// The v1 uAPI's event queue per line request (and the most event_read_multiple() returns).
constexpr std::size_t kKernelEventQueue = 16;

std::size_t index(LineRole role) { return static_cast<std::size_t>(role); }

}  // namespace

std::bitset<32> request_flags(const LinePlan& plan) {
  std::bitset<32> flags;
  if (plan.active_low) flags |= gpiod::line_request::FLAG_ACTIVE_LOW;
  if (!plan.output) {
    switch (plan.bias) {
      case config::Bias::kAsIs:
        break;
      case config::Bias::kDisabled:
        flags |= gpiod::line_request::FLAG_BIAS_DISABLE;
        break;
      case config::Bias::kPullUp:
        flags |= gpiod::line_request::FLAG_BIAS_PULL_UP;
        break;
      case config::Bias::kPullDown:
        flags |= gpiod::line_request::FLAG_BIAS_PULL_DOWN;
        break;
    }
  }
  return flags;
}

gpiod::line_request make_request(const LinePlan& plan) {
  gpiod::line_request request;
  request.consumer = GpiodLines::kConsumer;
  request.request_type =
      plan.output ? gpiod::line_request::DIRECTION_OUTPUT : gpiod::line_request::EVENT_BOTH_EDGES;
  request.flags = request_flags(plan);
  return request;
}

gpiod::chip open_chip(const std::string& chip) {
  try {
    gpiod::chip opened(chip, gpiod::chip::OPEN_LOOKUP);
    if (!opened) throw std::runtime_error("gpiochip '" + chip + "' not found");
    return opened;
  } catch (const std::system_error& e) {
    const int err = e.code().value();
    if (err == ENOENT || err == ENODEV || err == ENOTTY) {
      throw std::runtime_error("gpiochip '" + chip + "' not found");
    }
    throw std::runtime_error("cannot open gpiochip '" + chip + "': " + e.code().message());
  } catch (const std::runtime_error&) {
    throw;
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open gpiochip '" + chip + "': " + e.what());
  }
}

GpiodLines::GpiodLines(const std::string& chip, const std::vector<LinePlan>& plans)
    : chip_(open_chip(chip)) {
  const std::string chip_label = chip_name();
  try {
    for (const LinePlan& plan : plans) {
      // "line 'MOTOR_UP' (up) <problem>"
      auto fail = [&plan](std::string_view problem) {
        std::string message = "line ";
        message += plan.ref.describe();
        message += " (";
        message += to_string(plan.role);
        message += ") ";
        message += problem;
        throw std::runtime_error(message);
      };
      gpiod::line line;
      if (plan.ref.offset) {
        if (*plan.ref.offset >= chip_.num_lines()) {
          fail("not found on " + chip_label + " (it has " + std::to_string(chip_.num_lines()) +
               " lines)");
        }
        line = chip_.get_line(*plan.ref.offset);
      } else {
        line = chip_.find_line(plan.ref.name);
      }
      if (!line) fail("not found on " + chip_label);
      if (requested_[index(plan.role)]) fail("is configured twice");
      try {
        line.request(make_request(plan), 0);
      } catch (const std::system_error& e) {
        fail("cannot be requested on " + chip_label + ": " + e.code().message());
      }
      lines_[index(plan.role)] = line;
      requested_[index(plan.role)] = true;
    }
  } catch (const std::runtime_error&) {
    release_all();
    throw;
  } catch (const std::exception& e) {
    release_all();
    throw std::runtime_error("gpio setup on " + chip_label + " failed: " + e.what());
  }
}

GpiodLines::~GpiodLines() { release_all(); }

void GpiodLines::release_all() noexcept {
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (!requested_[i]) continue;
    try {
      if (is_output(static_cast<LineRole>(i))) lines_[i].set_value(0);
    } catch (...) {
    }
    try {
      lines_[i].release();
    } catch (...) {
    }
    requested_[i] = false;
  }
}

std::string GpiodLines::chip_name() const {
  try {
    return chip_.name();
  } catch (...) {
    return "gpiochip";
  }
}

const gpiod::line* GpiodLines::find(LineRole role) const {
  return requested_[index(role)] ? &lines_[index(role)] : nullptr;
}

bool GpiodLines::has(LineRole role) const { return find(role) != nullptr; }

std::optional<std::string> GpiodLines::set_active(LineRole role, bool active) noexcept {
  const gpiod::line* line = find(role);
  if (line == nullptr) return std::string("line '") + std::string(to_string(role)) + "' not set up";
  try {
    line->set_value(active ? 1 : 0);
    return std::nullopt;
  } catch (const std::system_error& e) {
    return "setting " + std::string(to_string(role)) + " failed: " + e.code().message();
  } catch (const std::exception& e) {
    return "setting " + std::string(to_string(role)) + " failed: " + e.what();
  }
}

std::optional<bool> GpiodLines::read_active(LineRole role) noexcept {
  const gpiod::line* line = find(role);
  if (line == nullptr) return std::nullopt;
  try {
    return line->get_value() != 0;
  } catch (...) {
    return std::nullopt;
  }
}

int GpiodLines::event_fd(LineRole role) const noexcept {
  const gpiod::line* line = find(role);
  if (line == nullptr || is_output(role)) return -1;
  try {
    return line->event_get_fd();
  } catch (...) {
    return -1;
  }
}

GpioLines::EdgeRead GpiodLines::read_edges(LineRole role) noexcept {
  EdgeRead result;
  const gpiod::line* line = find(role);
  if (line == nullptr) {
    result.error = "line '" + std::string(to_string(role)) + "' not set up";
    return result;
  }
  try {
    // The request's fd blocks on read: look first, so an empty line never stalls the loop.
    if (!line->event_wait(std::chrono::nanoseconds(0))) return result;
    // With an active-low request the kernel reports edges of the logical level.
    for (const gpiod::line_event& event : line->event_read_multiple()) {
      result.levels.push_back(event.event_type == gpiod::line_event::RISING_EDGE);
      result.timestamps_ns.push_back(event.timestamp.count());
    }
    result.queue_full = result.levels.size() >= kKernelEventQueue;
  } catch (const std::system_error& e) {
    result.error =
        "reading events of " + std::string(to_string(role)) + " failed: " + e.code().message();
  } catch (const std::exception& e) {
    result.error = "reading events of " + std::string(to_string(role)) + " failed: " + e.what();
  }
  return result;
}

}  // namespace deskd::hw
