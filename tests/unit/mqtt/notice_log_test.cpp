#include "mqtt/notice_log.h"

#include <gtest/gtest.h>

namespace deskd::mqtt {
namespace {

using K = core::MotionNotice::Kind;
using Level = NoticeLine::Level;

TEST(NoticeLog, AMoveOffTargetSaysHowFarAndTheDoubtLikeItsEvent) {
  core::MotionNotice off{K::kMoveFinished, core::MoveSource::kMqtt, 700, std::nullopt, 679.0};
  off.off_target_mm = -21.0;
  off.uncertainty_mm = 8.0;
  const auto line = notice_line(off);
  ASSERT_TRUE(line);
  EXPECT_EQ(line->level, Level::kInfo);
  EXPECT_EQ(line->text,
            "move finished at 679 mm (target 700 mm, short of the target by 21 mm, outside the "
            "tolerance; the height may be off by up to 8 mm (the encoder lost steps): calibrate)");
}

TEST(NoticeLog, AFaultIsAnErrorAndAClockJumpAWarning) {
  core::MotionNotice fault{K::kFault, core::MoveSource::kOther};
  fault.fault = core::Fault::kStall;
  fault.detail = "no progress for 800 ms";
  EXPECT_EQ(notice_line(fault)->level, Level::kError);
  EXPECT_EQ(notice_line(fault)->text, "fault stall: no progress for 800 ms");
  core::ScheduleEvent jump;
  jump.kind = core::ScheduleEventKind::kClockJump;
  jump.seconds = 3600;
  EXPECT_EQ(notice_line(jump)->level, Level::kWarning);
  EXPECT_EQ(notice_line(jump)->text, "wall clock jumped by 3600 s; schedule re-planned");
}

TEST(NoticeLog, ARejectionIsLeftToTheRunner) {
  EXPECT_FALSE(notice_line(core::Rejected{"1300 is outside 620..1270", "{}"}));
  EXPECT_EQ(notice_line(core::ButtonUsed{true})->text, "local button held");
}

}  // namespace
}  // namespace deskd::mqtt
