#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The Linak DPG desks' GATT protocol (IKEA IDÅSEN and other Linak Bluetooth desks), as pure
// codecs: characteristic values in, typed values out, and commands back to bytes. Checked against
// the public notes (none of their code copied):
// - anson-vandoren/linak-desk-spec spec.md: the services and characteristics with their handles
//   and defaults (reference output 0x2A 16 00 00), the up/down/stop control commands, the
//   reference-input stop 0x01 0x80, the DPG handshake (0x7F cmd 0x00; answers 0x01 len ...; the
//   base offset 0x7F 0x81 0x00 -> 0x01 03 01 66 18), and that up/down move a desk only for about
//   a second unless repeated;
// - newAM/idasen idasen/__init__.py: the UUIDs, 0x47 00 up, 0x46 00 down, 0xFF 00 stop, the
//   4-byte height value (little-endian, 0.1 mm above the base);
// - rhyst/linak-controller linak_controller/gatt.py and desk.py: wake 0xFE 00, the speed as a
//   signed little-endian 16-bit value in 0.01 mm/s, the move-to target as little-endian 0.1 mm on
//   reference input one, rewritten while the desk moves, the DPG base offset (answer bytes 3-4,
//   0.1 mm) and the DPG1C user-id quirk (command 0x86: the first byte of the id must be 1).
namespace deskd::bus::linak {

using Bytes = std::vector<std::uint8_t>;

// Service and characteristic UUIDs (BlueZ spells them in lower case).
inline constexpr std::string_view kControlService = "99fa0001-338a-1024-8a49-009c0215f78a";
inline constexpr std::string_view kControlChar = "99fa0002-338a-1024-8a49-009c0215f78a";
inline constexpr std::string_view kControlErrorChar = "99fa0003-338a-1024-8a49-009c0215f78a";
inline constexpr std::string_view kDpgService = "99fa0010-338a-1024-8a49-009c0215f78a";
inline constexpr std::string_view kDpgChar = "99fa0011-338a-1024-8a49-009c0215f78a";
inline constexpr std::string_view kOutputService = "99fa0020-338a-1024-8a49-009c0215f78a";
inline constexpr std::string_view kHeightChar = "99fa0021-338a-1024-8a49-009c0215f78a";
inline constexpr std::string_view kInputService = "99fa0030-338a-1024-8a49-009c0215f78a";
inline constexpr std::string_view kMoveToChar = "99fa0031-338a-1024-8a49-009c0215f78a";

// The height characteristic's value: 0.1 mm above the desk's lowest position (its base) and the
// speed in 0.01 mm/s (negative: down).
struct Reference {
  int height_tenth_mm = 0;
  int speed_hundredth_mm_s = 0;
  double height_above_base_mm() const { return height_tenth_mm / 10.0; }
  double speed_mm_s() const { return speed_hundredth_mm_s / 100.0; }
  friend bool operator==(const Reference&, const Reference&) = default;
};

// Why a value was refused. Every refused value changes nothing.
enum class Refusal : std::uint8_t {
  kWrongLength,      // not the 4 bytes of height + speed
  kNoHeight,         // 0xFFFF: the "no value" a stuck byte reads as (6.5 m)
  kOutOfRange,       // higher above the base than any Linak column travels
  kImpossibleSpeed,  // faster than any Linak column moves
};
std::string_view to_string(Refusal r);

// No Linak column travels more than this above its base (IDÅSEN: 650 mm; the longest DPG
// columns about 700 mm) or faster than kMaxSpeedMmS (IDÅSEN ~ 38 mm/s).
inline constexpr int kMaxTravelTenthMm = 7500;
inline constexpr int kMaxSpeedHundredthMmS = 8000;

std::variant<Reference, Refusal> decode_reference(std::span<const std::uint8_t> value);

// Control characteristic commands (2 bytes, the second 0x00).
enum class Control : std::uint8_t { kUp, kDown, kStop, kWake };
Bytes encode_control(Control c);

// Reference input one: move to `tenth_mm` above the base (0 .. kMaxTravelTenthMm; the caller
// checks it against the desk's range). nullopt for a target the desk cannot take.
std::optional<Bytes> encode_move_to(int tenth_mm);
// Reference input one: cancel a move-to.
Bytes encode_move_to_stop();

// DPG: the read request for a command (0x7F cmd 0x00), and its answer on the same
// characteristic (0x01 len payload...; anything else is a refusal by the desk).
enum class DpgCommand : std::uint8_t { kCapabilities = 0x80, kBaseOffset = 0x81, kUserId = 0x86 };
Bytes encode_dpg_read(DpgCommand c);
// A DPG write (0x7F cmd 0x80 data...).
Bytes encode_dpg_write(DpgCommand c, std::span<const std::uint8_t> data);
// The payload of a DPG answer (after 0x01 and the length byte), nullopt if the desk refused.
std::optional<Bytes> decode_dpg_answer(std::span<const std::uint8_t> value);
// The base offset (the desk's lowest height) from the 0x81 answer's payload, in 0.1 mm; nullopt
// for a short payload or an offset no desk has (outside 300-1500 mm).
std::optional<int> decode_base_offset(std::span<const std::uint8_t> payload);
// The DPG1C quirk: a user id whose first byte is not 1 must be written back with it set to 1.
// nullopt when the id needs no change.
std::optional<Bytes> user_id_fix(std::span<const std::uint8_t> payload);

}  // namespace deskd::bus::linak
