#include "core/move_deadline.h"

#include <algorithm>
#include <cmath>

namespace deskd::core {
namespace {

constexpr double kTargetSlackS = 2.0;
constexpr double kEndRunFactor = 1.15;
constexpr double kEndRunSlackS = 0.5;

SteadyTime::duration seconds(double s) {
  return std::chrono::ceil<SteadyTime::duration>(std::chrono::duration<double>(std::max(0.0, s)));
}

}  // namespace

MoveDeadlines move_deadlines(const MoveLeg& leg, const MotionSettings& settings) {
  const SteadyTime max_end = leg.drive_since + settings.max_run;
  const double speed = std::max(1.0, leg.speed_mm_s);
  if (leg.run_to_end) {
    const double travel = settings.top_height_mm - settings.bottom_height_mm;
    const SteadyTime until =
        leg.drive_since + seconds(travel / speed * kEndRunFactor + kEndRunSlackS);
    return {max_end, std::min(until, max_end - SteadyTime::duration(1))};
  }
  const double estimate_s =
      std::abs(leg.distance_mm) / speed * settings.deadline_margin + kTargetSlackS;
  return {std::min(max_end, leg.planned_at + seconds(estimate_s)), std::nullopt};
}

}  // namespace deskd::core
