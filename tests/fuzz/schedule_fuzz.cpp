// Fuzzes the schedule codec (mqtt/schedule_codec.h): a schedule/set patch applied to a schedule
// that was itself built by a patch (input: the base patch, a 0xff byte, then the patch).
// Invariants: a schedule the codec accepts is valid, its B/schedule document applied to the
// defaults gives the same schedule (round trip), and the document of that schedule is
// unchanged; a refusal starts with the name of the field (a key of the patch, a field of the
// document or a weekday) and applies nothing.
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "core/schedule_settings.h"
#include "fuzz_check.h"
#include "mqtt/json_util.h"
#include "mqtt/schedule_codec.h"

namespace {

using deskd::core::ScheduleSettings;
using Result = std::variant<ScheduleSettings, std::string>;

bool names_field(const std::string& e, const boost::json::object& patch) {
  static const boost::json::object document = deskd::mqtt::schedule_to_json(ScheduleSettings{});
  auto named = [&e](std::string_view field) {
    const std::string f(field);
    return deskd::fuzz::starts_with(e, f + ": ") || deskd::fuzz::starts_with(e, f + ".") ||
           deskd::fuzz::starts_with(e, f + "[");
  };
  for (const auto& kv : patch) {
    if (named(kv.key())) return true;
  }
  for (const auto& kv : document) {
    if (named(kv.key())) return true;
  }
  for (std::string_view day : deskd::core::kWeekdayKeys) {
    if (named(day)) return true;
  }
  return false;
}

// Applies `payload` to `base`; nullopt when it is not a JSON object (the daemon's "invalid JSON").
std::optional<Result> apply_payload(const ScheduleSettings& base, std::string_view payload) {
  std::string error;
  auto patch = deskd::mqtt::parse_json_object(payload, &error);
  if (!patch) return std::nullopt;
  Result r = deskd::mqtt::apply_schedule_patch(base, *patch);
  if (const auto* e = std::get_if<std::string>(&r)) {
    FUZZ_CHECK(names_field(*e, *patch), "unnamed schedule error: " + *e);
  }
  return r;
}

void check_round_trip(const ScheduleSettings& s) {
  FUZZ_CHECK(!deskd::core::validate(s), "accepted an invalid schedule");
  const boost::json::object doc = deskd::mqtt::schedule_to_json(s);
  const Result again = deskd::mqtt::apply_schedule_patch(ScheduleSettings{}, doc);
  FUZZ_CHECK(
      std::holds_alternative<ScheduleSettings>(again) && std::get<ScheduleSettings>(again) == s,
      "schedule does not round-trip: " + boost::json::serialize(doc));
  FUZZ_CHECK(deskd::mqtt::schedule_to_json(std::get<ScheduleSettings>(again)) == doc,
             "document changed on the way back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = deskd::fuzz::as_text(data, size);
  const std::size_t cut = input.find('\xff');
  ScheduleSettings base;
  std::string_view patch = input;
  if (cut != std::string_view::npos) {
    auto first = apply_payload(base, input.substr(0, cut));
    if (first && std::holds_alternative<ScheduleSettings>(*first)) {
      base = std::get<ScheduleSettings>(*first);
    }
    patch = input.substr(cut + 1);
  }
  auto result = apply_payload(base, patch);
  if (result && std::holds_alternative<ScheduleSettings>(*result)) {
    check_round_trip(std::get<ScheduleSettings>(*result));
  }
  return 0;
}
