#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/desk_command.h"
#include "core/desk_settings.h"
#include "core/input_snapshot.h"
#include "core/motion_effects.h"
#include "core/motion_input.h"
#include "core/motion_settings.h"
#include "core/schedule_io.h"
#include "core/time.h"

namespace deskd::core {

// The time of one event, read once by the runner: steady time for motion, wall time for the
// schedule and the statistics, and whether that wall time can be trusted (synchronised, or the
// schedule does not require it, or a simulated clock). Under --time-scale both are scaled.
struct Now {
  SteadyTime steady;
  WallTime wall;
  bool clock_trusted = true;
};

// ---- Events (Desk::handle) ----------------------------------------------------------------------

struct Started {};   // start-up: the statistics count from now; the schedule plans
struct InputsRead {  // the desk's inputs changed; `at` is when (the edge's kernel timestamp)
  InputSnapshot inputs;
  SteadyTime at;
};
struct MotionDeadline {};  // motion().next_deadline() has passed
struct ScheduleWakeup {};  // the schedule's wake-up (next_schedule_wakeup) has passed
struct Minute {};          // once a minute: statistics accounted, the schedule memory saved
struct AccountTime {};     // account the statistics up to now (before they are read)
struct PresenceChanged {   // the presence topic says someone is (not) at the desk
  bool present = false;
};
struct BusyChanged {  // the busy topic says the person is in a call or a meeting (or free)
  bool busy = false;
};
// The person's computer (activity_topic): in use, idle (no input), or its session locked.
enum class Activity : std::uint8_t { kActive, kIdle, kLocked };
struct ActivityChanged {
  Activity activity = Activity::kActive;
  std::chrono::seconds idle_for{0};  // kIdle: without input for this long already
};
struct BrokerLink {  // the MQTT connection; with a presence topic, a lost link is "nobody known"
  bool connected = false;
};
struct Command {  // a decoded command; `text` is what arrived, echoed in a rejection
  DeskCommand command;
  std::string text;
};
struct ScheduleSaved {  // new schedule settings, already saved: the running period re-plans
  ScheduleSettings schedule;
};
struct HeightsSaved {  // new presets and posture heights, already saved
  std::map<std::string, int> presets;
  int sit_height_mm = 0;
  int stand_height_mm = 0;
};
struct Reloaded {  // SIGHUP with a loaded config, after reload_refusal() said nothing
  MotionSettings motion;
  DeskSettings settings;
  InputSnapshot inputs;  // read after the outputs were forced off
};
struct Shutdown {};  // the motor stops first (invariant 7); the schedule stops planning
struct Continue {};  // the runner's follow-up while pending(): the schedule's turn

using DeskEvent =
    std::variant<Started, InputsRead, MotionDeadline, ScheduleWakeup, Minute, AccountTime,
                 OutputFailed, PresenceChanged, BusyChanged, ActivityChanged, BrokerLink, Command,
                 ScheduleSaved, HeightsSaved, Reloaded, Shutdown, Continue>;

// ---- Notices (what the runner logs and publishes) -----------------------------------------------

struct Rejected {  // a command refused; nothing changed
  std::string reason;
  std::string command;  // as it arrived (untrusted: the runner escapes it)
};
struct AutoMoveRefused {  // the motion controller refused the schedule's move
  std::string reason;
};
enum class OverrideBy { kHandset, kHandMotion, kStopCommand };
struct ManualOverride {  // the user answered a warning by taking the desk over: change cancelled
  OverrideBy by = OverrideBy::kHandset;
};
enum class PresenceNews { kSomeone, kNobody, kKnownAgain, kUnknownBrokerDown };
struct PresenceNotice {
  PresenceNews news = PresenceNews::kSomeone;
};
enum class BusyNews { kBusy, kFree, kUnknownBrokerDown };
struct BusyNotice {
  BusyNews news = BusyNews::kBusy;
};
struct ActivityNotice {              // the activity topic's news, logged when it changes kind
  std::optional<Activity> activity;  // nullopt: unknown (the broker is unreachable)
};
struct ButtonUsed {  // the local button was released after a short press or a long hold
  bool held = false;
};
using DeskNotice =
    std::variant<MotionNotice, ScheduleEvent, Rejected, AutoMoveRefused, ManualOverride,
                 PresenceNotice, BusyNotice, ActivityNotice, ButtonUsed>;

// ---- Effects ------------------------------------------------------------------------------------

// What the runner persists once the desk is idle (bits of DeskEffects::save).
enum SaveBits : unsigned {
  kSaveDesk = 1,    // the position, learned coast and speeds
  kSaveStats = 2,   // the statistics (and the schedule memory with them)
  kSaveMemory = 4,  // the schedule memory, if it changed
};

// A change of the schedule's alarm: `at` is when to send ScheduleWakeup (nullopt: disarm).
struct AlarmChange {
  std::optional<SteadyTime> at;
};

using DeskStep = std::variant<SetDrive, DeskNotice>;

// What one event asks of the runner, in order: every SetDrive written (then
// Desk::outputs_written), every notice logged and published.
struct DeskEffects {
  std::vector<DeskStep> steps;
  unsigned save = 0;                          // SaveBits
  std::optional<AlarmChange> schedule_alarm;  // set when the schedule re-planned

  void notice(DeskNotice n) { steps.emplace_back(std::move(n)); }
};

}  // namespace deskd::core
