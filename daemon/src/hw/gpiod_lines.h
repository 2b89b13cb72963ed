#pragma once

#include <array>
#include <bitset>
#include <gpiod.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "hw/gpio_lines.h"
#include "hw/line_plan.h"

namespace deskd::hw {

// GpioLines on a real chip through libgpiod 1.6 (kernel character device). RAII: the
// lines are released when it is destroyed (the kernel keeps an output's last level, so callers
// drive outputs inactive first).
class GpiodLines : public GpioLines {
 public:
  static constexpr const char* kConsumer = "deskd";

  // Opens `chip` (a name "gpiochip0", a path "/dev/gpiochip0", a number "0" or a label) and
  // requests every planned line: outputs inactive, inputs with events on both edges.
  // Throws std::runtime_error with one clear message naming the chip / line on failure.
  GpiodLines(const std::string& chip, const std::vector<LinePlan>& plans);
  ~GpiodLines() override;
  GpiodLines(const GpiodLines&) = delete;
  GpiodLines& operator=(const GpiodLines&) = delete;

  bool has(LineRole role) const override;
  std::optional<std::string> set_active(LineRole role, bool active) noexcept override;
  std::optional<bool> read_active(LineRole role) noexcept override;
  int event_fd(LineRole role) const noexcept override;
  EdgeRead read_edges(LineRole role) noexcept override;

  std::string chip_name() const;

 private:
  const gpiod::line* find(LineRole role) const;
  // Drives requested outputs inactive and releases every requested line.
  void release_all() noexcept;

  gpiod::chip chip_;
  std::array<gpiod::line, kLineRoleCount> lines_{};
  std::array<bool, kLineRoleCount> requested_{};
};

// The libgpiod request for a planned line.
gpiod::line_request make_request(const LinePlan& plan);
std::bitset<32> request_flags(const LinePlan& plan);

// Opens a chip as GpiodLines does; throws std::runtime_error "gpiochip 'x' not found" etc.
gpiod::chip open_chip(const std::string& chip);

}  // namespace deskd::hw
