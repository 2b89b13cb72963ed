// A table of bad frames: each one yields no report, is counted, and does not stop the next good
// frame from being decoded.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "bus/controller_codec.h"

namespace deskd::bus {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct BadFrame {
  std::string name;
  Protocol protocol;
  Bytes bytes;
};

// Good frames appended after each bad one (heights 1286 mm / 72.5 cm).
const Bytes kGoodJiecang{0xF2, 0xF2, 0x01, 0x03, 0x05, 0x06, 0x07, 0x16, 0x7E};
const Bytes kGoodLoctek{0x9B, 0x07, 0x12, 0x07, 0xDB, 0x6D, 0x64, 0xBE, 0x9D};

const std::vector<BadFrame> kBadFrames{
    {"JiecangWrongChecksum",
     Protocol::kJiecang,
     {0xF2, 0xF2, 0x01, 0x03, 0x05, 0x06, 0x07, 0x17, 0x7E}},
    {"JiecangWrongEndByte",
     Protocol::kJiecang,
     {0xF2, 0xF2, 0x01, 0x03, 0x05, 0x06, 0x07, 0x16, 0x7F}},
    {"JiecangLengthTooShort",
     Protocol::kJiecang,
     {0xF2, 0xF2, 0x01, 0x02, 0x05, 0x06, 0x07, 0x16, 0x7E}},
    {"JiecangLengthTooLong",
     Protocol::kJiecang,
     {0xF2, 0xF2, 0x01, 0x04, 0x05, 0x06, 0x07, 0x16, 0x7E}},
    {"JiecangImpossibleLength", Protocol::kJiecang, {0xF2, 0xF2, 0x01, 0xF0, 0x05}},
    {"JiecangSingleSyncByte", Protocol::kJiecang, {0xF2, 0x01, 0x03, 0x05, 0x06, 0x07, 0x16, 0x7E}},
    {"JiecangCutShort", Protocol::kJiecang, {0xF2, 0xF2, 0x01, 0x03, 0x05}},
    {"JiecangHandsetFrame", Protocol::kJiecang, {0xF1, 0xF1, 0x01, 0x00, 0x01, 0x7E}},
    {"JiecangNoise", Protocol::kJiecang, {0x00, 0xFF, 0x13, 0x7E, 0x7E, 0x55}},
    {"LoctekWrongCrcHigh",
     Protocol::kLoctek,
     {0x9B, 0x07, 0x12, 0x07, 0xDB, 0x6D, 0x65, 0xBE, 0x9D}},
    {"LoctekWrongCrcLow",
     Protocol::kLoctek,
     {0x9B, 0x07, 0x12, 0x07, 0xDB, 0x6D, 0x64, 0xBF, 0x9D}},
    {"LoctekCrcBytesSwapped",
     Protocol::kLoctek,
     {0x9B, 0x07, 0x12, 0x07, 0xDB, 0x6D, 0xBE, 0x64, 0x9D}},
    {"LoctekWrongEndByte",
     Protocol::kLoctek,
     {0x9B, 0x07, 0x12, 0x07, 0xDB, 0x6D, 0x64, 0xBE, 0x9E}},
    {"LoctekLengthTooLong",
     Protocol::kLoctek,
     {0x9B, 0x08, 0x12, 0x07, 0xDB, 0x6D, 0x64, 0xBE, 0x9D}},
    {"LoctekLengthTooShort", Protocol::kLoctek, {0x9B, 0x03, 0x12, 0x07, 0x9D}},
    {"LoctekImpossibleLength", Protocol::kLoctek, {0x9B, 0xFE, 0x12}},
    {"LoctekFlippedDigitBit",
     Protocol::kLoctek,
     {0x9B, 0x07, 0x12, 0x07, 0xDA, 0x6D, 0x64, 0xBE, 0x9D}},
    {"LoctekCutShort", Protocol::kLoctek, {0x9B, 0x07, 0x12, 0x07}},
    {"LoctekNoise", Protocol::kLoctek, {0x00, 0x9D, 0x12, 0xFF, 0x9D}},
};

void PrintTo(const BadFrame& f, std::ostream* os) { *os << f.name; }

class BadFrameTest : public testing::TestWithParam<BadFrame> {};

const Bytes& good_frame(Protocol p) { return p == Protocol::kJiecang ? kGoodJiecang : kGoodLoctek; }
int good_height(Protocol p) { return p == Protocol::kJiecang ? 1286 : 725; }

TEST_P(BadFrameTest, YieldsNothingAndIsCounted) {
  auto codec = make_controller_codec(GetParam().protocol);
  EXPECT_TRUE(codec->consume(GetParam().bytes).empty());
  // Whatever is still pending is rejected once a good frame follows.
  const auto reports = codec->consume(good_frame(GetParam().protocol));
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_EQ(reports[0], Report{HeightReport{good_height(GetParam().protocol)}});
  EXPECT_EQ(codec->stats().bad_frames, 1U);
  EXPECT_EQ(codec->stats().frames, 1U);
  EXPECT_EQ(codec->stats().discarded_bytes, GetParam().bytes.size());
}

TEST_P(BadFrameTest, BetweenTwoGoodFramesCostsNeither) {
  const Protocol p = GetParam().protocol;
  auto codec = make_controller_codec(p);
  Bytes stream = good_frame(p);
  stream.insert(stream.end(), GetParam().bytes.begin(), GetParam().bytes.end());
  stream.insert(stream.end(), good_frame(p).begin(), good_frame(p).end());
  EXPECT_EQ(codec->consume(stream).size(), 2U);
  EXPECT_EQ(codec->stats().bad_frames, 1U);
  EXPECT_EQ(codec->stats().good_bytes, 2 * good_frame(p).size());
}

INSTANTIATE_TEST_SUITE_P(Table, BadFrameTest, testing::ValuesIn(kBadFrames),
                         [](const testing::TestParamInfo<BadFrame>& info) {
                           return info.param.name;
                         });

TEST(FrameResync, FindsAFrameThatStartsInsideGarbageOfSyncBytes) {
  auto codec = make_controller_codec(Protocol::kJiecang);
  Bytes stream{0xF2, 0xF2, 0xF2};  // three sync bytes, the last two start the real frame
  stream.insert(stream.end(), kGoodJiecang.begin() + 2, kGoodJiecang.end());
  const auto reports = codec->consume(stream);
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_EQ(codec->stats().discarded_bytes, 1U);
}

TEST(FrameResync, EveryByteIsAccountedFor) {
  auto codec = make_controller_codec(Protocol::kLoctek);
  Bytes stream{0x01, 0x9B, 0x07};
  stream.insert(stream.end(), kGoodLoctek.begin(), kGoodLoctek.end());
  stream.insert(stream.end(), {0x9B, 0x07, 0x12});
  codec->consume(stream);
  const auto& s = codec->stats();
  EXPECT_EQ(s.good_bytes + s.discarded_bytes + 3 /* the pending frame start */, stream.size());
}

}  // namespace
}  // namespace deskd::bus
