#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/input_snapshot.h"
#include "core/motion_settings.h"
#include "core/motion_types.h"
#include "core/time.h"

namespace deskd::core {

// A reason from the sensor itself to stop the motor and latch a fault.
struct SensorProblem {
  Fault fault = Fault::kSensor;
  std::string detail;
};

// How `calibrate` establishes the position with this sensor.
enum class Calibration : std::uint8_t {
  kEndStopEvidence,  // drive down until the bottom limit switch, or an end-stop stall after the
                     // sensor counted the travel (DESIGN.md §4 invariant 5)
  kTimedRun,         // no travel sensor: drive down for the full travel time, then assume the end
  kReadHeight,       // absolute sensor: the height is read, nothing moves
};

// What the controller knows about the position, one implementation per `[sensor] kind`. The
// controller asks it for the height and for travel; it never asks which kind it is.
class PositionEstimator {
 public:
  virtual ~PositionEstimator() = default;

  // The best estimate of the height now; nullopt while unknown.
  virtual std::optional<double> height(SteadyTime now) const = 0;
  // Travel as the sensor measures it (mm, up positive; an arbitrary origin), for progress, speed
  // and coast. nullopt for kinds that measure no travel.
  virtual std::optional<double> travel_mm() const = 0;
  // How far the height may be extrapolated past the last reading while driving (one count).
  virtual double resolution_mm() const { return 0.0; }
  // How far the height may be off because of readings the sensor could not decode since it was
  // last zeroed (mm, 0: none). height() stays the best estimate; this says how much to doubt it.
  virtual double uncertainty_mm() const { return 0.0; }
  // The height set last was saved with this doubt (a restart keeps it until the next re-zero).
  virtual void restore_uncertainty(double /*mm*/) {}
  virtual Calibration calibration() const = 0;
  // Only the two end stops can be reached (no sensor): a move runs to the nearer one.
  virtual bool end_stops_only() const { return false; }

  // The inputs changed. Returns a problem the sensor reports about itself (while `drive` runs,
  // or at any time for an error the desk shows).
  virtual std::optional<SensorProblem> read(const InputSnapshot& in, SteadyTime now,
                                            Drive drive) = 0;
  // The same judgement without new input (a height that went stale while driving).
  virtual std::optional<SensorProblem> check(SteadyTime /*now*/, Drive /*drive*/) const {
    return std::nullopt;
  }
  // When check() can next find a problem while `drive` runs; nullopt: never by itself.
  virtual std::optional<SteadyTime> check_at(Drive /*drive*/) const { return std::nullopt; }

  // The desk is known to be at `h` (a limit switch, an end stop): re-zero.
  virtual void set_height(double h) = 0;
  // Position unknown (invariant 5). An absolute sensor keeps reading the height.
  virtual void forget() = 0;
  // The motor outputs changed to `d` at `now`.
  virtual void drive_changed(Drive /*d*/, SteadyTime /*now*/) {}
  // The handset was held `dir` from `since` to `now` (a manual move the sensor may not see).
  virtual void handset_released(Drive /*dir*/, SteadyTime /*since*/, SteadyTime /*now*/) {}
};

// The estimator for `settings.sensor`; speeds are the expected (or learned) ones.
std::unique_ptr<PositionEstimator> make_position_estimator(const MotionSettings& settings,
                                                           const InputSnapshot& inputs,
                                                           double up_speed_mm_s,
                                                           double down_speed_mm_s);

}  // namespace deskd::core
