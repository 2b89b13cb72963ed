#include "core/position_estimator.h"

#include "core/bus_estimator.h"
#include "core/encoder_estimator.h"
#include "core/end_stop_estimator.h"
#include "core/timed_estimator.h"

namespace deskd::core {

std::unique_ptr<PositionEstimator> make_position_estimator(const MotionSettings& settings,
                                                           const InputSnapshot& inputs,
                                                           double up_speed_mm_s,
                                                           double down_speed_mm_s) {
  switch (settings.sensor) {
    case SensorKind::kEncoder:
      return std::make_unique<EncoderEstimator>(settings.mm_per_count, inputs);
    case SensorKind::kTimed:
      return std::make_unique<TimedEstimator>(settings, up_speed_mm_s, down_speed_mm_s);
    case SensorKind::kNone:
      return std::make_unique<EndStopEstimator>();
    case SensorKind::kBus:
      return std::make_unique<BusEstimator>(settings.bus_stale, inputs);
  }
  return std::make_unique<EndStopEstimator>();
}

}  // namespace deskd::core
