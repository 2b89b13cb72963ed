#pragma once

#include <optional>

#include "core/motion_types.h"

namespace deskd::core {

// What a height means as a posture, and which height a posture asks for: the rules the schedule,
// the statistics, B/state and the posture commands share.
struct PostureRules {
  SensorKind sensor = SensorKind::kEncoder;
  int bottom_mm = 620;  // the desk's travel (sensor kind none knows only its two ends)
  int top_mm = 1270;
  int sit_mm = 720;
  int stand_mm = 1100;

  // Sitting within a quarter of the sit-stand span of the sitting height, standing within a
  // quarter of the standing one, between otherwise; without a sensor, only the two ends (1 mm)
  // count. Unknown height: unknown posture.
  Posture posture_of(std::optional<double> height) const;
  // The height an automatic move or a posture command goes to.
  int height_for(Posture p) const { return p == Posture::kStanding ? stand_mm : sit_mm; }
};

}  // namespace deskd::core
