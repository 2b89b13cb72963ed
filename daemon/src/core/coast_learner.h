#pragma once

#include <optional>

#include "core/motion_types.h"

namespace deskd::core {

// Learns how far the desk coasts after the motor stops, per direction, from completed moves.
// The desk brakes with a roughly constant deceleration, so coast = k * speed^2; the learned
// value is k (s^2/mm) per direction. Before any sample the prediction is initial_s * speed.
// The controller stops ahead of the target by predict().
struct CoastModel {
  double up_s = 0.0;  // k of coast_mm = k * speed^2, moving up (s^2/mm)
  double down_s = 0.0;
  int samples_up = 0;
  int samples_down = 0;
};

class CoastLearner {
 public:
  using Model = CoastModel;

  explicit CoastLearner(double initial_s, Model restored = {});

  // Predicted coast in mm when stopping at `speed_mm_s` while driving `dir`.
  double predict(Drive dir, double speed_mm_s) const;
  // Records a completed stop: the desk travelled `coast_mm` after the stop at `speed_mm_s`.
  // Implausible samples (negative, or a speed too low to learn from) are ignored.
  void learn(Drive dir, double speed_mm_s, double coast_mm);
  // Records the coast of every stop this process saw (learned or not); bound() uses the worst.
  void observe(Drive dir, double speed_mm_s, double coast_mm);
  // The largest coast known at `speed_mm_s`, with a 1.5 margin: the worst one this process
  // observed (as k), or `prior_s * speed` before any in `dir`, and at least predict().
  double bound(Drive dir, double speed_mm_s, double prior_s) const;
  // Whether `coast_mm` after a stop at `speed_mm_s` can be a coast at all (what learn() accepts).
  static bool plausible(double coast_mm, double speed_mm_s);
  // A sample was learned for `dir` (else predict() is the prior).
  bool learned(Drive dir) const {
    return (dir == Drive::kUp ? model_.samples_up : model_.samples_down) > 0;
  }
  const Model& model() const { return model_; }

 private:
  double initial_s_;
  Model model_;
  std::optional<double> worst_up_k_;  // this process only
  std::optional<double> worst_down_k_;
};

}  // namespace deskd::core
