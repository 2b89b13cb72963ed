#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "config/config.h"
#include "hw/sim_bus_controller.h"
#include "ports/clock.h"
#include "ports/desk_io.h"

namespace deskd::hw {

class SimBackend;
class GpiodBackend;
class BusBackend;

// The backend chosen for a config, plus typed access to it for what DeskIo does not cover.
struct DeskIoHandle {
  // The simulated bus controller, when there is one; declared first so that `io` (which talks
  // to it) is destroyed before it.
  std::unique_ptr<SimBusController> bus_sim_owner;
  std::unique_ptr<ports::DeskIo> io;
  SimBackend* sim = nullptr;            // set for the simulated desk: fault injection, true height
  GpiodBackend* gpiod = nullptr;        // set for libgpiod: the run-time error handler
  BusBackend* bus = nullptr;            // set with a [bus] table: logger, controller memory
  SimBusController* bus_sim = nullptr;  // set for a simulated bus controller: bus faults
};

// The simulated desk if `simulate` or [gpio] backend = "sim", libgpiod otherwise. With a [bus]
// table the desk is behind its controller's UART (BusBackend); simulated, that controller runs
// behind a pseudo-terminal (SimBusController). `io` and `clock` must outlive the result. Throws
// std::runtime_error (one clear message) if the GPIO chip, a line or the bus device cannot be
// opened.
DeskIoHandle make_desk_io(const config::Config& config, boost::asio::io_context& io,
                          const ports::Clock& clock, bool simulate);

}  // namespace deskd::hw
