#include "core/scheduler.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "core/local_time.h"
#include "core/progression.h"

namespace deskd::core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Re-prompt / re-remind intervals; the last one repeats.
constexpr std::array<int, 4> kBackoffMinutes{2, 4, 8, 16};

bool is_sit_stand(Posture p) { return p == Posture::kSitting || p == Posture::kStanding; }

Posture opposite(Posture p) {
  return p == Posture::kStanding ? Posture::kSitting : Posture::kStanding;
}

minutes backoff(int prompts) {
  const auto i =
      std::min<std::size_t>(static_cast<std::size_t>(prompts), kBackoffMinutes.size() - 1);
  return minutes(kBackoffMinutes[i]);
}

std::int64_t ceil_seconds(WallTime::duration d) { return std::chrono::ceil<seconds>(d).count(); }

bool is_active(SchedulePhase p) {
  return p == SchedulePhase::kCounting || p == SchedulePhase::kWarning ||
         p == SchedulePhase::kAwaitingConfirm;
}

ScheduleEvent event(ScheduleEventKind kind, Posture posture = Posture::kUnknown) {
  ScheduleEvent e;
  e.kind = kind;
  e.posture = posture;
  return e;
}

// The typed cause, and its word in B/event's detail.
void mark_cause(ScheduleEvent& e, ChangeCause cause) {
  e.cause = cause;
  if (cause == ChangeCause::kBusy) e.detail = "busy";
  if (cause == ChangeCause::kPause) e.detail = "pause";
}

}  // namespace

Scheduler::Scheduler(ScheduleSettings settings, SchedulerMemory memory)
    : settings_(std::move(settings)),
      windows_(settings_.windows, settings_.skip_dates),
      progression_start_(memory.progression_start),
      paused_until_(memory.paused_until),
      moves_date_(memory.moves_date),
      moves_today_(memory.moves_today),
      skips_today_(memory.skips_today) {}

int Scheduler::stand_minutes_on(CivilDate d) const {
  // With comfort answers the progression walks them day by day: each date is walked once until
  // the settings, the start or the answers change (minutes_cache_ is cleared then).
  if (const auto it = minutes_cache_.find(d); it != minutes_cache_.end()) return it->second;
  const int m = progression_minutes_on(settings_, progression_start(), d, comfort_);
  if (minutes_cache_.size() >= kMinutesCacheDates) minutes_cache_.clear();
  minutes_cache_.emplace(d, m);
  return m;
}

std::optional<CivilDate> Scheduler::progression_start() const {
  const Progression& p = settings_.progression;
  return p.start_date ? p.start_date : progression_start_;
}

SchedulerMemory Scheduler::memory() const {
  return SchedulerMemory{paused_until_, progression_start_, moves_date_, moves_today_,
                         skips_today_};
}

std::chrono::seconds Scheduler::period_length(Posture p, WallTime at) const {
  const int m = p == Posture::kStanding ? stand_minutes_on(local_date(at)) : settings_.sit_minutes;
  return minutes(m);
}

bool Scheduler::moves_blocked_by_cap(WallTime now) const {
  return moves_date_ && *moves_date_ == local_date(now) &&
         moves_today_ >= settings_.max_auto_moves_per_day;
}

int Scheduler::skips_today(WallTime now) const {
  return moves_date_ && *moves_date_ == local_date(now) ? skips_today_ : 0;
}

Posture Scheduler::current_posture(const ScheduleInputs& in) const {
  return is_sit_stand(in.posture) ? in.posture : last_known_posture_;
}

