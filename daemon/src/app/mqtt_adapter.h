#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "config/config.h"
#include "mqtt/discovery.h"
#include "mqtt/mqtt_client.h"
#include "mqtt/republish_gate.h"
#include "mqtt/topics.h"
#include "ports/clock.h"
#include "ports/publisher.h"

namespace deskd::hw {
class SimBackend;
class SimBusController;
}  // namespace deskd::hw

namespace deskd::app {

class Coordinator;

// The MQTT side of deskd (DESIGN.md §8), and nothing else: routes each incoming message to the
// coordinator (decoded), delivers the coordinator's publications to their topics, and keeps
// availability and Home Assistant discovery. A new retained publication is one Channel and one
// line in topic_of().
class MqttAdapter final : public ports::Publisher {
 public:
  // `sim` is the simulated desk (B/sim/set), or nullptr.
  MqttAdapter(boost::asio::io_context& io, const config::Config& config, mqtt::Topics topics,
              hw::SimBackend* sim);
  ~MqttAdapter() override;

  void start(Coordinator& coordinator);
  void stop(std::chrono::milliseconds timeout);
  void set_discovery(mqtt::DiscoveryInfo info) { discovery_ = std::move(info); }
  // The simulated bus controller (B/sim/set {"bus": ...}), or nullptr.
  void set_bus_sim(hw::SimBusController* bus_sim) { bus_sim_ = bus_sim; }
  // deskd's clock, for the test-only B/sim/set {"clock_jump_s":N} (simulated desk only).
  void set_sim_clock(ports::SystemClock* clock) { sim_clock_ = clock; }
  void publish_discovery();

  bool online() const override;
  void publish(ports::Channel channel, const std::string& payload) override;

 private:
  // At most one full republish (discovery + state) per kBirthInterval for Home Assistant's
  // birth message, after a random delay of up to kBirthJitter (many desks, one HA).
  static constexpr std::chrono::seconds kBirthInterval{5};
  static constexpr std::chrono::milliseconds kBirthJitter{1000};

  void on_connected();
  void on_home_assistant_online();
  void republish_all();
  void on_message(const mqtt::InMessage& m);
  void on_set(const std::string& key, const std::string& payload);
  void on_request(const std::string& op, const mqtt::InMessage& m);
  void on_sim_set(const std::string& payload);
  void on_sim_bus(std::string_view what, const std::string& payload);
  const std::string& topic_of(ports::Channel channel) const;

  const config::Config& config_;
  mqtt::Topics topics_;
  hw::SimBackend* sim_;
  hw::SimBusController* bus_sim_ = nullptr;
  ports::SystemClock* sim_clock_ = nullptr;
  mqtt::DiscoveryInfo discovery_;
  std::unique_ptr<mqtt::MqttClient> client_;
  Coordinator* coordinator_ = nullptr;
  mqtt::RepublishGate birth_gate_{kBirthInterval};
  boost::asio::steady_timer birth_timer_;
  std::minstd_rand jitter_{std::random_device{}()};
};

}  // namespace deskd::app
