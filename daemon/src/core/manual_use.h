#pragma once

#include <optional>

#include "core/motion_effects.h"
#include "core/time.h"

namespace deskd::core {

// Someone moves the desk by hand (handset, or motion the sensor sees while deskd does not drive).
// It ends quietly_for after the last change with the handset released, with one `manual_move`
// notice from where it began to where it ended.
class ManualUse {
 public:
  explicit ManualUse(std::chrono::milliseconds quietly_for) : quietly_for_(quietly_for) {}

  bool active() const { return active_; }
  bool handset_held() const { return handset_since_.has_value(); }
  Drive handset_dir() const { return handset_dir_; }
  std::optional<SteadyTime> handset_since() const { return handset_since_; }

  // Motion seen while not driving; `from` is the height before it.
  void moved(std::optional<double> from, SteadyTime now);
  void handset_pressed(Drive dir, std::optional<double> from, SteadyTime now);
  void handset_released(SteadyTime now);
  // When the manual move counts as over; nullopt while none is active or the handset is held.
  std::optional<SteadyTime> ends_at() const;
  // Ends the manual move (deskd takes over, or ends_at() passed) and reports it.
  std::optional<MotionNotice> end(std::optional<double> height);

 private:
  std::chrono::milliseconds quietly_for_;
  bool active_ = false;
  std::optional<double> from_;
  SteadyTime last_change_{};
  std::optional<SteadyTime> handset_since_;
  Drive handset_dir_ = Drive::kNone;
};

}  // namespace deskd::core