Scheduler::Gate Scheduler::gate(const ScheduleInputs& in) const {
  if (!settings_.enabled) return {SchedulePhase::kDisabled, "schedule disabled", false};
  if (!in.clock_trusted) return {SchedulePhase::kBlocked, "clock not synchronised", false};
  if (in.wall < kMinPlausibleWall) {
    return {SchedulePhase::kBlocked, "clock obviously wrong", false};
  }
  if (windows_.is_skip_date(local_date(in.wall))) {
    return {SchedulePhase::kOutsideHours, "skip date", false};
  }
  if (!windows_.contains(in.wall)) {
    return {SchedulePhase::kOutsideHours, "outside working hours", false};
  }
  if (paused_until_ && in.wall < *paused_until_) {
    return {SchedulePhase::kPaused, "paused for today", false};
  }
  if (!in.present) return {SchedulePhase::kBlocked, "nobody at the desk", false};
  if (stage_ == Stage::kMoving) return {SchedulePhase::kMoving, "", true};
  if (settings_.mode != ScheduleMode::kRemind) {
    if (in.fault) return {SchedulePhase::kBlocked, "fault latched", true};
    if (!in.position_known) return {SchedulePhase::kBlocked, "position unknown", true};
    if (in.height_uncertainty_mm > 0) {
      return {SchedulePhase::kBlocked,
              "height may be off by up to " + std::to_string(in.height_uncertainty_mm) +
                  " mm: calibrate",
              true};
    }
    if (moves_blocked_by_cap(in.wall)) {
      return {SchedulePhase::kBlocked, "daily limit reached", true};
    }
  }
  if (in.motion_busy) return {SchedulePhase::kMoving, "manual move", true};
  switch (stage_) {
    case Stage::kWarning:
      return {SchedulePhase::kWarning, "", true};
    case Stage::kAwaiting:
      return {SchedulePhase::kAwaitingConfirm, "", true};
    default:
      return {SchedulePhase::kCounting, "", true};
  }
}

void Scheduler::start_period(Posture p, WallTime now) {
  period_posture_ = is_sit_stand(p) ? p : last_known_posture_;
  period_start_ = now;
  due_ = now + period_length(period_posture_, now);
  stage_ = Stage::kCounting;
  confirmed_ = false;
  prompts_ = 0;
  clear_waits();
}

void Scheduler::stop_running() {
  if (stage_ == Stage::kMoving) return;
  stage_ = Stage::kIdle;
  confirmed_ = false;
  prompts_ = 0;
  clear_waits();
}

void Scheduler::clear_waits() {
  deferred_since_.reset();
  pause_wait_since_.reset();
  change_cause_ = ChangeCause::kClock;
}

void Scheduler::handle_posture_change(Posture p, WallTime now) {
  if (last_auto_move_at_ && now - *last_auto_move_at_ <= kUndoWindow && p == last_auto_move_from_) {
    ScheduleEvent e = event(ScheduleEventKind::kDeclined, p);
    e.detail = "undone";
    pending_events_.push_back(std::move(e));
  }
  last_auto_move_at_.reset();
  last_known_posture_ = p;
  start_period(p, now);
}

void Scheduler::roll_day(WallTime now) {
  const CivilDate today = local_date(now);
  if (moves_date_ != today) {
    moves_date_ = today;
    moves_today_ = 0;
    skips_today_ = 0;
  }
}

// Whether the wall clock moved against the steady clock since the last update (an event then).
bool Scheduler::note_clock(const ScheduleInputs& in, std::vector<ScheduleEvent>& events) {
  bool jumped = false;
  if (last_wall_ && last_steady_) {
    const auto wall_delta =
        std::chrono::duration_cast<std::chrono::nanoseconds>(in.wall - *last_wall_);
    const auto steady_delta =
        std::chrono::duration_cast<std::chrono::nanoseconds>(in.steady - *last_steady_);
    const auto diff = wall_delta - steady_delta;
    if (diff > kClockJumpTolerance || diff < -kClockJumpTolerance) {
      ScheduleEvent e = event(ScheduleEventKind::kClockJump);
      e.seconds = std::chrono::duration_cast<seconds>(diff).count();
      events.push_back(std::move(e));
      jumped = true;
    }
  }
  last_wall_ = in.wall;
  last_steady_ = in.steady;
  return jumped;
}

