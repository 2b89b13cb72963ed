#include "hw/desk_io_factory.h"

#include "hw/bus_backend.h"
#include "hw/gpiod_backend.h"
#include "hw/sim_backend.h"
#include "hw/sim_bus_controller.h"
#include "hw/wake_line.h"

namespace deskd::hw {

namespace {

// The simulated desk's motor as the relays of motion = "gpio": the bus still reports the
// height; the simulated desk has no handset taps or limit switches wired.
class SimRelays final : public ports::DeskIo {
 public:
  explicit SimRelays(SimBackend& desk) : desk_(desk) {}
  std::optional<std::string> set_drive(core::Drive d) override { return desk_.set_drive(d); }
  core::Drive drive() const override { return desk_.drive(); }
  ports::InputState inputs() const override { return {}; }
  void set_input_handler(InputHandler) override {}
  void sync_inputs() override {}
  void all_off() noexcept override { desk_.all_off(); }

 private:
  SimBackend& desk_;
};

DeskIoHandle make_simulated_bus(const config::Config& config, boost::asio::io_context& io,
                                const ports::Clock& clock) {
  const config::BusSettings& settings = *config.bus;
  DeskIoHandle handle;
  handle.bus_sim_owner =
      std::make_unique<SimBusController>(io, clock, settings, config.sim, config.motion);
  SimBusController* sim = handle.bus_sim_owner.get();
  std::unique_ptr<WakeLine> wake;
  if (settings.protocol == bus::Protocol::kLoctek) {
    wake = std::make_unique<FunctionWakeLine>([sim](bool high) { sim->set_wake_line(high); });
  }
  std::unique_ptr<ports::DeskIo> relays;
  if (settings.motion == config::BusMotion::kGpio)
    relays = std::make_unique<SimRelays>(sim->desk());
  auto backend = std::make_unique<BusBackend>(
      io, clock, settings, [sim] { return sim->device_path(); }, std::move(wake),
      std::move(relays));
  handle.bus = backend.get();
  handle.bus_sim = sim;
  handle.sim = &sim->desk();
  handle.io = std::move(backend);
  return handle;
}

DeskIoHandle make_real_bus(const config::Config& config, boost::asio::io_context& io,
                           const ports::Clock& clock) {
  const config::BusSettings& settings = *config.bus;
  DeskIoHandle handle;
  std::unique_ptr<WakeLine> wake;
  if (settings.wake_line)
    wake = std::make_unique<GpiodWakeLine>(config.gpio.chip, *settings.wake_line);
  std::unique_ptr<ports::DeskIo> relays;
  if (settings.motion == config::BusMotion::kGpio) {
    auto gpiod = std::make_unique<GpiodBackend>(io, config.gpio);
    handle.gpiod = gpiod.get();
    relays = std::move(gpiod);
  }
  auto backend = std::make_unique<BusBackend>(
      io, clock, settings, [device = settings.device] { return device; }, std::move(wake),
      std::move(relays));
  handle.bus = backend.get();
  handle.io = std::move(backend);
  return handle;
}

}  // namespace

DeskIoHandle make_desk_io(const config::Config& config, boost::asio::io_context& io,
                          const ports::Clock& clock, bool simulate) {
  const bool sim = simulate || config.gpio.backend == config::Backend::kSim;
  if (config.bus)
    return sim ? make_simulated_bus(config, io, clock) : make_real_bus(config, io, clock);
  DeskIoHandle handle;
  if (sim) {
    auto backend = std::make_unique<SimBackend>(io, clock, config.sim, config.motion);
    handle.sim = backend.get();
    handle.io = std::move(backend);
  } else {
    auto gpiod = std::make_unique<GpiodBackend>(io, config.gpio);
    handle.gpiod = gpiod.get();
    handle.io = std::move(gpiod);
  }
  return handle;
}

}  // namespace deskd::hw
