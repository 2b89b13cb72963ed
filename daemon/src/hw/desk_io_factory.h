#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "config/config.h"
#include "ports/clock.h"
#include "ports/desk_io.h"

namespace deskd::hw {

class SimBackend;
class GpiodBackend;

// The backend chosen for a config, plus typed access to it for what DeskIo does not cover.
struct DeskIoHandle {
  std::unique_ptr<ports::DeskIo> io;
  SimBackend* sim = nullptr;      // set for the simulated desk: fault injection, true height
  GpiodBackend* gpiod = nullptr;  // set for libgpiod: the run-time error handler
};

// The simulated desk if `simulate` or [gpio] backend = "sim", libgpiod otherwise. `io` and `clock`
// must outlive the result. Throws std::runtime_error (one clear message) if the GPIO chip or a
// line cannot be opened.
DeskIoHandle make_desk_io(const config::Config& config, boost::asio::io_context& io,
                          const ports::Clock& clock, bool simulate);

}  // namespace deskd::hw