// With a clock that can be trusted: the pause's end, the day's move count, the progression start.
void Scheduler::note_day(const ScheduleInputs& in) {
  if (!in.clock_trusted || in.wall < kMinPlausibleWall) return;
  if (paused_until_ && in.wall >= *paused_until_) paused_until_.reset();
  roll_day(in.wall);
  if (settings_.progression.enabled && !settings_.progression.start_date && !progression_start_) {
    progression_start_ = local_date(in.wall);
    minutes_cache_.clear();
  }
}

// Movement breaks run during active working time, independent of desk moves.
void Scheduler::update_breaks(const ScheduleInputs& in, bool working, bool jumped,
                              std::vector<ScheduleEvent>& events) {
  if (!working || !settings_.breaks.enabled) {
    next_break_.reset();
    break_until_.reset();  // an open question stays open: it may still be answered
    return;
  }
  if (!next_break_ || jumped || stage_ == Stage::kIdle) {
    next_break_ = in.wall + minutes(settings_.breaks.every_minutes);
  }
  if (walk_question_until_ && (in.wall >= *walk_question_until_ || jumped)) {
    walk_question_until_.reset();
  }
  if (break_until_ && (in.wall >= *break_until_ || jumped)) {
    if (!jumped && settings_.breaks.ask_walked) {
      events.push_back(event(ScheduleEventKind::kWalkQuestion));
      walk_question_until_ = in.wall + kWalkAnswerWindow;
    }
    break_until_.reset();
  }
  if (in.wall >= *next_break_) {
    ScheduleEvent e = event(ScheduleEventKind::kBreak);
    e.minutes = settings_.breaks.duration_minutes;
    events.push_back(std::move(e));
    break_until_ = in.wall + minutes(settings_.breaks.duration_minutes);
    next_break_ = in.wall + minutes(settings_.breaks.every_minutes);
  }
}

// The comfort check-in sees every sit/stand posture, also during a move and outside the windows.
void Scheduler::ask_comfort(const ScheduleInputs& in, bool jumped,
                            std::vector<ScheduleEvent>& events) {
  if (jumped) checkin_.clock_jumped(in.wall);
  const bool may_ask =
      settings_.enabled && in.clock_trusted && in.wall >= kMinPlausibleWall && in.present;
  if (checkin_.observe(settings_.comfort_checkin, in.posture, in.wall, may_ask)) {
    events.push_back(event(ScheduleEventKind::kComfortQuestion));
  }
}

ScheduleAction Scheduler::update(const ScheduleInputs& in, std::vector<ScheduleEvent>& events) {
  const bool jumped = note_clock(in, events);
  if (is_sit_stand(in.posture)) last_known_posture_ = in.posture;
  note_day(in);

  ScheduleAction action;
  const Gate g = gate(in);
  const auto finish = [&] {
    compute_wakeup(in);
    events.insert(events.end(), pending_events_.begin(), pending_events_.end());
    pending_events_.clear();
    return action;
  };

  ask_comfort(in, jumped, events);
  if (stage_ == Stage::kMoving) return finish();  // until auto_move_finished()
  update_breaks(in, g.working, jumped, events);
  if (!g.working || g.phase == SchedulePhase::kBlocked) {
    stop_running();
    return finish();
  }
  if (stage_ == Stage::kIdle || jumped) {
    start_period(current_posture(in), in.wall);
  } else if (is_sit_stand(in.posture) && in.posture != period_posture_) {
    handle_posture_change(in.posture, in.wall);
  }
  if (in.motion_busy) return finish();  // a manual move: wait for it to end

  // A call or a meeting began during the warning: the warning is withdrawn and the change waits
  // (a warning the user already confirmed goes ahead).
  if (stage_ == Stage::kWarning && in.busy && !confirmed_) stage_ = Stage::kCounting;
  if (stage_ == Stage::kCounting) {
    count_down(in, action, events);
  } else if (stage_ == Stage::kAwaiting && !confirmed_ && !in.busy && in.wall >= next_prompt_) {
    ++prompts_;
    next_prompt_ = in.wall + backoff(prompts_);
    prompt(action, events);
  }
  start_move_if_due(in, action, events);
  return finish();
}

