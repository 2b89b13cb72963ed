#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <optional>

#include "core/time.h"
#include "ports/alarm.h"
#include "ports/clock.h"

namespace deskd::platform {

// A one-shot timer armed with a deadline in deskd's (possibly scaled) steady time. Re-arming
// replaces the previous deadline; disarm() cancels it. The callback runs on the loop.
class DeadlineTimer final : public ports::Alarm {
 public:
  DeadlineTimer(boost::asio::io_context& io, const ports::Clock& clock,
                std::function<void()> on_expiry)
      : timer_(io), clock_(clock), on_expiry_(std::move(on_expiry)) {}

  void arm(std::optional<core::SteadyTime> deadline) override {
    if (deadline == armed_) return;
    timer_.cancel();
    armed_ = deadline;
    if (!deadline) return;
    const auto now = clock_.steady_now();
    const auto wait = *deadline > now ? clock_.to_real(*deadline - now)
                                      : std::chrono::steady_clock::duration::zero();
    timer_.expires_after(wait);
    const auto generation = ++generation_;
    timer_.async_wait([this, generation](const boost::system::error_code& ec) {
      if (ec || generation != generation_) return;
      armed_.reset();
      on_expiry_();
    });
  }

 private:
  boost::asio::steady_timer timer_;
  const ports::Clock& clock_;
  std::function<void()> on_expiry_;
  std::optional<core::SteadyTime> armed_;
  unsigned generation_ = 0;
};

}  // namespace deskd::platform
