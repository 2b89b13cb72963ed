#pragma once

#include <cstdint>

#include "core/schedule_settings.h"

namespace deskd::core {

// Posture statistics of one local day (published on B/stats, kept >= 400 days).
struct DayStats {
  CivilDate date;
  std::int64_t sit_s = 0;
  std::int64_t stand_s = 0;
  int transitions = 0;  // sitting <-> standing changes, by any cause
  int auto_moves = 0;   // automatic moves carried out
  int declined = 0;     // automatic changes declined (cancelled, or undone within 2 min)
  int snoozed = 0;
  std::int64_t longest_sit_s = 0;  // longest uninterrupted sitting stretch
  int deferred_busy = 0;           // changes that fell due while busy (a call, a meeting)
  int auto_moves_at_pause = 0;     // of auto_moves: warned at the person's pause (natural breaks)
  int walked_yes = 0;              // "Did you walk?" after a movement break: yes
  int walked_no = 0;               // ... no
  int comfort_sum = 0;      // comfort check-in answers (1..5) of the day, summed (core/comfort.h)
  int comfort_answers = 0;  // how many; the day's comfort is their mean
  friend bool operator==(const DayStats&, const DayStats&) = default;
};

}  // namespace deskd::core
