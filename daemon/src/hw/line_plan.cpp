#include "hw/line_plan.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace deskd::hw {

std::string LineRef::describe() const {
  if (offset) return "offset " + std::to_string(*offset);
  return "'" + name + "'";
}

LineRef resolve_line(const config::LineSpec& spec) {
  const std::string& s = spec.line;
  const bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  });
  if (digits) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size()) return LineRef{value, {}};
  }
  return LineRef{std::nullopt, s};
}

namespace {

void add(std::vector<LinePlan>& plans, LineRole role, const std::optional<config::LineSpec>& spec,
         bool output, bool active_low, config::Bias bias) {
  if (!spec) return;
  plans.push_back(LinePlan{role, resolve_line(*spec), output, active_low, bias});
}

}  // namespace

std::vector<LinePlan> plan_output_lines(const config::GpioSettings& gpio) {
  std::vector<LinePlan> plans;
  const bool low = gpio.outputs_active_low;
  add(plans, LineRole::kUp, gpio.up, true, low, config::Bias::kAsIs);
  add(plans, LineRole::kDown, gpio.down, true, low, config::Bias::kAsIs);
  add(plans, LineRole::kEnable, gpio.enable, true, low, config::Bias::kAsIs);
  return plans;
}

std::vector<LinePlan> plan_lines(const config::GpioSettings& gpio) {
  std::vector<LinePlan> plans = plan_output_lines(gpio);
  const bool low = gpio.inputs_active_low;
  const config::Bias bias = gpio.input_bias;
  add(plans, LineRole::kEncoderA, gpio.encoder_a, false, low, bias);
  add(plans, LineRole::kEncoderB, gpio.encoder_b, false, low, bias);
  add(plans, LineRole::kLimitBottom, gpio.limit_bottom, false, low, bias);
  add(plans, LineRole::kLimitTop, gpio.limit_top, false, low, bias);
  add(plans, LineRole::kHandsetUp, gpio.handset_up, false, low, bias);
  add(plans, LineRole::kHandsetDown, gpio.handset_down, false, low, bias);
  add(plans, LineRole::kButton, gpio.button, false, low, bias);
  return plans;
}

}  // namespace deskd::hw
