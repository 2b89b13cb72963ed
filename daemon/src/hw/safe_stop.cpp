#include "hw/safe_stop.h"

#include <exception>

#include "hw/gpiod_lines.h"
#include "hw/line_plan.h"

namespace deskd::hw {

std::optional<std::string> safe_stop(const config::GpioSettings& gpio) {
  const auto outputs = plan_output_lines(gpio);
  if (outputs.empty()) return std::nullopt;  // e.g. [bus] motion = "bus": no motor output wired
  try {
    // Requesting an output sets its default value, inactive; destruction releases the lines.
    GpiodLines lines(gpio.chip, outputs);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

}  // namespace deskd::hw
