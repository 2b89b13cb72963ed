#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "config/config.h"
#include "mqtt/desk_inbox.h"
#include "mqtt/discovery.h"
#include "mqtt/mqtt_client.h"
#include "mqtt/republish_gate.h"
#include "mqtt/topics.h"
#include "ports/publisher.h"

namespace deskd::mqtt {

// The MQTT side of deskd (DESIGN.md §8), and nothing else: routes each incoming message to the
// runner's DeskInbox (commands decoded; retained commands refused, invariant 8), delivers the
// runner's publications to their topics, and keeps availability and Home Assistant discovery.
// A new retained publication is one Channel and one line in topic_of().
class MqttAdapter final : public ports::Publisher {
 public:
  // Log lines at syslog levels (3 error, 4 warning, 6 info, 7 debug), paho's included.
  using Log = MqttClient::LogFn;
  // B/sim/set payloads for the simulated desk; empty: no simulated desk (not subscribed).
  using SimHandler = std::function<void(const std::string& payload)>;
  MqttAdapter(boost::asio::io_context& io, const config::Config& config, Topics topics, Log log,
              SimHandler sim);
  ~MqttAdapter() override;

  void start(DeskInbox& inbox);
  void stop(std::chrono::milliseconds timeout);
  void set_discovery(DiscoveryInfo info) { discovery_ = std::move(info); }
  void publish_discovery();

  bool online() const override;
  void publish(ports::Channel channel, const std::string& payload) override;

 private:
  // At most one full republish (discovery + state) per kBirthInterval for Home Assistant's
  // birth message, after a random delay of up to kBirthJitter (many desks, one HA).
  static constexpr std::chrono::seconds kBirthInterval{5};
  static constexpr std::chrono::milliseconds kBirthJitter{1000};
  static constexpr int kWarning = 4;
  static constexpr int kInfo = 6;

  void on_connected();
  void on_home_assistant_online();
  void republish_all();
  void on_message(const InMessage& m);
  void on_set(const std::string& key, const std::string& payload);
  void on_request(const std::string& op, const InMessage& m);
  const std::string& topic_of(ports::Channel channel) const;

  const config::Config& config_;
  Topics topics_;
  Log log_;
  SimHandler sim_;
  DiscoveryInfo discovery_;
  std::unique_ptr<MqttClient> client_;
  DeskInbox* inbox_ = nullptr;
  RepublishGate birth_gate_{kBirthInterval};
  boost::asio::steady_timer birth_timer_;
  std::minstd_rand jitter_{std::random_device{}()};
};

}  // namespace deskd::mqtt
