#pragma once

#include <boost/asio/io_context.hpp>

#include "ble/ble_backend.h"
#include "config/config.h"
#include "hw/desk_io_factory.h"
#include "ports/clock.h"

namespace deskd::ble {

// The backend for a config with a [ble] table (config.ble must be set). `io` and `clock` must
// outlive the result. Never throws for a desk or a bus that is not there yet: it reconnects.
// `simulate`: the simulated desk behind a simulated BlueZ on a private dbus-daemon (throws
// std::runtime_error at start-up if that bus cannot be started).
hw::DeskIoHandle make_ble_desk_io(const config::Config& config, boost::asio::io_context& io,
                                  const ports::Clock& clock, BleBackend::Logger logger,
                                  bool simulate);

}  // namespace deskd::ble
