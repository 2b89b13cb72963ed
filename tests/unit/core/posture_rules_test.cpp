#include "core/posture_rules.h"

#include <gtest/gtest.h>

namespace deskd::core {
namespace {

TEST(PostureRules, AQuarterOfTheSpanAroundEachHeightIsThatPosture) {
  const PostureRules r{SensorKind::kEncoder, 620, 1270, 720, 1100};  // span 380, band 95
  EXPECT_EQ(r.posture_of(std::nullopt), Posture::kUnknown);
  EXPECT_EQ(r.posture_of(640), Posture::kSitting);
  EXPECT_EQ(r.posture_of(815), Posture::kSitting);
  EXPECT_EQ(r.posture_of(816), Posture::kBetween);
  EXPECT_EQ(r.posture_of(1004), Posture::kBetween);
  EXPECT_EQ(r.posture_of(1005), Posture::kStanding);
  EXPECT_EQ(r.posture_of(1270), Posture::kStanding);
}

TEST(PostureRules, WithoutASensorOnlyTheTwoEndsArePostures) {
  const PostureRules r{SensorKind::kNone, 620, 1270, 720, 1100};
  EXPECT_EQ(r.posture_of(621), Posture::kSitting);
  EXPECT_EQ(r.posture_of(720), Posture::kBetween) << "the sitting height is not known without one";
  EXPECT_EQ(r.posture_of(1269), Posture::kStanding);
}

TEST(PostureRules, EachPostureGoesToItsHeight) {
  const PostureRules r{SensorKind::kBus, 620, 1270, 700, 1120};
  EXPECT_EQ(r.height_for(Posture::kSitting), 700);
  EXPECT_EQ(r.height_for(Posture::kStanding), 1120);
}

}  // namespace
}  // namespace deskd::core
