#include "config/height_rules.h"

#include <gtest/gtest.h>

namespace deskd::config {
namespace {

TEST(HeightRules, NamesAreLowercaseDigitsUnderscoreAndDash) {
  EXPECT_TRUE(is_valid_name("focus_2-b"));
  EXPECT_FALSE(is_valid_name(""));
  EXPECT_FALSE(is_valid_name("Focus"));
  EXPECT_FALSE(is_valid_name("a b"));
  EXPECT_FALSE(is_valid_name("a/b"));
  EXPECT_TRUE(is_valid_name(std::string(64, 'a')));
  EXPECT_FALSE(is_valid_name(std::string(65, 'a')));
}

TEST(HeightRules, HeightsMustBeWithinTheSoftLimits) {
  core::MotionSettings limits;
  EXPECT_EQ(check_height("x", 620, limits), std::nullopt);
  EXPECT_EQ(check_height("x", 1270, limits), std::nullopt);
  EXPECT_EQ(check_height("x", 619, limits), "x: must be between 620 and 1270 mm, got 619");
}

TEST(HeightRules, SitMustBeBelowStand) {
  core::MotionSettings limits;
  EXPECT_EQ(check_sit_stand(720, 1100, limits), std::nullopt);
  EXPECT_EQ(check_sit_stand(1100, 1100, limits),
            "stand_height_mm: must be greater than sit_height_mm (1100), got 1100");
  EXPECT_EQ(check_sit_stand(720, 1300, limits),
            "stand_height_mm: must be between 620 and 1270 mm, got 1300");
}

TEST(HeightRules, PresetsNeedValidNamesAndHeights) {
  core::MotionSettings limits;
  EXPECT_EQ(check_presets({{"focus", 1000}}, limits), std::nullopt);
  EXPECT_EQ(check_presets({{"Focus", 1000}}, limits),
            "presets.Focus: preset names must match [a-z0-9_-]+ (at most 64 characters)");
  EXPECT_EQ(check_presets({{"focus", 100}}, limits),
            "presets.focus: must be between 620 and 1270 mm, got 100");
}

}  // namespace
}  // namespace deskd::config
