#include "bus/bus_types.h"

#include <cmath>

namespace deskd::bus {

namespace {
constexpr double kMmPerInchTenth = 2.54;
}  // namespace

std::string_view to_string(Protocol p) { return p == Protocol::kJiecang ? "jiecang" : "loctek"; }

std::string_view to_string(HeightUnit u) { return u == HeightUnit::kMm ? "mm" : "inch_tenths"; }

std::string_view to_string(WholeUnits w) { return w == WholeUnits::kRound ? "round" : "truncate"; }

std::optional<Protocol> protocol_from_string(std::string_view s) {
  if (s == "jiecang") return Protocol::kJiecang;
  if (s == "loctek") return Protocol::kLoctek;
  return std::nullopt;
}

std::optional<HeightUnit> height_unit_from_string(std::string_view s) {
  if (s == "mm") return HeightUnit::kMm;
  if (s == "inch_tenths") return HeightUnit::kInchTenths;
  return std::nullopt;
}

double raw_to_mm(int raw, HeightUnit unit) {
  return unit == HeightUnit::kMm ? static_cast<double>(raw) : raw * kMmPerInchTenth;
}

int mm_to_raw(double mm, HeightUnit unit) {
  return static_cast<int>(std::lround(unit == HeightUnit::kMm ? mm : mm / kMmPerInchTenth));
}

}  // namespace deskd::bus
