#include "hw/wake_line.h"

#include <stdexcept>

#include "hw/gpiod_lines.h"
#include "hw/line_plan.h"

namespace deskd::hw {

GpiodWakeLine::GpiodWakeLine(const std::string& chip, const config::LineSpec& spec)
    : chip_(open_chip(chip)) {
  const LineRef ref = resolve_line(spec);
  const std::string what = "line " + ref.describe() + " (bus.wake_line) ";
  try {
    if (ref.offset && *ref.offset >= chip_.num_lines()) {
      throw std::runtime_error(what + "not found on " + chip_.name());
    }
    line_ = ref.offset ? chip_.get_line(*ref.offset) : chip_.find_line(ref.name);
    if (!line_) throw std::runtime_error(what + "not found on " + chip_.name());
    line_.request({GpiodLines::kConsumer, gpiod::line_request::DIRECTION_OUTPUT, 0}, 0);
  } catch (const std::system_error& e) {
    throw std::runtime_error(what + "cannot be requested: " + e.code().message());
  }
}

GpiodWakeLine::~GpiodWakeLine() {
  (void)set(false);
  try {
    line_.release();
  } catch (...) {
    // Releasing never matters more than the destructor finishing.
  }
}

std::optional<std::string> GpiodWakeLine::set(bool high) noexcept {
  try {
    line_.set_value(high ? 1 : 0);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string("bus.wake_line: ") + e.what();
  }
}

}  // namespace deskd::hw
