#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>

#include "ble/ble_backend.h"
#include "ble/private_bus.h"
#include "ble/sim_bluez.h"
#include "config/config.h"
#include "ports/clock.h"
#include "ports/desk_io.h"

namespace deskd::ble {

// `--simulate` with [ble]: a private dbus-daemon, the simulated BlueZ with a Linak desk on it, and
// the real BleBackend talking to them over D-Bus, so the real sd-bus and GATT code runs. Owns all
// three and is the DeskIo the daemon sees (every call goes to the backend). Destroyed in the
// order backend (its stop goes out), simulated BlueZ, bus.
class SimulatedBle final : public ports::DeskIo {
 public:
  // Throws std::runtime_error at start-up if the private bus cannot be started.
  SimulatedBle(const config::Config& config, boost::asio::io_context& io, const ports::Clock& clock,
               BleBackend::Logger logger);
  ~SimulatedBle() override;

  std::optional<std::string> set_drive(core::Drive d) override { return backend_->set_drive(d); }
  core::Drive drive() const override { return backend_->drive(); }
  ports::InputState inputs() const override { return backend_->inputs(); }
  void set_input_handler(InputHandler handler) override {
    backend_->set_input_handler(std::move(handler));
  }
  void sync_inputs() override { backend_->sync_inputs(); }
  core::SteadyTime drive_effective_at(core::SteadyTime written) const override {
    return backend_->drive_effective_at(written);
  }
  void all_off() noexcept override { backend_->all_off(); }

  SimBluez& desk() { return *sim_; }

 private:
  std::unique_ptr<PrivateBus> bus_;
  std::unique_ptr<SimBluez> sim_;
  std::unique_ptr<BleBackend> backend_;
};

}  // namespace deskd::ble
