// Home Assistant's birth message cannot be used to amplify traffic (issue 19, finding 6): 1000
// "online" messages on homeassistant/status caused 1000 full republishes (up to 24,767 messages)
// and paho then refused 1,107 publications, B/state and discovery among them, logged only at
// debug level.
#include <gtest/gtest.h>

#include <thread>

#include "support/mqtt_desk_fixture.h"

namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::milliseconds;
using std::chrono::seconds;

class MqttBirthFlood : public MqttDeskTest {
 protected:
  static constexpr const char* kDiscovery = "homeassistant/device/deskd_itest/config";

  // Live (not the broker's stored copy) non-empty discovery messages seen since `since`.
  std::size_t discovery_republishes(std::size_t since) const {
    const auto all = observer_->messages();
    std::size_t n = 0;
    for (std::size_t i = since; i < all.size(); ++i) {
      n += all[i].topic == kDiscovery && !all[i].payload.empty() && !all[i].retained;
    }
    return n;
  }
};

TEST_F(MqttBirthFlood, when_ha_says_online_1000_times_expect_a_few_republishes_and_none_refused) {
  ASSERT_TRUE(start_all());
  ASSERT_TRUE(observer_->wait_for(
      kDiscovery, [](const std::string& p) { return !p.empty(); }, seconds(5)));
  const auto since = mark();
  const std::vector<std::string> births(1000, "online");
  const auto t0 = Clock::now();
  ASSERT_TRUE(observer_->publish_all("homeassistant/status", births, 1, seconds(30)));

  // The first republish comes at once (plus up to 1 s of jitter); the coalesced rest at most
  // one per 5 s: wait for the one that follows the flood (due within 5 s + 1 s of jitter). Only
  // a flood that ended within the first one's jitter has none after it: then the wait times out.
  const double flood_s = std::chrono::duration<double>(Clock::now() - t0).count();
  observer_->wait_for(
      kDiscovery, [](const std::string& p) { return !p.empty(); }, seconds(7), mark());
  const std::size_t republishes = discovery_republishes(since);
  std::cout << "1000 birth messages in " << flood_s << " s: " << republishes
            << " discovery republish(es)\n";
  EXPECT_GE(republishes, 1u) << deskd_->log().substr(0, 3000);
  // One at once, then at most one per 5 s while the flood lasts, and the one after it.
  EXPECT_LE(republishes, 2u + static_cast<std::size_t>(flood_s / 5.0));

  // Nothing was refused, and deskd still publishes its state.
  const std::string log = deskd_->log();
  EXPECT_EQ(log.find("No more messages can be buffered"), std::string::npos);
  EXPECT_EQ(log.find("refused by the MQTT client"), std::string::npos);
  ASSERT_TRUE(move_to(800)) << log.substr(0, 3000);
  MqttTestClient late(broker_->port());
  ASSERT_TRUE(late.connect());
  late.subscribe(topic("state"));
  auto retained = late.wait_for(
      topic("state"), [](const std::string&) { return true; }, seconds(3));
  ASSERT_TRUE(retained);
  EXPECT_NEAR(json_int(json_object(retained->payload), "height_mm").value_or(0), 800, 12)
      << retained->payload;
}

}  // namespace
}  // namespace deskd::testing
