#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/desk_events.h"
#include "core/motion_effects.h"
#include "core/schedule_event.h"

namespace deskd::mqtt {

// The B/event payload of one of deskd's notices: its type and fields (encode_event adds "type";
// the runner adds "at"). The fields are DESIGN.md §8's agreed shapes.
struct EventDoc {
  std::string type;
  boost::json::object fields;
};

// move_started, move_finished (with off_target_mm and its detail outside the tolerance), fault,
// manual_move, calibrated, stopped.
EventDoc motion_event(const core::MotionNotice& n);

// A move_finished outside the tolerance: "overshot the target by 4 mm" / "short of the target by
// 8 mm" (`off_target_mm` is the height minus the target); B/event and the log say it alike.
std::string off_target_detail(double off_target_mm);
// A move_finished after lost encoder steps (`height_uncertainty_mm`): "the height may be off by
// up to 8 mm (the encoder lost steps): calibrate"; B/event and the log say it alike.
std::string uncertainty_detail(double uncertainty_mm);

// warning, prompt, reminder, declined, snoozed, break, clock_jump, deferred; nullopt for an
// automatic move (published as its move_started).
std::optional<EventDoc> schedule_event(const core::ScheduleEvent& e);

// The B/event of any notice that has one (motion and schedule notices); nullopt for the others.
std::optional<EventDoc> notice_event(const core::DeskNotice& notice);

}  // namespace deskd::mqtt
