#include "ble/simulated_ble.h"

namespace deskd::ble {

namespace {

SimBluez::Options sim_options(const config::BleSettings& ble, const core::MotionSettings& m) {
  SimBluez::Options o;
  o.adapter = ble.adapter;
  o.address = ble.address;
  o.base_tenth_mm = ble.base_height_mm.value_or(m.bottom_height_mm) * 10;
  return o;
}

}  // namespace

SimulatedBle::SimulatedBle(const config::Config& config, boost::asio::io_context& io,
                           const ports::Clock& clock, BleBackend::Logger logger)
    : bus_(std::make_unique<PrivateBus>()),
      sim_(std::make_unique<SimBluez>(io, clock, bus_->address(), config.sim, config.motion,
                                      sim_options(*config.ble, config.motion))),
      backend_(std::make_unique<BleBackend>(io, clock, *config.ble, std::move(logger),
                                            bus_->address())) {}

SimulatedBle::~SimulatedBle() {
  backend_.reset();
  sim_.reset();
  bus_.reset();
}

}  // namespace deskd::ble
