#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace deskd::core {

// What the motor outputs are asked to do. There is no value for "both": the type itself makes
// driving both directions at once unrepresentable (safety invariant 1).
enum class Drive : std::uint8_t { kNone, kUp, kDown };

// Latched faults, named as in the MQTT contract (`fault` in B/state).
enum class Fault : std::uint8_t { kNone, kStall, kObstruction, kTimeout, kLimit, kSensor, kGpio };

// The motion state machine's states.
enum class MotionState : std::uint8_t {
  kUnknown,  // idle, position unknown: only calibrate (and manual use) possible
  kIdle,     // idle, position known
  kMovingUp,
  kMovingDown,
  kReversePause,  // outputs off, waiting out the dead time before a new direction
  kCalibrating,   // driving down to the bottom end stop / limit switch to zero the position
  kFault,         // outputs off, a fault is latched until clear_fault
};

enum class Posture : std::uint8_t { kSitting, kStanding, kBetween, kUnknown };

// How the position is known (`[sensor] kind`).
enum class SensorKind : std::uint8_t { kEncoder, kTimed, kNone, kBus };

// A desk error the bus controller reported (fault_detail carries its code, e.g. "E01").
// kObstruction: the desk stopped itself while driven (a Bluetooth desk's anti-collision).
enum class BusFault : std::uint8_t { kNone, kSensor, kLimit, kObstruction };

std::string_view to_string(Drive d);
std::string_view to_string(Fault f);
std::string_view to_string(MotionState s);
std::string_view to_string(Posture p);
std::string_view to_string(SensorKind k);
std::optional<Fault> fault_from_string(std::string_view s);
std::optional<Posture> posture_from_string(std::string_view s);
std::optional<SensorKind> sensor_kind_from_string(std::string_view s);

}  // namespace deskd::core
