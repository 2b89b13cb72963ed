#pragma once

#include <chrono>
#include <optional>

#include "core/motion_types.h"
#include "core/schedule_settings.h"
#include "core/time.h"

namespace deskd::core {

// When the comfort check-in asks (schedule comfort_checkin, issue 24 §3). Pure; time is an
// argument. The Scheduler feeds it every sit/stand posture it sees.
//
// Rules:
// - after_stand: the question opens when the posture turns from standing to sitting after at
//   least kMinStand of standing (a standing period ended, by any cause).
// - daily: the question opens at the first sitting <-> standing change of a local date, unless
//   that date was already asked or has an answer.
// - off: never asked.
// - Only while asking is allowed (`may_ask`: the schedule is on, someone is at the desk, the
//   clock is trusted); a change seen while not allowed is not asked later.
// - A question stays open kAnswerWindow (again from the latest question), until answered, or
//   until a clock jump. An answer after midnight is the new date's answer.
class ComfortCheckin {
 public:
  static constexpr std::chrono::minutes kAnswerWindow{30};
  static constexpr std::chrono::minutes kMinStand{5};

  // A sit/stand posture seen at `now`; true when the question opens now.
  bool observe(ComfortCheckinMode mode, Posture p, WallTime now, bool may_ask);
  // An answer was recorded at `now` (asked or not): the question closes.
  void answered(WallTime now);
  // The statistics hold an answer of local date `d` (after a restart): daily does not ask it.
  void answered_on(CivilDate d);
  // The wall clock jumped: an open question closes, standing time restarts.
  void clock_jumped(WallTime now);

  bool open(WallTime now) const { return open_until_ && now < *open_until_; }
  // When the open question closes by itself (a wake-up for B/state); nullopt when none is open.
  std::optional<WallTime> closes_at() const { return open_until_; }

 private:
  bool due(ComfortCheckinMode mode, Posture p, WallTime now) const;

  std::optional<Posture> last_;
  std::optional<WallTime> standing_since_;
  std::optional<WallTime> open_until_;
  std::optional<CivilDate> asked_on_;
  std::optional<CivilDate> answered_on_;
};

}  // namespace deskd::core
