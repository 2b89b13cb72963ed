#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "hw/sim_backend.h"
#include "hw/sim_bus_controller.h"
#include "ports/clock.h"

namespace deskd::app {

// B/sim/set on the simulated desk (`--simulate`): handset and button presses, injected faults,
// the simulated bus controller's displays and faults, and the test-only wall-clock jump. A
// malformed payload is rejected (an `error` event) and changes nothing.
class SimCommands {
 public:
  using Reject = std::function<void(const std::string& message, const std::string& payload)>;
  // `bus_sim` and `clock` may be nullptr (no simulated bus; no clock jumps).
  SimCommands(hw::SimBackend& sim, hw::SimBusController* bus_sim, ports::SystemClock* clock,
              Reject reject)
      : sim_(sim), bus_sim_(bus_sim), sim_clock_(clock), reject_(std::move(reject)) {}

  void on_set(const std::string& payload);

 private:
  void on_bus(std::string_view what, const std::string& payload);

  hw::SimBackend& sim_;
  hw::SimBusController* bus_sim_;
  ports::SystemClock* sim_clock_;
  Reject reject_;
};

}  // namespace deskd::app
