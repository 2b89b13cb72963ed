#include "ble/ble_desk_io.h"

#include "ble/simulated_ble.h"

namespace deskd::ble {

hw::DeskIoHandle make_ble_desk_io(const config::Config& config, boost::asio::io_context& io,
                                  const ports::Clock& clock, BleBackend::Logger logger,
                                  bool simulate) {
  hw::DeskIoHandle handle;
  if (simulate) {
    handle.io = std::make_unique<SimulatedBle>(config, io, clock, std::move(logger));
  } else {
    handle.io = std::make_unique<BleBackend>(io, clock, *config.ble, std::move(logger));
  }
  return handle;
}

}  // namespace deskd::ble
