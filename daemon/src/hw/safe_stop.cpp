#include "hw/safe_stop.h"

#include <exception>

#include "hw/gpiod_lines.h"
#include "hw/line_plan.h"

namespace deskd::hw {

std::optional<std::string> safe_stop(const config::GpioSettings& gpio) {
  try {
    // Requesting an output sets its default value, inactive; destruction releases the lines.
    GpiodLines lines(gpio.chip, plan_output_lines(gpio));
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

}  // namespace deskd::hw
