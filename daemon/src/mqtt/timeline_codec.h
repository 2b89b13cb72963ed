#pragma once

#include <string>

#include "core/day_timeline.h"

namespace deskd::mqtt {

// The retained B/timeline payload: today's postures period by period (issue 23), e.g.
// {"date":"2026-03-02","periods":[{"start":"2026-03-02T08:00:00+01:00","posture":"sitting"},
//  {"start":"2026-03-02T08:30:00+01:00","posture":"between"}, ...]}. A period lasts until the
// next one starts; the last one until now. Postures: sitting, standing, between (moving or an
// in-between height), unknown (nobody known at the desk, or the height unknown). Before the
// first observation: {"date":null,"periods":[]}.
std::string encode_timeline(const core::DayTimeline& timeline);

}  // namespace deskd::mqtt