// Whether the counting period's end has come: the warning's time (auto mode; a change that
// would fall at or after the end of the working stretch is not announced: the period simply runs
// out) or the period's end (the first prompt / reminder).
bool Scheduler::change_due(const ScheduleInputs& in) const {
  if (settings_.mode != ScheduleMode::kAuto) return in.wall >= due_;
  const seconds warn(settings_.warn_seconds);
  const auto stretch = windows_.stretch_at_or_after(in.wall);
  return in.wall >= due_ - warn && stretch && std::max(due_, in.wall + warn) < stretch->end;
}

// The counting period's end: a warning (auto mode) or the first prompt / reminder; while busy,
// the change waits (defer()).
void Scheduler::count_down(const ScheduleInputs& in, ScheduleAction& action,
                           std::vector<ScheduleEvent>& events) {
  if (!change_due(in)) return;
  if (in.busy) return defer(in, events);
  deferred_since_.reset();
  if (waits_for_pause(in, events)) return;
  if (settings_.mode == ScheduleMode::kAuto) {
    const seconds warn(settings_.warn_seconds);
    stage_ = Stage::kWarning;
    if (due_ < in.wall + warn) due_ = in.wall + warn;
    ScheduleEvent e = event(ScheduleEventKind::kWarning, opposite(period_posture_));
    e.seconds = ceil_seconds(due_ - in.wall);
    mark_cause(e, change_cause_);
    events.push_back(std::move(e));
    return;
  }
  stage_ = Stage::kAwaiting;
  prompts_ = 0;
  confirmed_ = false;
  next_prompt_ = in.wall + backoff(0);
  prompt(action, events);
}

// The change fell due while the person is busy: no warning, no prompt, no move. It waits (one
// `deferred` event, counted), at most busy_max_defer_minutes; then it is skipped (`declined`,
// detail "busy") and a new period starts in the current posture.
void Scheduler::defer(const ScheduleInputs& in, std::vector<ScheduleEvent>& events) {
  const Posture target = opposite(period_posture_);
  if (!deferred_since_) {
    deferred_since_ = in.wall;
    ScheduleEvent e = event(ScheduleEventKind::kDeferred, target);
    mark_cause(e, ChangeCause::kBusy);
    events.push_back(std::move(e));
  }
  if (in.wall < *deferred_since_ + minutes(settings_.busy_max_defer_minutes)) return;
  ScheduleEvent e = event(ScheduleEventKind::kDeclined, target);
  mark_cause(e, ChangeCause::kBusy);
  events.push_back(std::move(e));
  start_period(period_posture_, in.wall);
}

// Natural breaks: the change that fell due waits for the person's pause (break_idle_seconds
// without input), at most break_wait_minutes. true: still waiting. Without a topic, with the
// activity unknown or a zero wait, nothing waits.
bool Scheduler::waits_for_pause(const ScheduleInputs& in, std::vector<ScheduleEvent>& events) {
  change_cause_ = ChangeCause::kClock;
  if (settings_.activity_topic.empty() || settings_.break_wait_minutes == 0 || !in.activity_known) {
    pause_wait_since_.reset();
    return false;
  }
  if (paused_long_enough(in)) {
    change_cause_ = ChangeCause::kPause;
    pause_wait_since_.reset();
    return false;
  }
  if (!pause_wait_since_) {
    pause_wait_since_ = in.wall;
    ScheduleEvent e = event(ScheduleEventKind::kDeferred, opposite(period_posture_));
    mark_cause(e, ChangeCause::kPause);
    events.push_back(std::move(e));
  }
  if (in.wall < *pause_wait_since_ + minutes(settings_.break_wait_minutes)) return true;
  pause_wait_since_.reset();  // no pause came: warned as without natural breaks
  return false;
}

