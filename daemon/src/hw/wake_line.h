#pragma once

#include <functional>
#include <gpiod.hpp>
#include <optional>
#include <string>

#include "config/config.h"

namespace deskd::hw {

// Loctek's wake line ("PIN20", RJ45 pin 4): the controller accepts commands only while it is
// high. An output that is either a GPIO line or, for the simulated controller, a function.
class WakeLine {
 public:
  virtual ~WakeLine() = default;
  // Drives the line; a message on failure.
  virtual std::optional<std::string> set(bool high) noexcept = 0;
};

// The wake line on a GPIO chip through libgpiod (requested low; released low on destruction).
// Throws std::runtime_error naming the chip / line if it cannot be requested.
class GpiodWakeLine final : public WakeLine {
 public:
  GpiodWakeLine(const std::string& chip, const config::LineSpec& line);
  ~GpiodWakeLine() override;
  GpiodWakeLine(const GpiodWakeLine&) = delete;
  GpiodWakeLine& operator=(const GpiodWakeLine&) = delete;
  std::optional<std::string> set(bool high) noexcept override;

 private:
  gpiod::chip chip_;
  gpiod::line line_;
};

// A wake line that calls a function (the simulated controller's input).
class FunctionWakeLine final : public WakeLine {
 public:
  explicit FunctionWakeLine(std::function<void(bool)> set) : set_(std::move(set)) {}
  std::optional<std::string> set(bool high) noexcept override {
    set_(high);
    return std::nullopt;
  }

 private:
  std::function<void(bool)> set_;
};

}  // namespace deskd::hw
