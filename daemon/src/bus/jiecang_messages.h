#pragma once

#include <optional>
#include <vector>

#include "bus/bus_types.h"
#include "bus/jiecang_frame.h"

namespace deskd::bus {

// Jiecang command bytes (phord/Jarvis src/ProtocolFully.cpp names most of them;
// Rocka84/esphome_components jiecang_desk_controller.cpp uses 05/06/27/28 to recall presets).
namespace jiecang {
// Controller -> handset.
inline constexpr std::uint8_t kHeight = 0x01;          // HI LO [x]: the height, raw units
inline constexpr std::uint8_t kPhysicalLimits = 0x07;  // MAXHI MAXLO MINHI MINLO
inline constexpr std::uint8_t kLimitFlags = 0x20;      // which user limits are set
inline constexpr std::uint8_t kUserMax = 0x21;         // HI LO
inline constexpr std::uint8_t kUserMin = 0x22;         // HI LO
inline constexpr std::uint8_t kLimitStop = 0x23;       // 01 max / 02 min reached
inline constexpr std::uint8_t kPreset1 = 0x25;         // 0x25-0x28: presets 1-4, HI LO
inline constexpr std::uint8_t kReset = 0x40;           // the desk shows RESET: position lost
// Handset -> controller.
inline constexpr std::uint8_t kUp = 0x01;
inline constexpr std::uint8_t kDown = 0x02;
inline constexpr std::uint8_t kRecall1 = 0x05;
inline constexpr std::uint8_t kRecall2 = 0x06;
inline constexpr std::uint8_t kRecall3 = 0x27;
inline constexpr std::uint8_t kRecall4 = 0x28;
inline constexpr std::uint8_t kQuery = 0x07;
// HI LO: the controller's own go-to, in mm even on a desk that reports tenths of an inch (the
// Staples/Uplift desk in C-Lock/desk_control hex_crazyness: 1B 03DE = 990 mm while its height
// frames read 0x0185 = 38.9 in = 988 mm on arrival).
inline constexpr std::uint8_t kGoTo = 0x1B;
inline constexpr std::uint8_t kWake = 0x29;
inline constexpr std::uint8_t kStop = 0x2B;
}  // namespace jiecang

// deskd's side: what a controller (F2) frame reports. Unknown commands are OtherReport.
std::vector<Report> interpret_jiecang(const JiecangFrame& frame);
// deskd's side: the handset (F1) frame for a command.
JiecangFrame jiecang_command(const Command& command);

// The simulated controller's side: the command in a handset frame (nullopt: not one deskd
// knows), and the controller frames it sends.
std::optional<Command> jiecang_command_from(const JiecangFrame& frame);
// nullopt for physical limits (they travel in pairs: jiecang_physical_limits).
std::optional<JiecangFrame> jiecang_report(const Report& report);
JiecangFrame jiecang_physical_limits(int max_raw, int min_raw);

}  // namespace deskd::bus
