#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "bus/bus_types.h"
#include "bus/loctek_frame.h"

namespace deskd::bus {

namespace loctek {
inline constexpr std::uint8_t kDisplay = 0x12;  // controller -> panel: three 7-segment glyphs
inline constexpr std::uint8_t kCommand = 0x02;  // panel -> controller: two key bytes
}  // namespace loctek

// deskd's side. A display frame shows a height (three digits; a decimal point after the middle
// one means tenths: "72.5" -> 725, "123" -> 1230, in tenths of the display unit, i.e. the raw
// HeightUnit), a desk error (ErrorReport: "E01".."E99", "H01".."H99", "RST"), anything else the
// panel shows in normal use (DisplayReport: the sit/stand reminder's countdown " 99", the
// preset-store prompt "S-1"), or nothing (blank: OtherReport).
std::vector<Report> interpret_loctek(const LoctekFrame& frame);
// The command frame; nullopt for what Loctek controllers cannot do (go-to, query). Stop is a
// wake frame: the desk stops when the move frames stop.
std::optional<LoctekFrame> loctek_command(const Command& command);

// The simulated controller's side.
std::optional<Command> loctek_command_from(const LoctekFrame& frame);
// A display frame showing a raw height (tenths of the display unit), or text (up to three
// characters glyph_char() knows, e.g. "E01").
LoctekFrame loctek_height_display(int raw);
LoctekFrame loctek_text_display(std::string_view text);

// Which deskd fault a displayed text means, nullopt if it is no error code: H + two digits (the
// controller's duty-cycle / overheat protection) is kLimit; E + two digits and RST are kSensor.
std::optional<DeskError> loctek_error_kind(std::string_view text);

}  // namespace deskd::bus
