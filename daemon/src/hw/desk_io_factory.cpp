#include "hw/desk_io_factory.h"

#include "hw/gpiod_backend.h"
#include "hw/sim_backend.h"

namespace deskd::hw {

DeskIoHandle make_desk_io(const config::Config& config, boost::asio::io_context& io,
                          const ports::Clock& clock, bool simulate) {
  DeskIoHandle handle;
  if (simulate || config.gpio.backend == config::Backend::kSim) {
    auto sim = std::make_unique<SimBackend>(io, clock, config.sim, config.motion);
    handle.sim = sim.get();
    handle.io = std::move(sim);
  } else {
    auto gpiod = std::make_unique<GpiodBackend>(io, config.gpio);
    handle.gpiod = gpiod.get();
    handle.io = std::move(gpiod);
  }
  return handle;
}

}  // namespace deskd::hw
