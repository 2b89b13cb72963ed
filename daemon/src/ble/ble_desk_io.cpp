#include "ble/ble_desk_io.h"

namespace deskd::ble {

hw::DeskIoHandle make_ble_desk_io(const config::Config& config, boost::asio::io_context& io,
                                  const ports::Clock& clock, BleBackend::Logger logger) {
  hw::DeskIoHandle handle;
  handle.io = std::make_unique<BleBackend>(io, clock, *config.ble, std::move(logger));
  return handle;
}

}  // namespace deskd::ble
