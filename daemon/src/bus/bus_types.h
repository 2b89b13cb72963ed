#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace deskd::bus {

// Which controller family speaks on the port (`[bus] protocol`). Configured, never guessed.
enum class Protocol : std::uint8_t { kJiecang, kLoctek };

// What one unit of the controller's height numbers is (`[bus] height_unit`): 1 mm (a metric
// desk; Loctek shows centimetres with a decimal point, i.e. tenths of a centimetre) or 0.1 inch.
enum class HeightUnit : std::uint8_t { kMm, kInchTenths };

// How a Loctek display shows whole units (from 100.0 up, "123"): rounded to the nearest unit
// (the Flexispot E5B, nv1t/standing-desk-interceptor) or truncated (`[bus] whole_units`).
enum class WholeUnits : std::uint8_t { kRound, kTruncate };

std::string_view to_string(Protocol p);
std::string_view to_string(HeightUnit u);
std::string_view to_string(WholeUnits w);
std::optional<Protocol> protocol_from_string(std::string_view s);
std::optional<HeightUnit> height_unit_from_string(std::string_view s);

// Converts the controller's raw height number to millimetres and back (rounded to the unit).
double raw_to_mm(int raw, HeightUnit unit);
int mm_to_raw(double mm, HeightUnit unit);

// What deskd asks the controller to do.
// kGoTo's `value` is in mm whatever the height unit: an inch desk reports tenths of an inch but
// takes its go-to in mm (the Staples/Uplift desk in C-Lock/desk_control).
enum class CommandKind : std::uint8_t {
  kWake,    // wake the controller / display (it then reports its height)
  kUp,      // move up (repeat while moving)
  kDown,    // move down (repeat while moving)
  kStop,    // stop now
  kQuery,   // ask for settings: presets and limits (Jiecang)
  kGoTo,    // the controller's own go-to (Jiecang 1B), `value` in mm
  kPreset,  // recall memory preset `value` (1-4)
};
struct Command {
  CommandKind kind = CommandKind::kStop;
  int value = 0;
  friend bool operator==(const Command&, const Command&) = default;
};

// A desk error the controller shows: deskd maps kSensor / kLimit onto its faults.
enum class DeskError : std::uint8_t { kSensor, kLimit };

// What a controller frame means to deskd. Heights are raw (see HeightUnit).
struct HeightReport {
  int raw = 0;
  friend bool operator==(const HeightReport&, const HeightReport&) = default;
};
struct PresetReport {
  int slot = 0;  // 1-4
  int raw = 0;
  friend bool operator==(const PresetReport&, const PresetReport&) = default;
};
enum class LimitKind : std::uint8_t { kPhysicalMax, kPhysicalMin, kUserMax, kUserMin };
struct LimitReport {
  LimitKind kind = LimitKind::kUserMax;
  int raw = 0;
  friend bool operator==(const LimitReport&, const LimitReport&) = default;
};
struct ErrorReport {
  DeskError error = DeskError::kSensor;
  std::string code;  // as the display shows it: "E01", "RST", "H01"
  friend bool operator==(const ErrorReport&, const ErrorReport&) = default;
};
// A display that is neither a height nor a desk error: the Loctek sit/stand reminder's countdown
// (" 99"), the preset-store prompt ("S-1"), a menu. Normal use, not a fault: "no height now".
struct DisplayReport {
  std::string text;  // as the display shows it, e.g. " 99", "S-1"
  friend bool operator==(const DisplayReport&, const DisplayReport&) = default;
};
// A well-formed frame deskd does not use (display off, settings it ignores).
struct OtherReport {
  int code = 0;  // the frame's command / type byte
  friend bool operator==(const OtherReport&, const OtherReport&) = default;
};
using Report =
    std::variant<HeightReport, PresetReport, LimitReport, ErrorReport, DisplayReport, OtherReport>;

}  // namespace deskd::bus
