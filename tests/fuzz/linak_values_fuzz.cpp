// libFuzzer target for the Linak GATT codec (daemon/src/bus/linak_protocol.h). Beyond "no crash"
// it checks what makes a value a height: an accepted reference value is 4 bytes, never 0xFFFF,
// within the travel and speed bounds, and re-encodes to the same bytes; a DPG answer is only
// accepted with its 0x01 status; a base offset is only a plausible one; a move-to target
// round-trips. Seeds: tests/fuzz/corpus/linak_values (values from the public notes).
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>

#include "bus/linak_protocol.h"

namespace {

namespace linak = deskd::bus::linak;

void require(bool ok) {
  if (!ok) std::abort();
}

void check_reference(std::span<const std::uint8_t> v) {
  const auto decoded = linak::decode_reference(v);
  const auto* r = std::get_if<linak::Reference>(&decoded);
  if (!r) return;
  require(v.size() == 4);
  require(r->height_tenth_mm >= 0 && r->height_tenth_mm <= linak::kMaxTravelTenthMm);
  require(r->speed_hundredth_mm_s >= -linak::kMaxSpeedHundredthMmS &&
          r->speed_hundredth_mm_s <= linak::kMaxSpeedHundredthMmS);
  const auto target = linak::encode_move_to(r->height_tenth_mm);
  require(target && (*target)[0] == v[0] && (*target)[1] == v[1]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> v(data, size);
  check_reference(v);
  if (const auto payload = linak::decode_dpg_answer(v)) {
    require(size >= 2 && data[0] == 0x01 && payload->size() == size - 2);
    if (const auto base = linak::decode_base_offset(*payload)) {
      require(*base >= 3000 && *base <= 15000);
    }
    if (const auto fixed = linak::user_id_fix(*payload)) require((*fixed)[0] == 1);
  }
  return 0;
}
