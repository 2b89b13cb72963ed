#include "core/comfort_checkin.h"

#include "core/local_time.h"

namespace deskd::core {

bool ComfortCheckin::due(ComfortCheckinMode mode, Posture p, WallTime now) const {
  switch (mode) {
    case ComfortCheckinMode::kOff:
      return false;
    case ComfortCheckinMode::kAfterStand:
      return p == Posture::kSitting && last_ == Posture::kStanding && standing_since_ &&
             now - *standing_since_ >= kMinStand;
    case ComfortCheckinMode::kDaily: {
      const CivilDate today = local_date(now);
      return last_ && *last_ != p && asked_on_ != today && answered_on_ != today;
    }
  }
  return false;
}

bool ComfortCheckin::observe(ComfortCheckinMode mode, Posture p, WallTime now, bool may_ask) {
  if (p != Posture::kSitting && p != Posture::kStanding) return false;
  if (open_until_ && now >= *open_until_) open_until_.reset();
  if (last_ == p) return false;
  const bool ask = may_ask && due(mode, p, now);
  if (p == Posture::kStanding) standing_since_ = now;
  last_ = p;
  if (!ask) return false;
  open_until_ = now + kAnswerWindow;
  asked_on_ = local_date(now);
  return true;
}

void ComfortCheckin::answered(WallTime now) {
  open_until_.reset();
  answered_on_ = local_date(now);
}

void ComfortCheckin::answered_on(CivilDate d) {
  if (!answered_on_ || *answered_on_ < d) answered_on_ = d;
}

void ComfortCheckin::clock_jumped(WallTime now) {
  open_until_.reset();
  if (last_ == Posture::kStanding) standing_since_ = now;
}

}  // namespace deskd::core