bool Scheduler::paused_long_enough(const ScheduleInputs& in) const {
  return in.idle_since && in.wall - *in.idle_since >= seconds(settings_.break_idle_seconds);
}

// A prompt (confirm mode; with a nudge when configured) or a reminder (remind mode).
void Scheduler::prompt(ScheduleAction& action, std::vector<ScheduleEvent>& events) const {
  const Posture target = opposite(period_posture_);
  const bool confirm = settings_.mode == ScheduleMode::kConfirm;
  ScheduleEvent e =
      event(confirm ? ScheduleEventKind::kPrompt : ScheduleEventKind::kReminder, target);
  mark_cause(e, change_cause_);
  events.push_back(std::move(e));
  if (confirm && settings_.nudge) action = {ScheduleAction::Kind::kNudge, target};
}

// The warned change at its time (or confirmed early), or the confirmed prompt: one move.
void Scheduler::start_move_if_due(const ScheduleInputs& in, ScheduleAction& action,
                                  std::vector<ScheduleEvent>& events) {
  const bool move_now =
      (stage_ == Stage::kWarning && (in.wall >= due_ || confirmed_)) ||
      (stage_ == Stage::kAwaiting && settings_.mode == ScheduleMode::kConfirm && confirmed_);
  if (!move_now) return;
  const Posture target = opposite(period_posture_);
  action = {ScheduleAction::Kind::kMove, target};
  stage_ = Stage::kMoving;
  move_from_ = period_posture_;
  move_target_ = target;
  confirmed_ = false;
  roll_day(in.wall);
  ++moves_today_;
  ScheduleEvent e = event(ScheduleEventKind::kAutoMove, target);
  mark_cause(e, change_cause_);
  events.push_back(std::move(e));
}

void Scheduler::compute_wakeup(const ScheduleInputs& in) {
  wakeup_.reset();
  if (!settings_.enabled || !in.clock_trusted || in.wall < kMinPlausibleWall) return;
  if (stage_ == Stage::kMoving) return;
  const auto consider = [&](WallTime t) {
    if (t > in.wall && (!wakeup_ || t < *wakeup_)) wakeup_ = t;
  };
  const auto stretch = windows_.stretch_at_or_after(in.wall);
  if (stretch) {
    consider(stretch->begin);
    consider(stretch->end);
  }
  if (paused_until_) consider(*paused_until_);
  switch (stage_) {
    case Stage::kCounting:
      if (!stretch || due_ < stretch->end) {
        consider(settings_.mode == ScheduleMode::kAuto ? due_ - seconds(settings_.warn_seconds)
                                                       : due_);
      }
      if (deferred_since_) consider(*deferred_since_ + minutes(settings_.busy_max_defer_minutes));
      if (pause_wait_since_) {
        consider(*pause_wait_since_ + minutes(settings_.break_wait_minutes));
        if (in.idle_since) consider(*in.idle_since + seconds(settings_.break_idle_seconds));
      }
      break;
    case Stage::kWarning:
      consider(due_);
      break;
    case Stage::kAwaiting:
      consider(next_prompt_);
      break;
    default:
      break;
  }
  if (next_break_) consider(*next_break_);
  if (break_until_) consider(*break_until_);
  if (walk_question_until_) consider(*walk_question_until_);
  if (auto closes = checkin_.closes_at()) consider(*closes);
  if (moves_blocked_by_cap(in.wall)) consider(next_local_midnight(in.wall));
}

