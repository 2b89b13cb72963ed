#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/local_time.h"
#include "core/motion_types.h"
#include "core/time.h"

namespace deskd::core {

// Today's posture as a list of periods (issue 23: a fresh dashboard shows the real morning, not
// only what its own browser saw). A period runs from its start to the next one's start; the last
// one runs until now. A new local day starts a new list, whose first period starts at the
// first observation of that day (midnight if deskd ran through it). Kept in memory: a restart of
// deskd starts the day's list again (the day's totals in the statistics are kept).
class DayTimeline {
 public:
  struct Period {
    WallTime start;
    Posture posture = Posture::kUnknown;
    bool operator==(const Period&) const = default;
  };
  // A day with more changes than this drops its oldest periods (one every 50 s for 14 hours).
  static constexpr std::size_t kMaxPeriods = 1000;

  // The posture at `wall`. A wall time before the last period's start (the clock was set back)
  // changes nothing; an untrusted clock is not recorded at all.
  void observe(Posture posture, WallTime wall, bool clock_trusted = true);

  // The local date of the periods; nullopt before the first observation.
  std::optional<CivilDate> date() const { return date_; }
  const std::vector<Period>& periods() const { return periods_; }
  // Grows by one whenever periods() or date() changes (to publish only what changed).
  std::size_t revision() const { return revision_; }

 private:
  std::optional<CivilDate> date_;
  std::vector<Period> periods_;
  std::size_t revision_ = 0;
};

}  // namespace deskd::core
