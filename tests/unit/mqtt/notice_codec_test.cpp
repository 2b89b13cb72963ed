#include "mqtt/notice_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace deskd::mqtt {
namespace {

namespace json = boost::json;
using K = core::MotionNotice::Kind;

TEST(NoticeCodec, MotionNoticesHaveTheAgreedEventShapes) {
  core::MotionNotice started{K::kMoveStarted, core::MoveSource::kSchedule, 1100, 719.6};
  EXPECT_EQ(motion_event(started).type, "move_started");
  EXPECT_EQ(json::value(motion_event(started).fields),
            json::parse(R"({"target_mm":1100,"from_mm":720,"source":"schedule"})"));

  core::MotionNotice off{K::kMoveFinished, core::MoveSource::kMqtt, 660, std::nullopt, 654.2};
  off.off_target_mm = -5.8;
  EXPECT_EQ(json::value(motion_event(off).fields),
            json::parse(R"({"height_mm":654,"target_mm":660,"source":"mqtt","off_target_mm":-6,
                            "detail":"short of the target by 6 mm"})"));

  core::MotionNotice doubt{K::kMoveFinished, core::MoveSource::kMqtt, 660, std::nullopt, 659.8};
  doubt.uncertainty_mm = 8.0;
  EXPECT_EQ(json::value(motion_event(doubt).fields),
            json::parse(R"({"height_mm":660,"target_mm":660,"source":"mqtt",
                            "height_uncertainty_mm":8,"detail":
                            "the height may be off by up to 8 mm (the encoder lost steps): calibrate"})"));
  off.uncertainty_mm = 4.0;
  EXPECT_EQ(json::value(motion_event(off).fields).at("detail"),
            "short of the target by 6 mm; the height may be off by up to 4 mm (the encoder lost "
            "steps): calibrate");

  core::MotionNotice fault{K::kFault};
  fault.fault = core::Fault::kStall;
  fault.detail = "no movement for 800 ms";
  EXPECT_EQ(motion_event(fault).type, "fault");
  EXPECT_EQ(json::value(motion_event(fault).fields),
            json::parse(R"({"fault":"stall","detail":"no movement for 800 ms"})"));
}

TEST(NoticeCodec, ScheduleEventsButTheAutomaticMove) {
  core::ScheduleEvent deferred{core::ScheduleEventKind::kDeferred, core::Posture::kStanding};
  deferred.detail = "busy";
  const auto doc = schedule_event(deferred);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->type, "deferred");
  EXPECT_EQ(json::value(doc->fields), json::parse(R"({"posture":"standing","detail":"busy"})"));
  core::ScheduleEvent warning{core::ScheduleEventKind::kWarning, core::Posture::kSitting, 30};
  EXPECT_EQ(json::value(schedule_event(warning)->fields),
            json::parse(R"({"posture":"sitting","in_s":30})"));
  EXPECT_FALSE(schedule_event({core::ScheduleEventKind::kAutoMove, core::Posture::kStanding}));
}

}  // namespace
}  // namespace deskd::mqtt
