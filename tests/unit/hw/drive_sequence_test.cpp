#include "hw/drive_sequence.h"

#include <gtest/gtest.h>

#include <map>

namespace deskd::hw {
namespace {

struct SequenceCase {
  core::Drive drive;
  bool has_enable;
  std::vector<LineWrite> expected;
};

TEST(DriveSequence, OppositeDirectionOffFirstEnableLastOnFirstOff) {
  const std::vector<SequenceCase> cases = {
      {core::Drive::kNone, false, {{LineRole::kUp, false}, {LineRole::kDown, false}}},
      {core::Drive::kNone,
       true,
       {{LineRole::kEnable, false}, {LineRole::kUp, false}, {LineRole::kDown, false}}},
      {core::Drive::kUp, false, {{LineRole::kDown, false}, {LineRole::kUp, true}}},
      {core::Drive::kUp,
       true,
       {{LineRole::kDown, false}, {LineRole::kUp, true}, {LineRole::kEnable, true}}},
      {core::Drive::kDown, false, {{LineRole::kUp, false}, {LineRole::kDown, true}}},
      {core::Drive::kDown,
       true,
       {{LineRole::kUp, false}, {LineRole::kDown, true}, {LineRole::kEnable, true}}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(drive_sequence(c.drive, c.has_enable), c.expected)
        << core::to_string(c.drive) << " enable=" << c.has_enable;
  }
}

TEST(DriveSequence, NoPrefixFromAnyOutputStateLeavesBothDirectionsActive) {
  // Every starting state of up/down, including the forbidden one a crash could leave behind.
  for (int start = 0; start < 4; ++start) {
    for (core::Drive drive : {core::Drive::kNone, core::Drive::kUp, core::Drive::kDown}) {
      std::map<LineRole, bool> level = {{LineRole::kUp, (start & 1) != 0},
                                        {LineRole::kDown, (start & 2) != 0}};
      const auto writes = drive_sequence(drive, true);
      for (std::size_t i = 0; i < writes.size(); ++i) {
        level[writes[i].role] = writes[i].active;
        if (i > 0 || start != 3) {
          EXPECT_FALSE(level[LineRole::kUp] && level[LineRole::kDown])
              << "start " << start << " drive " << core::to_string(drive) << " step " << i;
        }
      }
    }
  }
}

}  // namespace
}  // namespace deskd::hw

namespace deskd::hw {
namespace {

TEST(DriveSequence, StopReleasesTheDrivenDirectionFirst) {
  EXPECT_EQ(drive_sequence(core::Drive::kNone, false, core::Drive::kDown).front(),
            (LineWrite{LineRole::kDown, false}));
  EXPECT_EQ(drive_sequence(core::Drive::kNone, false, core::Drive::kUp).front(),
            (LineWrite{LineRole::kUp, false}));
  EXPECT_EQ(drive_sequence(core::Drive::kNone, true, core::Drive::kDown)[1],
            (LineWrite{LineRole::kDown, false}));
}

}  // namespace
}  // namespace deskd::hw
