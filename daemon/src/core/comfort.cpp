#include "core/comfort.h"

#include <algorithm>
#include <cmath>

namespace deskd::core {

std::optional<std::string> comfort_error(int value) {
  if (value >= kMinComfort && value <= kMaxComfort) return std::nullopt;
  return "comfort: expected an integer from 1 to 5, got " + std::to_string(value);
}

std::optional<double> day_comfort(const DayStats& d) {
  if (d.comfort_answers <= 0) return std::nullopt;
  return static_cast<double>(d.comfort_sum) / d.comfort_answers;
}

ComfortLog comfort_log(const std::vector<DayStats>& history) {
  ComfortLog log;
  for (const DayStats& d : history) {
    if (auto mean = day_comfort(d)) log.push_back({d.date, *mean});
  }
  return log;
}

std::optional<double> mean_comfort(const std::vector<DayStats>& history, CivilDate from,
                                   CivilDate to) {
  long long sum = 0;
  long long answers = 0;
  for (const DayStats& d : history) {
    if (d.date < from || to < d.date) continue;
    sum += d.comfort_sum;
    answers += d.comfort_answers;
  }
  if (answers == 0) return std::nullopt;
  return static_cast<double>(sum) / static_cast<double>(answers);
}

std::optional<double> mean_comfort(const ComfortLog& log, CivilDate from, CivilDate to) {
  auto it = std::lower_bound(log.begin(), log.end(), from,
                             [](const ComfortDay& a, const CivilDate& b) { return a.date < b; });
  double sum = 0;
  int days = 0;
  for (; it != log.end() && !(to < it->date); ++it) {
    sum += it->mean;
    ++days;
  }
  if (days == 0) return std::nullopt;
  return sum / days;
}

std::string comfort_text(double mean) {
  const long tenths = std::lround(mean * 10);
  if (tenths % 10 == 0) return std::to_string(tenths / 10);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

}  // namespace deskd::core
