// Home Assistant's birth message cannot make deskd republish everything once per message
// (issue 19, finding 6: 1000 x "online" were 1000 full republishes).
#include "mqtt/republish_gate.h"

#include <gtest/gtest.h>

namespace deskd::mqtt {
namespace {

using namespace std::chrono_literals;
using Time = RepublishGate::Time;

const Time t0 = Time() + 1000s;

TEST(RepublishGate, TheFirstRequestRunsAfterItsJitter) {
  RepublishGate gate(5s);
  EXPECT_EQ(gate.request(t0, 300ms), t0 + 300ms);
  EXPECT_TRUE(gate.due());
}

TEST(RepublishGate, when_a_thousand_requests_arrive_at_once_expect_one_republish) {
  RepublishGate gate(5s);
  int scheduled = 0;
  for (int i = 0; i < 1000; ++i) scheduled += gate.request(t0 + i * 1ms, 0ms).has_value();
  EXPECT_EQ(scheduled, 1);
}

TEST(RepublishGate, when_asked_again_soon_after_a_run_expect_it_waits_the_interval) {
  RepublishGate gate(5s);
  ASSERT_TRUE(gate.request(t0, 0ms));
  gate.ran(t0);
  EXPECT_FALSE(gate.due());
  EXPECT_EQ(gate.request(t0 + 1s, 200ms), t0 + 5s + 200ms);
  EXPECT_FALSE(gate.request(t0 + 2s, 0ms)) << "folded into the due one";
  gate.ran(t0 + 5s + 200ms);
  // Long after the last run: at once (plus jitter).
  EXPECT_EQ(gate.request(t0 + 60s, 100ms), t0 + 60s + 100ms);
}

TEST(RepublishGate, ARepublishForAnotherReasonCountsAsARun) {
  RepublishGate gate(5s);
  gate.ran(t0);  // e.g. the connect's own republish
  EXPECT_EQ(gate.request(t0 + 100ms, 0ms), t0 + 5s);
}

TEST(RepublishGate, ANegativeJitterIsTakenAsNone) {
  RepublishGate gate(5s);
  EXPECT_EQ(gate.request(t0, -10ms), t0);
}

}  // namespace
}  // namespace deskd::mqtt
