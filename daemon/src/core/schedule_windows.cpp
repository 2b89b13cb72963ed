#include "core/schedule_windows.h"

#include <algorithm>
#include <utility>

#include "core/local_time.h"

namespace deskd::core {
namespace {
constexpr std::size_t kMaxCachedDays = 64;
}  // namespace

ScheduleWindows::ScheduleWindows(std::array<std::vector<TimeWindow>, 7> windows,
                                 std::vector<CivilDate> skip_dates)
    : windows_(std::move(windows)), skip_dates_(std::move(skip_dates)) {
  for (auto& day : windows_) {
    std::sort(day.begin(), day.end(),
              [](const TimeWindow& a, const TimeWindow& b) { return a.start_min < b.start_min; });
  }
  std::sort(skip_dates_.begin(), skip_dates_.end());
}

bool ScheduleWindows::is_skip_date(CivilDate d) const {
  return std::binary_search(skip_dates_.begin(), skip_dates_.end(), d);
}

const std::vector<WallInterval>& ScheduleWindows::intervals(CivilDate d) const {
  const std::int64_t key = day_number(d);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxCachedDays) cache_.clear();
  std::vector<WallInterval> out;
  if (!is_skip_date(d)) {
    for (const TimeWindow& w : windows_[static_cast<std::size_t>(weekday(d))]) {
      const WallInterval iv{local_to_wall(d, w.start_min), local_to_wall(d, w.end_min)};
      if (iv.begin < iv.end) out.push_back(iv);
    }
  }
  return cache_.emplace(key, std::move(out)).first->second;
}

std::optional<WallInterval> ScheduleWindows::stretch_at_or_after(WallTime t) const {
  // Start a day early: a reading of the previous date can still be in force after a fall-back
  // at midnight.
  const CivilDate first = add_days(local_date(t), -1);
  for (int i = 0; i <= kSearchDays; ++i) {
    const CivilDate d = add_days(first, i);
    for (const WallInterval& iv : intervals(d)) {
      if (iv.end <= t) continue;
      WallInterval stretch = iv;
      // Merge following intervals that start where the stretch ends (intervals are sorted).
      for (int j = i; j <= i + kMergeDays; ++j) {
        bool grew = false;
        for (const WallInterval& next : intervals(add_days(first, j))) {
          if (next.begin <= stretch.end && next.end > stretch.end) {
            stretch.end = next.end;
            grew = true;
          }
        }
        if (j > i && !grew) break;
      }
      return stretch;
    }
  }
  return std::nullopt;
}

bool ScheduleWindows::contains(WallTime t) const {
  const auto s = stretch_at_or_after(t);
  return s && s->begin <= t;
}

}  // namespace deskd::core
