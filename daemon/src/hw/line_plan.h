#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "hw/line_role.h"

namespace deskd::hw {

// How a configured line is looked up on its chip: a string of digits is an offset, anything
// else a line name.
struct LineRef {
  std::optional<unsigned> offset;
  std::string name;  // set when offset is not
  // "'MOTOR_UP'" or "offset 17", for messages.
  std::string describe() const;
  friend bool operator==(const LineRef&, const LineRef&) = default;
};

LineRef resolve_line(const config::LineSpec& spec);

// One line to request, with everything the request needs.
struct LinePlan {
  LineRole role;
  LineRef ref;
  bool output = false;      // output (inactive by default) or input with edge events on both edges
  bool active_low = false;  // outputs_active_low / inputs_active_low
  config::Bias bias = config::Bias::kAsIs;  // inputs only; outputs keep the line's bias
  friend bool operator==(const LinePlan&, const LinePlan&) = default;
};

// Every configured line of `gpio`, outputs first, in LineRole order; unset lines are left out.
std::vector<LinePlan> plan_lines(const config::GpioSettings& gpio);
// Only the motor outputs (up, down, enable): what --safe-stop drives inactive.
std::vector<LinePlan> plan_output_lines(const config::GpioSettings& gpio);

}  // namespace deskd::hw
