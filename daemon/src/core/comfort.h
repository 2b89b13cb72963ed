#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/day_stats.h"

namespace deskd::core {

// Comfort answers ("How does your back feel? 1-5", issue 24 §3). A day keeps the sum and the
// number of its answers (DayStats); its comfort is their mean. A day is bad when that mean is at
// most kBadComfort.
inline constexpr int kMinComfort = 1;
inline constexpr int kMaxComfort = 5;
inline constexpr double kBadComfort = 2.0;

// Why `value` is not a comfort answer (outside 1..5); nullopt when it is.
std::optional<std::string> comfort_error(int value);

// The mean of the day's answers; nullopt without one.
std::optional<double> day_comfort(const DayStats& d);

struct ComfortDay {
  CivilDate date;
  double mean = 0;
  friend bool operator==(const ComfortDay&, const ComfortDay&) = default;
};
// The days with an answer, oldest first.
using ComfortLog = std::vector<ComfortDay>;
ComfortLog comfort_log(const std::vector<DayStats>& history);

// The mean over all answers of the dates [from, to] (each day weighted by its number of answers,
// from the history); nullopt without an answer.
std::optional<double> mean_comfort(const std::vector<DayStats>& history, CivilDate from,
                                   CivilDate to);
// The mean of the days' means in [from, to] of `log`; nullopt without an answered day.
std::optional<double> mean_comfort(const ComfortLog& log, CivilDate from, CivilDate to);

// A comfort figure in words: 4 -> "4", 3.5 -> "3.5" (one decimal).
std::string comfort_text(double mean);

}  // namespace deskd::core