std::optional<std::string> Scheduler::answer_walked(bool walked, const ScheduleInputs& in) {
  if (!walk_question_until_ || in.wall >= *walk_question_until_) {
    return "nothing to answer: no movement break ended in the last " +
           std::to_string(kWalkAnswerWindow.count()) + " minutes";
  }
  walk_question_until_.reset();
  ScheduleEvent e = event(ScheduleEventKind::kWalked);
  e.walked = walked;
  e.detail = walked ? "yes" : "no";
  pending_events_.push_back(std::move(e));
  return std::nullopt;
}

void Scheduler::set_comfort(ComfortLog log) {
  comfort_ = std::move(log);
  minutes_cache_.clear();
  if (!comfort_.empty()) checkin_.answered_on(comfort_.back().date);
}

std::optional<std::string> Scheduler::answer_comfort(int value, const ScheduleInputs& in) {
  if (auto why = comfort_error(value)) return why;
  if (!in.clock_trusted || in.wall < kMinPlausibleWall) {
    return "comfort: the clock is not synchronised, so the answer's day is not known";
  }
  checkin_.answered(in.wall);
  ScheduleEvent e = event(ScheduleEventKind::kComfort);
  e.comfort = value;
  pending_events_.push_back(std::move(e));
  return std::nullopt;
}

std::optional<std::string> Scheduler::snooze(const ScheduleInputs& in) {
  const Gate g = gate(in);
  if (stage_ == Stage::kIdle || !is_active(g.phase)) {
    return "nothing to snooze (" + std::string(to_string(g.phase)) + ")";
  }
  postpone(in, {});
  return std::nullopt;
}

// Snooze: the change comes snooze_minutes later (an event `snoozed` with `detail` if given).
void Scheduler::postpone(const ScheduleInputs& in, std::string detail) {
  due_ = std::max(due_, in.wall) + minutes(settings_.snooze_minutes);
  stage_ = Stage::kCounting;
  confirmed_ = false;
  prompts_ = 0;
  ScheduleEvent e = event(ScheduleEventKind::kSnoozed, opposite(period_posture_));
  e.until = due_;
  e.detail = std::move(detail);
  pending_events_.push_back(std::move(e));
}

std::optional<std::string> Scheduler::skip(const ScheduleInputs& in) {
  const Gate g = gate(in);
  if (stage_ == Stage::kIdle || !is_active(g.phase)) {
    return "nothing to skip (" + std::string(to_string(g.phase)) + ")";
  }
  roll_day(in.wall);
  const int limit = settings_.max_skips_per_day;
  if (limit > 0 && skips_today_ >= limit) {
    postpone(in, "daily skip limit reached (" + std::to_string(limit) + ")");
    return std::nullopt;
  }
  ++skips_today_;
  const bool announced = stage_ == Stage::kWarning || stage_ == Stage::kAwaiting;
  const WallTime base = std::max(due_, in.wall);
  due_ = base + period_length(period_posture_, base);
  stage_ = Stage::kCounting;
  confirmed_ = false;
  prompts_ = 0;
  if (announced) {
    ScheduleEvent e = event(ScheduleEventKind::kDeclined, opposite(period_posture_));
    e.detail = "skip";
    pending_events_.push_back(std::move(e));
  }
  return std::nullopt;
}

std::optional<std::string> Scheduler::pause_today(const ScheduleInputs& in) {
  if (!settings_.enabled) return std::string("schedule is disabled");
  if (!in.clock_trusted || in.wall < kMinPlausibleWall) {
    return std::string("clock not synchronised");
  }
  if (paused_until_ && in.wall < *paused_until_) return std::string("already paused");
  paused_until_ = next_local_midnight(in.wall);
  stop_running();
  return std::nullopt;
}

std::optional<std::string> Scheduler::resume(const ScheduleInputs& in) {
  if (!paused_until_ || in.wall >= *paused_until_) return std::string("not paused");
  paused_until_.reset();
  return std::nullopt;
}

