// Issue 3 "Done when": a whole working day of the real deskd at --time-scale 300 on the
// simulated desk. Sit/stand alternate at the configured times, each change announced first, and
// the statistics add up to the time spent in each posture.
//
// Everything asserted is a virtual-time fact reported by deskd itself (event "at" stamps, the
// statistics), never the test's own real-time measurements scaled by 300, so a loaded machine
// changes nothing but how long the test waits.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "support/broker.h"
#include "support/deskd_process.h"
#include "support/json_fields.h"
#include "support/mqtt_test_client.h"

namespace deskd::testing {
namespace {

using std::chrono::seconds;

constexpr double kScale = 300;  // 1 s real = 5 min of deskd time; the 2 h window = 24 s
constexpr int kStartSecondOfDay = 8 * 3600 + 55 * 60;  // deskd starts at 08:55 local
constexpr int kWindowStart = 9 * 3600;
constexpr int kWindowEnd = 11 * 3600;
constexpr int kSitS = 30 * 60;
constexpr int kStandS = 20 * 60;
constexpr int kWarnS = 30;
constexpr int kSitMm = 720;
constexpr int kStandMm = 1100;
// Timers fire late on a busy machine and every real millisecond late is 0.3 s of deskd time;
// 30 s of deskd time allows 100 ms of real lateness per timer.
constexpr int kLateS = 30;
// A move of 380 mm at 35-40 mm/s (+-10 %) takes 9-13 s of deskd time, plus the settling time
// after the stop and any lateness of the loop.
constexpr int kMoveMaxS = 13 + kLateS;
// At x300 the motion controller's 400 ms settle time is ~1.3 ms of real time, so the last
// millimetres of coasting may arrive after the move was reported finished and are then
// reported as a small manual move (the schedule just restarts the same posture's period).
constexpr int kCoastResidueMm = 10;

// A POSIX TZ string under which the local time is `second_of_day` at `now` (any offset within
// +-12 h is a valid zone for glibc; the test needs only the time of day, not a real zone).
std::string tz_for_local_time(std::time_t now, int second_of_day) {
  int offset = second_of_day - static_cast<int>(now % 86400);  // local = UTC + offset
  while (offset >= 12 * 3600) offset -= 86400;
  while (offset < -12 * 3600) offset += 86400;
  const int west = -offset;  // POSIX counts offsets positive west of Greenwich
  const int a = west < 0 ? -west : west;
  char buf[32];
  std::snprintf(buf, sizeof buf, "<DESK>%c%02d:%02d:%02d", west < 0 ? '-' : '+', a / 3600,
                a / 60 % 60, a % 60);
  return buf;
}

// "2026-11-22T09:30:00+01:00" -> seconds since local midnight (the window never crosses it).
int local_second_of_day(const std::string& iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6) return -1;
  return h * 3600 + mi * 60 + s;
}

std::string hms(int t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
  return buf;
}

struct Move {
  int target_mm = 0;
  int started = 0;  // local second of day
  int finished = -1;
};

struct Warning {
  std::string posture;
  int at = 0;
  std::int64_t in_s = 0;
};

// A state published when the posture changed, with the statistics accounted up to that instant.
struct PostureSnapshot {
  std::string posture;
  std::int64_t sit_s = 0;
  std::int64_t stand_s = 0;
  std::size_t index = 0;  // position among all received messages
};

TEST(ScheduleWorkingDay, AlternatesAtTheConfiguredTimesAndTheStatisticsAddUp) {
  Broker broker;
  MqttTestClient client(broker.port());
  ASSERT_TRUE(client.connect()) << client.last_error();
  client.subscribe("deskd/wday/#");

  const auto real_start = std::chrono::system_clock::now();
  const std::time_t now = std::chrono::system_clock::to_time_t(real_start);
  // deskd's virtual clock starts at the real time, a little after `real_start`: at local
  // kStartSecondOfDay plus this fraction (plus start-up time, bounded below).
  const double start_fraction =
      std::chrono::duration<double>(real_start - std::chrono::system_clock::from_time_t(now))
          .count();

  DeskdOptions o;
  o.desk_id = "wday";
  o.mqtt_port = broker.port();
  o.schedule_toml =
      "enabled = true\nmode = \"auto\"\nsit_minutes = 30\nstand_minutes = 20\n"
      "warn_seconds = 30\nrequire_time_sync = true\n"
      "mon = [\"09:00-11:00\"]\ntue = [\"09:00-11:00\"]\nwed = [\"09:00-11:00\"]\n"
      "thu = [\"09:00-11:00\"]\nfri = [\"09:00-11:00\"]\nsat = [\"09:00-11:00\"]\n"
      "sun = [\"09:00-11:00\"]\n";
  // Last run stopped cleanly at the sitting height, so the position is known from the start.
  o.state_dir = make_temp_dir("deskd-wday");
  std::ofstream(o.state_dir + "/desk.toml") << "height_mm = 720.0\nclean_shutdown = true\n";
  o.extra_args = {"--time-scale", "300"};
  o.env = {{"TZ", tz_for_local_time(now, kStartSecondOfDay)}};
  DeskdProcess deskd(o);
  ASSERT_TRUE(deskd.start()) << deskd.log();
  const double startup_real_s =
      std::chrono::duration<double>(std::chrono::system_clock::now() - real_start).count();

  // The day: 4 changes (09:30 up, ~09:50 down, ~10:20 up, ~10:40 down), then the window ends at
  // 11:00. 25 s of real time; wait generously for the end of working hours.
  auto after_hours = client.wait_for(
      "deskd/wday/state",
      [&](const std::string& p) {
        auto s = json_object(p);
        return json_string(s, "phase") == "outside_hours" &&
               json_int(s, "transitions_today").value_or(0) >= 4;
      },
      seconds(150));
  ASSERT_TRUE(after_hours.has_value()) << deskd.log();

  const auto stats_since = client.count();
  client.publish("deskd/wday/request/stats/get", R"({"days":1,"transaction":"day"})");
  auto stats = client.wait_for_containing("deskd/wday/response/stats/get", "\"day\"", seconds(20),
                                          stats_since);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(deskd.terminate(), 0) << deskd.log();

  // ---- Collect what deskd reported ----
  std::vector<Move> moves;
  std::vector<Warning> warnings;
  std::vector<PostureSnapshot> snapshots;
  std::string last_posture;
  int coast_residues = 0;
  const auto messages = client.messages();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    const auto o = json_object(m.payload);
    if (m.topic == "deskd/wday/event") {
      const std::string type = json_string(o, "type");
      const int at = local_second_of_day(json_string(o, "at"));
      if (type == "warning") {
        ASSERT_GE(at, 0) << m.payload;
        warnings.push_back({json_string(o, "posture"), at, json_int(o, "in_s").value_or(-1)});
      } else if (type == "move_started") {
        ASSERT_GE(at, 0) << m.payload;
        EXPECT_EQ(json_string(o, "source"), "schedule") << m.payload;
        moves.push_back({static_cast<int>(json_int(o, "target_mm").value_or(0)), at});
      } else if (type == "move_finished") {
        ASSERT_FALSE(moves.empty()) << m.payload;
        moves.back().finished = at;
      } else if (type == "manual_move") {
        const auto from = json_int(o, "from_mm"), to = json_int(o, "to_mm");
        ASSERT_TRUE(from && to) << m.payload;
        EXPECT_LE(std::abs(*to - *from), kCoastResidueMm) << "a real manual move " << m.payload;
        ++coast_residues;
      } else {
        ADD_FAILURE() << "unexpected event " << m.payload;  // no faults, errors, declines
      }
    } else if (m.topic == "deskd/wday/state") {
      const std::string posture = json_string(o, "posture");
      if (posture != last_posture) {
        snapshots.push_back({posture, json_int(o, "sit_today_s").value_or(-1),
                             json_int(o, "stand_today_s").value_or(-1), i});
        last_posture = posture;
      }
    }
  }

