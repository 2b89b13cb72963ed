#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/schedule_settings.h"
#include "core/time.h"

namespace deskd::core {

// [begin, end) in wall time.
struct WallInterval {
  WallTime begin;
  WallTime end;
  friend bool operator==(const WallInterval&, const WallInterval&) = default;
};

// The working windows and skip dates resolved to wall-clock intervals in the local zone.
// A window's ends are resolved with local_to_wall(): on a spring-forward day 02:00-03:00 is
// empty, on a fall-back day it lasts two hours. Results are cached per date, so the zone must not
// change while an object lives.
class ScheduleWindows {
 public:
  // How far stretch_at_or_after() looks ahead, and how far it merges touching intervals.
  static constexpr int kSearchDays = 400;
  static constexpr int kMergeDays = 16;

  ScheduleWindows(std::array<std::vector<TimeWindow>, 7> windows,
                  std::vector<CivilDate> skip_dates);

  bool is_skip_date(CivilDate d) const;
  // The intervals of local date `d`, sorted; empty on a skip date or a day without windows.
  const std::vector<WallInterval>& intervals(CivilDate d) const;
  // The working stretch containing `t`, else the next one after `t`; touching intervals (also
  // across midnight, up to kMergeDays) are one stretch. nullopt: none within kSearchDays.
  std::optional<WallInterval> stretch_at_or_after(WallTime t) const;
  bool contains(WallTime t) const;

 private:
  std::array<std::vector<TimeWindow>, 7> windows_;
  std::vector<CivilDate> skip_dates_;
  mutable std::unordered_map<std::int64_t, std::vector<WallInterval>> cache_;
};

}  // namespace deskd::core