std::optional<std::string> Scheduler::confirm(const ScheduleInputs& in) {
  if (settings_.mode == ScheduleMode::kRemind) {
    return std::string("remind mode never moves the desk");
  }
  const Gate g = gate(in);
  const bool announced = (stage_ == Stage::kWarning && g.phase == SchedulePhase::kWarning) ||
                         (stage_ == Stage::kAwaiting && g.phase == SchedulePhase::kAwaitingConfirm);
  if (!announced) return "nothing to confirm (" + std::string(to_string(g.phase)) + ")";
  confirmed_ = true;
  return std::nullopt;
}

bool Scheduler::manual_override(const ScheduleInputs& in) {
  if (stage_ != Stage::kWarning) return false;
  ScheduleEvent e = event(ScheduleEventKind::kDeclined, opposite(period_posture_));
  e.detail = "cancelled";
  pending_events_.push_back(std::move(e));
  start_period(current_posture(in), in.wall);
  return true;
}

void Scheduler::manual_posture_change(Posture p, const ScheduleInputs& in) {
  if (!is_sit_stand(p)) return;
  if (stage_ == Stage::kIdle || stage_ == Stage::kMoving) {
    last_known_posture_ = p;
    return;
  }
  if (p != period_posture_) handle_posture_change(p, in.wall);
}

void Scheduler::auto_move_finished(MoveOutcome outcome, const ScheduleInputs& in) {
  if (stage_ != Stage::kMoving) return;
  stage_ = Stage::kIdle;
  switch (outcome) {
    case MoveOutcome::kReached:
      last_auto_move_at_ = in.wall;
      last_auto_move_from_ = move_from_;
      last_known_posture_ = move_target_;
      start_period(move_target_, in.wall);
      break;
    case MoveOutcome::kCancelled: {
      ScheduleEvent e = event(ScheduleEventKind::kDeclined, move_target_);
      e.detail = "cancelled";
      pending_events_.push_back(std::move(e));
      start_period(current_posture(in), in.wall);
      break;
    }
    case MoveOutcome::kFailed:
      start_period(current_posture(in), in.wall);
      break;
  }
}

void Scheduler::set_settings(ScheduleSettings settings, const ScheduleInputs& in) {
  const bool progression_was_on = settings_.progression.enabled;
  settings_ = std::move(settings);
  minutes_cache_.clear();
  windows_ = ScheduleWindows(settings_.windows, settings_.skip_dates);
  if (settings_.progression.enabled && !progression_was_on && !settings_.progression.start_date) {
    progression_start_.reset();
    if (in.clock_trusted && in.wall >= kMinPlausibleWall) {
      progression_start_ = local_date(in.wall);
    }
  }
  if (stage_ == Stage::kCounting || stage_ == Stage::kWarning || stage_ == Stage::kAwaiting) {
    due_ = period_start_ + period_length(period_posture_, period_start_);
    stage_ = Stage::kCounting;
    confirmed_ = false;
    prompts_ = 0;
    clear_waits();
  }
  if (!settings_.breaks.enabled) {
    next_break_.reset();
    break_until_.reset();
  }
  if (!settings_.enabled) stop_running();
}

void Scheduler::set_enabled(bool enabled) {
  settings_.enabled = enabled;
  if (!enabled) stop_running();
}