  // ---- Alternation at the configured times ----
  ASSERT_EQ(moves.size(), 4u) << deskd.log();
  for (std::size_t k = 0; k < moves.size(); ++k) {
    SCOPED_TRACE("move " + std::to_string(k + 1) + " at " + hms(moves[k].started));
    EXPECT_EQ(moves[k].target_mm, k % 2 == 0 ? kStandMm : kSitMm);
    ASSERT_GE(moves[k].finished, moves[k].started);
    EXPECT_LE(moves[k].finished - moves[k].started, kMoveMaxS);
  }
  // The first sitting period starts when the window opens at 09:00 (deskd started sitting at
  // 08:55); each later period starts when the previous move finished.
  EXPECT_GE(moves[0].started, kWindowStart + kSitS - 1);
  EXPECT_LE(moves[0].started, kWindowStart + kSitS + kLateS);
  for (std::size_t k = 1; k < moves.size(); ++k) {
    SCOPED_TRACE("period before move " + std::to_string(k + 1));
    const int length = k % 2 == 1 ? kStandS : kSitS;
    const int period = moves[k].started - moves[k - 1].finished;
    EXPECT_GE(period, length - 1);
    EXPECT_LE(period, length + kLateS);
  }
  // The next sitting period would end after 11:00: no fifth change.
  EXPECT_GT(moves[3].finished + kSitS, kWindowEnd);

  // ---- Each change announced warn_seconds before ----
  ASSERT_EQ(warnings.size(), moves.size());
  for (std::size_t k = 0; k < moves.size(); ++k) {
    SCOPED_TRACE("warning before move " + std::to_string(k + 1));
    EXPECT_EQ(warnings[k].posture, k % 2 == 0 ? "standing" : "sitting");
    EXPECT_EQ(warnings[k].in_s, kWarnS);
    const int lead = moves[k].started - warnings[k].at;
    EXPECT_GE(lead, kWarnS - 1);  // "at" stamps are whole seconds
    EXPECT_LE(lead, kWarnS + kLateS);
  }

