#include "mqtt/paho_wake.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace deskd::mqtt {
namespace {

using Clock = std::chrono::steady_clock;

// As paho's receive thread does with no socket: usleep(), which ends early on a signal.
TEST(PahoWake, EndsAnotherThreadsSleepEarly) {
  std::atomic<bool> started{false};
  Clock::duration slept{};
  std::thread sleeper([&] {
    started = true;
    const auto t0 = Clock::now();
    usleep(3'000'000);
    slept = Clock::now() - t0;
  });
  while (!started) std::this_thread::yield();
  int woken = 0;
  // Bounded: until the sleeper is inside usleep() and has been signalled (at most ~1 s).
  for (int i = 0; i < 200 && woken == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    woken = wake_sleeping_threads();
  }
  sleeper.join();
  EXPECT_GE(woken, 1);
  EXPECT_LT(slept, std::chrono::milliseconds(2000)) << "the 3 s sleep was not cut short";
}

}  // namespace
}  // namespace deskd::mqtt
