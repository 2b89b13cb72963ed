#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "core/progress.h"

namespace deskd::mqtt {

// The retained B/progress payload (README.md: the contract table):
// {"date":"2026-12-02","week_start":"2026-11-30",
//  "this_week":{"from":"2026-11-30","to":"2026-12-02","working_days":3,"working_s":...,
//               "sit_s":...,"stand_s":...,"stand_share":0.42,"changes":18,
//               "changes_per_hour":2.1,"longest_sit_s":2400,"has_data":true},
//  "last_week":{... the same fields, the same elapsed part of last week ...},
//  "trend":{"stand_share":"up","changes":"flat","longest_sit":"down"},
//  "streak":{"days":4,"today_working":true,"today_met":false,"today_goal_s":9600,
//            "today_stand_s":3600,"today_minutes":15},
//  "plan":{"progression":true,"minutes":15,"target_minutes":20,
//          "next":{"date":"2026-12-07","minutes":20},"text":"From Monday you stand 20 min ..."}}
// stand_share (0..1, 3 decimals) and changes_per_hour (2 decimals) are null without data or
// working time; a trend is null while either week has no data; plan.next is null without a
// progression step ahead.
boost::json::object progress_to_json(const core::Progress& p);
std::string encode_progress(const core::Progress& p);

}  // namespace deskd::mqtt