  // ---- Statistics add up ----
  // Postures seen: sitting, then per move "between" and the new posture.
  std::vector<std::string> seen;
  for (const auto& s : snapshots) seen.push_back(s.posture);
  const std::vector<std::string> expected = {"sitting",  "between", "standing",
                                             "between",  "sitting", "between",
                                             "standing", "between", "sitting"};
  ASSERT_EQ(seen, expected);
  // Tolerances: the statistics count whole seconds (at most 1 s off per counted span) and the
  // "at" stamps are whole seconds; where exactly inside a move the posture crossed the
  // sitting/standing thresholds is not reported, so each bound below widens by the move's
  // duration (F - S) on the side it can fall.
  const int n = static_cast<int>(moves.size());
  for (int k = 0; k < n; ++k) {
    const auto& leave = snapshots[1 + 2 * k];  // posture became "between" during move k
    const auto& enter = snapshots[2 + 2 * k];  // and the new posture, still during move k
    SCOPED_TRACE("move " + std::to_string(k + 1));
    // Nothing is counted while between postures.
    EXPECT_EQ(enter.sit_s + enter.stand_s, leave.sit_s + leave.stand_s);
    if (k + 1 < n) {
      // In the posture from move k to move k+1: that period's time, within the moves.
      const auto& next_leave = snapshots[3 + 2 * k];
      const bool standing = k % 2 == 0;
      const std::int64_t counted =
          standing ? next_leave.stand_s - enter.stand_s : next_leave.sit_s - enter.sit_s;
      const std::int64_t other =
          standing ? next_leave.sit_s - enter.sit_s : next_leave.stand_s - enter.stand_s;
      EXPECT_EQ(other, 0);
      EXPECT_GE(counted, moves[k + 1].started - moves[k].finished - 2);
      EXPECT_LE(counted, moves[k + 1].finished - moves[k].started + 2);
    }
  }
  // From the start to the end of the last move: the whole elapsed time minus the time between
  // postures. deskd's clock started at 08:55:00 + start_fraction, at most startup_real_s later
  // (real seconds: its clock only runs fast once it exists).
  const double start_min = kStartSecondOfDay + start_fraction;
  const double start_max = start_min + startup_real_s;
  double between_max = 0;
  for (const auto& m : moves) between_max += m.finished - m.started;
  const auto& last = snapshots.back();
  const double total = static_cast<double>(last.sit_s + last.stand_s);
  EXPECT_GE(total, moves[3].started - start_max - between_max - n - 1) << "total " << total;
  EXPECT_LE(total, moves[3].finished - start_min + n + 1) << "total " << total;
  std::printf(
      "working day: moves at %s %s %s %s (durations %d %d %d %d s); sit+stand %.0f s "
      "in [%.0f, %.0f]; coast residues %d\n",
      hms(moves[0].started).c_str(), hms(moves[1].started).c_str(), hms(moves[2].started).c_str(),
      hms(moves[3].started).c_str(), moves[0].finished - moves[0].started,
      moves[1].finished - moves[1].started, moves[2].finished - moves[2].started,
      moves[3].finished - moves[3].started, total,
      moves[3].started - start_max - between_max - n - 1, moves[3].finished - start_min + n + 1,
      coast_residues);
  // Sitting: 08:55 to move 1, and move 2 to move 3, and after move 4.
  EXPECT_GE(last.sit_s,
            (moves[0].started - start_max) + (moves[2].started - moves[1].finished) - n);
  EXPECT_LE(last.sit_s,
            (moves[0].finished - start_min) + (moves[2].finished - moves[1].started) + n);

  // The day's record: 4 transitions, 4 automatic moves, none declined; and at least the time
  // up to the last move, as the day went on sitting after it.
  const auto response = json_object(stats->payload);
  ASSERT_EQ(json_string(response, "status"), "ok") << stats->payload;
  const auto& days = response.at("data").as_object().at("days").as_array();
  ASSERT_EQ(days.size(), 1u) << stats->payload;
  const auto& day = days[0].as_object();
  EXPECT_EQ(json_int(day, "transitions"), 4);
  EXPECT_EQ(json_int(day, "auto_moves"), 4);
  EXPECT_EQ(json_int(day, "declined"), 0);
  EXPECT_GE(*json_int(day, "sit_s"), last.sit_s);
  EXPECT_EQ(*json_int(day, "stand_s"), last.stand_s);
  // The longest sitting stretch is one of the two long ones: 08:55-09:30 or 09:50-10:20 (or the
  // one still running after 10:40).
  EXPECT_GE(*json_int(day, "longest_sit_s"), kSitS - 1);
  EXPECT_LE(*json_int(day, "longest_sit_s"), *json_int(day, "sit_s"));
}

}  // namespace
}  // namespace deskd::testing