ScheduleStatus Scheduler::status(const ScheduleInputs& in) const {
  const Gate g = gate(in);
  ScheduleStatus st;
  st.phase = g.phase;
  st.reason = g.reason;
  st.stand_minutes = stand_minutes_on(local_date(in.wall));
  st.break_due = g.working && break_until_ && in.wall < *break_until_;
  if (moves_date_ && *moves_date_ == local_date(in.wall)) st.auto_moves_today = moves_today_;
  st.walk_question = walk_question_until_ && in.wall < *walk_question_until_;
  st.comfort_question = checkin_.open(in.wall);
  if (settings_.max_skips_per_day > 0) {
    st.skips_left = std::max(0, settings_.max_skips_per_day - skips_today(in.wall));
  }
  switch (g.phase) {
    case SchedulePhase::kCounting:  // a period that runs out with the window shows the next one
    case SchedulePhase::kOutsideHours:
    case SchedulePhase::kPaused:
      if (auto first = plan(in, in.wall + std::chrono::hours(24 * 8), 1); !first.empty()) {
        st.next_change = first.front().at;
        st.next_posture = first.front().posture;
      }
      break;
    case SchedulePhase::kWarning:
      st.next_change = due_;
      st.next_posture = opposite(period_posture_);
      st.warning_remaining_s =
          static_cast<int>(std::max<std::int64_t>(0, ceil_seconds(due_ - in.wall)));
      break;
    case SchedulePhase::kAwaitingConfirm:
      st.next_posture = opposite(period_posture_);
      break;
    case SchedulePhase::kMoving:
      if (stage_ == Stage::kMoving) st.next_posture = move_target_;
      break;
    case SchedulePhase::kBlocked:
    case SchedulePhase::kDisabled:
      break;
  }
  if (deferred_since_ && st.phase == SchedulePhase::kCounting) {
    st.phase = SchedulePhase::kBlocked;
    st.reason = "busy: the change to " + std::string(to_string(opposite(period_posture_))) +
                " waits until you are free (skipped after " +
                std::to_string(settings_.busy_max_defer_minutes) + " min)";
  }
  if (pause_wait_since_ && st.phase == SchedulePhase::kCounting) {
    st.reason = "waiting for a pause";
    st.next_change = *pause_wait_since_ + minutes(settings_.break_wait_minutes);
    st.next_posture = opposite(period_posture_);
  }
  return st;
}

std::vector<PlannedChange> Scheduler::preview(const ScheduleInputs& in,
                                              std::chrono::hours horizon) const {
  return plan(in, in.wall + horizon, std::numeric_limits<std::size_t>::max());
}

std::vector<PlannedChange> Scheduler::plan(const ScheduleInputs& in, WallTime until,
                                           std::size_t max_changes) const {
  std::vector<PlannedChange> out;
  if (!settings_.enabled || !in.clock_trusted || in.wall < kMinPlausibleWall) return out;
  WallTime t = in.wall;
  Posture posture = current_posture(in);
  std::optional<WallTime> due;
  const Gate g = gate(in);
  if (stage_ == Stage::kMoving) {
    posture = move_target_;
    due = in.wall + period_length(posture, in.wall);
  } else if (stage_ != Stage::kIdle && (is_active(g.phase) || g.phase == SchedulePhase::kMoving)) {
    posture = period_posture_;
    due = stage_ == Stage::kAwaiting ? in.wall : due_;
  }
  if (paused_until_ && t < *paused_until_) {
    t = *paused_until_;
    due.reset();
  }
  const bool capped = settings_.mode != ScheduleMode::kRemind;
  std::optional<CivilDate> cap_date = moves_date_;
  int cap_moves = moves_today_;
  while (out.size() < max_changes) {
    const auto stretch = windows_.stretch_at_or_after(t);
    if (!stretch || stretch->begin >= until) break;
    if (stretch->begin > t || !due) {
      t = std::max(t, stretch->begin);
      due = t + period_length(posture, t);
    }
    bool cap_hit = false;
    while (*due < stretch->end && *due < until && out.size() < max_changes) {
      if (capped) {
        const CivilDate d = local_date(*due);
        if (cap_date != d) {
          cap_date = d;
          cap_moves = 0;
        }
        if (cap_moves >= settings_.max_auto_moves_per_day) {
          cap_hit = true;
          break;
        }
        ++cap_moves;
      }
      posture = opposite(posture);
      out.push_back({*due, posture});
      *due += period_length(posture, *due);
    }
    // The next period starts fresh: at the next stretch, or after midnight when capped.
    t = cap_hit ? next_local_midnight(*due) : stretch->end;
    due.reset();
  }
  return out;
}

}  // namespace deskd::core
