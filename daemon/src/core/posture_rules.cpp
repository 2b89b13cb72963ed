#include "core/posture_rules.h"

namespace deskd::core {

Posture PostureRules::posture_of(std::optional<double> height) const {
  if (!height) return Posture::kUnknown;
  if (sensor == SensorKind::kNone) {
    if (*height <= bottom_mm + 1) return Posture::kSitting;
    if (*height >= top_mm - 1) return Posture::kStanding;
    return Posture::kBetween;
  }
  const double band = (stand_mm - sit_mm) / 4.0;
  if (*height <= sit_mm + band) return Posture::kSitting;
  if (*height >= stand_mm - band) return Posture::kStanding;
  return Posture::kBetween;
}

}  // namespace deskd::core
