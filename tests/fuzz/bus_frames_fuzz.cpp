// libFuzzer target for the desk bus parsers (daemon/src/bus). Beyond "no crash" it checks:
// - every byte is accounted for: good_bytes + discarded_bytes + pending == input size;
// - every decoded frame re-encodes to exactly the bytes it was decoded from (their lengths sum
//   to good_bytes, and re-parsing the encoding gives the same frame);
// - bad frames are counted exactly when bytes were discarded (1 <= bad_frames <= discarded);
// - feeding the input in arbitrary pieces yields the same frames as feeding it whole;
// - interpreting any good frame (reports, commands) does not crash.
// Built by the fuzz CMake (tests/fuzz/*_fuzz.cpp, linked to deskd_bus); by hand:
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Idaemon/src \
//     tests/fuzz/bus_frames_fuzz.cpp daemon/src/bus/*.cpp -o bus_frames_fuzz
//   ./bus_frames_fuzz -max_total_time=60 tests/fuzz/corpus/bus_frames
#include <cstdint>
#include <cstdlib>
#include <span>
#include <type_traits>
#include <vector>

#include "bus/jiecang_frame.h"
#include "bus/jiecang_messages.h"
#include "bus/loctek_frame.h"
#include "bus/loctek_messages.h"

namespace {

using deskd::bus::ParserStats;

void require(bool ok) {
  if (!ok) std::abort();
}

void check_stats(const ParserStats& s, std::size_t pending, std::size_t size) {
  require(s.good_bytes + s.discarded_bytes + pending == size);
  require(s.bad_frames <= s.discarded_bytes);
  require((s.discarded_bytes == 0) == (s.bad_frames == 0));
}

// Feeds `data` whole to one parser and in pieces (sizes taken from the data) to another.
template <class Parser, class MakeParser>
void check_parser(std::span<const std::uint8_t> data, MakeParser make) {
  Parser whole = make();
  const auto frames = whole.consume(data);
  check_stats(whole.stats(), whole.pending(), data.size());
  std::size_t encoded = 0;
  for (const auto& f : frames) {
    const auto bytes = deskd::bus::encode(f);
    encoded += bytes.size();
    Parser again = make();
    const auto back = again.consume(bytes);
    require(back.size() == 1 && back[0] == f);
  }
  require(encoded == whole.stats().good_bytes);

  Parser pieces = make();
  std::remove_const_t<decltype(frames)> got;
  for (std::size_t pos = 0; pos < data.size();) {
    const std::size_t n = 1 + data[pos] % 7;
    const auto part = data.subspan(pos, std::min(n, data.size() - pos));
    for (auto& f : pieces.consume(part)) got.push_back(f);
    pos += part.size();
  }
  require(got == frames);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace deskd::bus;
  const std::span<const std::uint8_t> in(data, size);
  check_parser<JiecangParser>(in, [] { return JiecangParser(JiecangFrame::kFromController); });
  check_parser<JiecangParser>(in, [] { return JiecangParser(JiecangFrame::kFromHandset); });
  check_parser<LoctekParser>(in, [] { return LoctekParser(); });

  JiecangParser controller(JiecangFrame::kFromController);
  for (const auto& f : controller.consume(in)) (void)interpret_jiecang(f);
  JiecangParser handset(JiecangFrame::kFromHandset);
  for (const auto& f : handset.consume(in)) (void)jiecang_command_from(f);
  LoctekParser loctek;
  for (const auto& f : loctek.consume(in)) {
    (void)interpret_loctek(f);
    (void)loctek_command_from(f);
  }
  return 0;
}
