#include "core/coast_learner.h"

#include <algorithm>

namespace deskd::core {
namespace {

// Weight of a new sample once a few are known; early samples are averaged evenly.
constexpr double kMinWeight = 0.25;
constexpr double kMinSpeedToLearn = 5.0;  // mm/s
constexpr double kMaxCoastS = 1.0;
constexpr double kBoundMargin = 1.5;

}  // namespace

CoastLearner::CoastLearner(double initial_s, Model restored)
    : initial_s_(initial_s), model_(restored) {}

double CoastLearner::predict(Drive dir, double speed_mm_s) const {
  const bool up = dir == Drive::kUp;
  const int n = up ? model_.samples_up : model_.samples_down;
  if (n == 0) return std::max(0.0, initial_s_ * speed_mm_s);
  const double k = up ? model_.up_s : model_.down_s;
  return std::max(0.0, k * speed_mm_s * speed_mm_s);
}

bool CoastLearner::plausible(double coast_mm, double speed_mm_s) {
  return coast_mm >= 0.0 && coast_mm <= kMaxCoastS * std::max(0.0, speed_mm_s);
}

void CoastLearner::learn(Drive dir, double speed_mm_s, double coast_mm) {
  if (dir == Drive::kNone || speed_mm_s < kMinSpeedToLearn || coast_mm < 0.0) return;
  if (coast_mm / speed_mm_s > kMaxCoastS) return;
  const double k = coast_mm / (speed_mm_s * speed_mm_s);
  const bool up = dir == Drive::kUp;
  int& n = up ? model_.samples_up : model_.samples_down;
  double& value = up ? model_.up_s : model_.down_s;
  const double weight = std::max(kMinWeight, 1.0 / (n + 1));
  value = n == 0 ? k : value + weight * (k - value);
  n = std::min(n + 1, 1000);
}

void CoastLearner::observe(Drive dir, double speed_mm_s, double coast_mm) {
  if (dir == Drive::kNone || speed_mm_s < kMinSpeedToLearn || coast_mm < 0.0) return;
  if (coast_mm / speed_mm_s > kMaxCoastS) return;  // not a coast: moved by hand
  std::optional<double>& worst = dir == Drive::kUp ? worst_up_k_ : worst_down_k_;
  const double k = coast_mm / (speed_mm_s * speed_mm_s);
  worst = std::max(worst.value_or(0.0), k);
}

double CoastLearner::bound(Drive dir, double speed_mm_s, double prior_s) const {
  const std::optional<double>& worst = dir == Drive::kUp ? worst_up_k_ : worst_down_k_;
  const double v = std::max(0.0, speed_mm_s);
  const double seen = worst ? *worst * v * v : prior_s * v;
  return kBoundMargin * std::max(seen, predict(dir, v));
}

}  // namespace deskd::core
