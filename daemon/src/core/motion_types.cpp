#include "core/motion_types.h"

#include <array>
#include <utility>

namespace deskd::core {
namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "?";
}

constexpr std::array<std::pair<Drive, std::string_view>, 3> kDrives{
    {{Drive::kNone, "stopped"}, {Drive::kUp, "up"}, {Drive::kDown, "down"}}};
constexpr std::array<std::pair<Fault, std::string_view>, 7> kFaults{
    {{Fault::kNone, "none"},
     {Fault::kStall, "stall"},
     {Fault::kObstruction, "obstruction"},
     {Fault::kTimeout, "timeout"},
     {Fault::kLimit, "limit"},
     {Fault::kSensor, "sensor"},
     {Fault::kGpio, "gpio"}}};
constexpr std::array<std::pair<MotionState, std::string_view>, 7> kStates{
    {{MotionState::kUnknown, "unknown"},
     {MotionState::kIdle, "idle"},
     {MotionState::kMovingUp, "moving_up"},
     {MotionState::kMovingDown, "moving_down"},
     {MotionState::kReversePause, "reverse_pause"},
     {MotionState::kCalibrating, "calibrating"},
     {MotionState::kFault, "fault"}}};
constexpr std::array<std::pair<Posture, std::string_view>, 4> kPostures{
    {{Posture::kSitting, "sitting"},
     {Posture::kStanding, "standing"},
     {Posture::kBetween, "between"},
     {Posture::kUnknown, "unknown"}}};
constexpr std::array<std::pair<SensorKind, std::string_view>, 4> kSensorKinds{
    {{SensorKind::kEncoder, "encoder"},
     {SensorKind::kTimed, "timed"},
     {SensorKind::kNone, "none"},
     {SensorKind::kBus, "bus"}}};

}  // namespace

std::string_view to_string(Drive d) { return name_of(kDrives, d); }
std::string_view to_string(Fault f) { return name_of(kFaults, f); }
std::string_view to_string(MotionState s) { return name_of(kStates, s); }
std::string_view to_string(Posture p) { return name_of(kPostures, p); }
std::string_view to_string(SensorKind k) { return name_of(kSensorKinds, k); }
std::optional<Fault> fault_from_string(std::string_view s) { return lookup(kFaults, s); }
std::optional<Posture> posture_from_string(std::string_view s) { return lookup(kPostures, s); }
std::optional<SensorKind> sensor_kind_from_string(std::string_view s) {
  return lookup(kSensorKinds, s);
}

}  // namespace deskd::core
