#include "app/daemon.h"

#include <boost/asio/post.hpp>
#include <csignal>
#include <sstream>

#include "app/log.h"
#include "app/scheduler_memory_file.h"
#include "app/time_sync.h"
#include "config/config_loader.h"
#include "core/stats_codec.h"
#include "http/dashboard_config.h"
#include "http/http_server.h"
#include "hw/gpiod_backend.h"
#include "mqtt/iso_time.h"
#include "version.h"

namespace deskd::app {
namespace {

constexpr auto kSaveInterval = std::chrono::seconds(60);
constexpr const char* kStatsFile = "stats.txt";
constexpr const char* kSchedulerFile = "scheduler.txt";

std::string fmt_mm(std::optional<double> h) {
  return h ? std::to_string(static_cast<int>(std::lround(*h))) + " mm" : std::string("unknown");
}

// "300", "2.5": the shortest form that reads back as the same value.
std::string fmt_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

Daemon::Daemon(config::Config config, const CliOptions& options)
    : config_(std::move(config)),
      options_(options),
      clock_(options.time_scale.value_or(1.0)),
      store_(config_.state.dir),
      topics_(mqtt::make_topics(config_.mqtt.base_topic, config_.desk.id,
                                config_.mqtt.discovery_prefix)),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      motion_timer_(io_, clock_, [this] { on_motion_deadline(); }),
      schedule_timer_(io_, clock_, [this] { update_schedule(); }),
      publish_timer_(io_, clock_, [this] { publish_state_now(); }),
      save_timer_(io_),
      watchdog_timer_(io_),
      sit_height_mm_(config_.desk.sit_height_mm),
      stand_height_mm_(config_.desk.stand_height_mm) {
  const bool simulate = options_.simulate || config_.gpio.backend == config::Backend::kSim;
  simulated_clock_ = simulate && options_.time_scale.has_value();
  const auto now = clock_.steady_now();

  if (auto e = store_.ensure_dir()) throw std::runtime_error(*e);

  // Desk state: last position (trusted only after a clean shutdown), learned coast and speeds.
  auto desk_state = store_.load_desk();
  for (const auto& w : desk_state.warnings) log_warning(w);
  core::RestoredPosition restored;
  if (desk_state.value.clean_shutdown) restored.height_mm = desk_state.value.height_mm;
  restored.coast = {desk_state.value.coast_up_s, desk_state.value.coast_down_s,
                    desk_state.value.coast_samples_up, desk_state.value.coast_samples_down};
  restored.up_speed_mm_s = desk_state.value.up_speed_mm_s;
  restored.down_speed_mm_s = desk_state.value.down_speed_mm_s;
  if (desk_state.value.height_mm && !desk_state.value.clean_shutdown) {
    log_warning("the last run did not shut down cleanly: position unknown until calibrated");
  }

  // Run-time settings override the config file (which is never rewritten).
  auto settings = store_.load_settings();
  for (const auto& w : settings.warnings) log_warning(w);
  for (const auto& w : config::drop_out_of_limits(settings.value, config_.motion)) log_warning(w);
  schedule_settings_ = settings.value.schedule.value_or(config_.schedule);
  presets_ = config_.desk.presets;
  for (const auto& [k, v] : settings.value.presets) presets_[k] = v;
  if (settings.value.sit_height_mm) sit_height_mm_ = *settings.value.sit_height_mm;
  if (settings.value.stand_height_mm) stand_height_mm_ = *settings.value.stand_height_mm;

  // Hardware. The simulated desk stays where the last run left it; after an unclean stop deskd
  // does not know that height (invariant 5), exactly as with a real desk.
  config::Config hw_config = config_;
  if (simulate && desk_state.value.height_mm) {
    hw_config.sim.start_height_mm = static_cast<int>(std::lround(*desk_state.value.height_mm));
  }
  desk_ = hw::make_desk_io(hw_config, io_, clock_, simulate);
  desk_.io->all_off();
  motion_.emplace(config_.motion, desk_.io->inputs(), restored, now);
  desk_.io->set_input_handler([this](const ports::InputState& in) { on_inputs(in); });
  if (desk_.gpiod) {
    // An input line that can no longer be read disables stall detection, limits and manual
    // override: latch a gpio fault (outputs off) instead of carrying on blind.
    desk_.gpiod->set_error_handler([this](const std::string& message) {
      log_error(message);
      motion(core::OutputFailed{message});
    });
  }

  // Statistics and schedule memory.
  std::vector<std::string> warnings;
  if (auto loaded = store_.load_text(kStatsFile, &warnings)) {
    std::string error;
    if (auto days = core::parse_stats(*loaded, &error)) {
      stats_ = core::PostureStats(std::move(*days));
    } else {
      log_warning(store_.set_aside(kStatsFile, "corrupt statistics: " + error));
    }
  }
  core::SchedulerMemory memory;
  if (auto loaded = store_.load_text(kSchedulerFile, &warnings)) {
    std::string error;
    if (auto m = parse_scheduler_memory(*loaded, &error)) {
      memory = *m;
    } else {
      log_warning(store_.set_aside(kSchedulerFile, "corrupt schedule memory: " + error));
    }
  }
  for (const auto& w : warnings) log_warning(w);
  scheduler_.emplace(schedule_settings_, memory);
  last_posture_ = posture_of(motion_->height_mm(now));
}

Daemon::~Daemon() {
  if (desk_.io) desk_.io->all_off();
}

void Daemon::request_stop() {
  boost::asio::post(io_, [this] { shutdown(); });
}

int Daemon::run() {
  start();
  io_.run();
  if (desk_.io) desk_.io->all_off();
  return 0;
}

void Daemon::start() {
  const auto t0 = std::chrono::steady_clock::now();
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (!ec) on_signal(signo);
  });
  // Saved so a crash leaves the position untrusted (clean_shutdown = false).
  save_desk_state(false);

  if (config_.web.enabled) {
    http::HttpServerOptions o;
    o.listen = config_.web.listen;
    o.root = config_.web.root;
    http_ = std::make_unique<http::HttpServer>(
        io_, o, [this] { return http::dashboard_config_json(config_, kVersion); });
    if (auto e = http_->start()) throw std::runtime_error("web: " + *e);
    log_info("dashboard on http://" + config_.web.listen + "/");
  }

  const std::string client_id =
      config_.mqtt.client_id.empty() ? "deskd-" + config_.desk.id : config_.mqtt.client_id;
  mqtt_ = std::make_unique<mqtt::MqttClient>(io_, config_.mqtt, client_id, topics_.availability);
  mqtt_->set_log([](int level, const std::string& m) {
    log(level <= 3   ? LogLevel::kError
        : level == 4 ? LogLevel::kWarning
        : level >= 7 ? LogLevel::kDebug
                     : LogLevel::kInfo,
        m);
  });
  auto filters = topics_.command_filters(desk_.sim != nullptr);
  filters.push_back(topics_.ha_status);
  if (!schedule_settings_.presence_topic.empty()) {
    filters.push_back(schedule_settings_.presence_topic);
  }
  mqtt_->set_subscriptions(filters);
  // Invariant 6: presence that cannot be known (broker unreachable) counts as absent.
  auto presence_link = [this](bool up) {
    if (schedule_settings_.presence_topic.empty() || broker_connected_ == up) return;
    update_stats();  // the time until now counts under the presence known until now
    broker_connected_ = up;
    log_info(
        up ? "presence: known again (broker reachable)"
           : "presence: unknown while the broker is unreachable; counts as nobody at the desk");
    update_schedule();
  };
  mqtt_->set_on_connection_lost([presence_link] { presence_link(false); });
  mqtt_->set_on_connected([this, presence_link] {
    presence_link(true);
    on_mqtt_connected();
  });
  mqtt_->set_message_handler([this](const mqtt::InMessage& m) { on_mqtt_message(m); });
  mqtt_->start();

  save_timer_.expires_after(clock_.to_real(kSaveInterval));
  save_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) on_save_timer();
  });
  if (auto interval = notifier_.watchdog_interval()) {
    // Pings from the loop thread, so a stuck loop stops them. The pending wait owns the ping
    // function; the function refers to itself weakly (no cycle, freed when the wait is cancelled).
    auto ping = std::make_shared<std::function<void()>>();
    *ping = [this, period = *interval, self = std::weak_ptr<std::function<void()>>(ping)] {
      notifier_.watchdog();
      watchdog_timer_.expires_after(period);
      watchdog_timer_.async_wait([next = self.lock()](const boost::system::error_code& ec) {
        if (!ec && next) (*next)();
      });
    };
    (*ping)();
  }
  update_stats();  // the statistics count from now, not from the first save or publish
  update_schedule();
  motion_timer_.arm(motion_->next_deadline());
  const auto h = motion_->height_mm(clock_.steady_now());
  log_info("deskd " + std::string(kVersion) + " ready: desk '" + config_.desk.id + "' on the " +
           (desk_.sim ? std::string("simulated desk") : "GPIO backend") + ", height " + fmt_mm(h) +
           (options_.time_scale ? ", time scale x" + fmt_number(*options_.time_scale) : "") +
           " (start-up " +
           std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - t0)
                              .count()) +
           " us)");
  notifier_.ready();
}

void Daemon::on_signal(int signo) {
  if (signo == SIGHUP) {
    reload();
    signals_.async_wait([this](const boost::system::error_code& ec, int s) {
      if (!ec) on_signal(s);
    });
    return;
  }
  log_info(std::string("received ") + (signo == SIGTERM ? "SIGTERM" : "SIGINT") + ": stopping");
  shutdown();
}

void Daemon::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  notifier_.stopping();
  // Invariant 7: the motor stops first, whatever else happens.
  motion(core::MotionCommand{core::MotionCommand::Kind::kStop, 0, "shutdown"});
  desk_.io->all_off();
  save_desk_state(true);
  save_stats();
  if (mqtt_) {
    publish_state_now();
    mqtt_->stop(std::chrono::milliseconds(2000));
  }
  if (http_) http_->stop();
  signals_.cancel();
  motion_timer_.disarm();
  schedule_timer_.disarm();
  publish_timer_.disarm();
  save_timer_.cancel();
  watchdog_timer_.cancel();
  io_.stop();
  log_info("stopped; outputs inactive, state saved");
}

void Daemon::reload() {
  notifier_.reloading();
  auto result = config::load_config(config_.path);
  if (auto* err = std::get_if<config::ConfigError>(&result)) {
    log_error("reload refused, keeping the running config: " + err->to_string());
    notifier_.ready();
    return;
  }
  if (motion_->fault() != core::Fault::kNone) {
    // A fresh motion controller would silently drop the fault (and its reason).
    log_warning("reload refused: a fault is latched (" +
                std::string(core::to_string(motion_->fault())) +
                "); clear it, then send SIGHUP again");
    notifier_.ready();
    return;
  }
  // Idle means nothing pending at all: no move, reverse pause, settling or nudge return leg.
  if (motion_->drive() != core::Drive::kNone || motion_->manual_motion() ||
      motion_->next_deadline().has_value()) {
    log_warning("reload refused: the desk is moving; send SIGHUP again when it is idle");
    notifier_.ready();
    return;
  }
  config::Config next = std::get<config::Config>(std::move(result));
  if (next.gpio.backend != config_.gpio.backend || next.gpio.chip != config_.gpio.chip ||
      next.mqtt.uri != config_.mqtt.uri || next.web.listen != config_.web.listen ||
      next.desk.id != config_.desk.id || next.state.dir != config_.state.dir ||
      next.schedule.presence_topic != config_.schedule.presence_topic) {
    log_warning(
        "reload: changes to [gpio], [mqtt], [web], [state], desk.id and "
        "schedule.presence_topic take effect after a restart");
  }
  // The MQTT subscription is made at start-up: keep listening where it listens.
  next.schedule.presence_topic = config_.schedule.presence_topic;
  desk_.io->all_off();  // invariant 7: a reload never leaves an output active
  const auto now = clock_.steady_now();
  // The new controller applies the reverse dead time to its first move in either direction.
  motion_.emplace(next.motion, desk_.io->inputs(), motion_->persistent(now), now);
  motion_timer_.arm(motion_->next_deadline());
  // Discovery carries the name and the height limits.
  const bool rediscover = next.desk.name != config_.desk.name ||
                          next.motion.min_height_mm != config_.motion.min_height_mm ||
                          next.motion.max_height_mm != config_.motion.max_height_mm;
  config_.motion = next.motion;
  // The whole [desk] table but its id (topics are made at start-up). sit/stand heights must be
  // the file's so that save_settings() keeps only real run-time overrides.
  next.desk.id = config_.desk.id;
  config_.desk = next.desk;
  auto runtime = store_.load_settings();
  for (const auto& w : runtime.warnings) log_warning(w);
  // The new limits may exclude heights saved at run time.
  for (const auto& w : config::drop_out_of_limits(runtime.value, next.motion)) log_warning(w);
  config_.schedule = next.schedule;
  if (!runtime.value.schedule) {
    schedule_settings_ = next.schedule;
    scheduler_->set_settings(schedule_settings_, schedule_inputs());
  }
  presets_ = next.desk.presets;
  for (const auto& [k, v] : runtime.value.presets) presets_[k] = v;
  sit_height_mm_ = runtime.value.sit_height_mm.value_or(next.desk.sit_height_mm);
  stand_height_mm_ = runtime.value.stand_height_mm.value_or(next.desk.stand_height_mm);
  log_info("configuration reloaded from " + config_.path);
  if (rediscover && mqtt_) publish_discovery();
  publish_schedule();
  publish_state_soon();
  update_schedule();
  notifier_.ready();
}

// ---- Motion -------------------------------------------------------------------------------------

void Daemon::on_inputs(const ports::InputState& inputs) { motion(core::InputsChanged{inputs}); }

void Daemon::on_motion_deadline() {
  // Inputs first: after a scheduling hiccup, queued encoder edges must be seen before a stall
  // deadline is judged.
  desk_.io->sync_inputs();
  motion(core::DeadlineReached{});
}

void Daemon::motion(const core::MotionInput& input, const std::string& command_text) {
  auto fx = motion_->handle(input, clock_.steady_now());
  apply(fx, command_text);
}

void Daemon::apply(const core::MotionEffects& fx, const std::string& command_text) {
  const bool was_driving = desk_.io->drive() != core::Drive::kNone;
  if (fx.drive) {
    const bool changed = *fx.drive != desk_.io->drive();
    if (auto err = desk_.io->set_drive(*fx.drive)) {
      log_error("GPIO: " + *err);
      auto fail = motion_->handle(core::OutputFailed{*err}, clock_.steady_now());
      desk_.io->all_off();
      apply(core::MotionEffects{std::nullopt, fail.notices, std::nullopt}, command_text);
      return;
    }
    if (changed && *fx.drive == core::Drive::kNone) motion_->outputs_written(clock_.steady_now());
    if (changed && log_level() >= LogLevel::kDebug) {
      // CLOCK_MONOTONIC, so benchmarks in other processes can time command -> output.
      log_debug("outputs " + std::string(core::to_string(*fx.drive)) + " at monotonic " +
                std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count()) +
                " ns");
    }
  }
  if (fx.error) publish_error(*fx.error, command_text);
  for (const auto& n : fx.notices) on_notice(n);
  motion_timer_.arm(motion_->next_deadline());
  posture_may_have_changed();
  // The statistics saves put off while the motor ran (see save_stats()).
  if (was_driving && desk_.io->drive() == core::Drive::kNone) {
    save_stats();
    if (desk_state_dirty_) save_desk_state(false);
    if (settings_dirty_) save_settings();
  }

  publish_state_soon();
}

void Daemon::on_notice(const core::MotionNotice& n) {
  using K = core::MotionNotice::Kind;
  boost::json::object f;
  auto opt_mm = [](std::optional<double> h) -> boost::json::value {
    if (!h) return nullptr;
    return static_cast<std::int64_t>(std::lround(*h));
  };
  switch (n.kind) {
    case K::kMoveStarted:
      f["target_mm"] = n.target_mm ? boost::json::value(*n.target_mm) : boost::json::value(nullptr);
      f["from_mm"] = opt_mm(n.from_mm);
      f["source"] = n.source;
      if (!n.detail.empty()) f["detail"] = n.detail;
      log_info("move " + (n.detail.empty() ? std::string() : n.detail + " ") + "from " +
               fmt_mm(n.from_mm) + " to " +
               (n.target_mm ? std::to_string(*n.target_mm) + " mm" : std::string("the bottom")) +
               " (" + n.source + ")");
      publish_event("move_started", std::move(f));
      break;
    case K::kMoveFinished:
      f["height_mm"] = opt_mm(n.height_mm);
      f["target_mm"] = n.target_mm ? boost::json::value(*n.target_mm) : boost::json::value(nullptr);
      f["source"] = n.source;
      log_info("move finished at " + fmt_mm(n.height_mm) +
               (n.target_mm ? " (target " + std::to_string(*n.target_mm) + " mm)" : ""));
      publish_event("move_finished", std::move(f));
      if (auto_move_posture_ && n.source == "schedule") {
        auto_move_posture_.reset();
        scheduler_->auto_move_finished(core::MoveOutcome::kReached, schedule_inputs());
      } else if (n.source != "schedule" && n.source != "backoff" && n.detail != "nudge") {
        scheduler_->manual_posture_change(posture_of(n.height_mm), schedule_inputs());
      }
      save_desk_state(false);
      update_schedule();
      break;
    case K::kFault:
      f["fault"] = std::string(core::to_string(n.fault));
      f["detail"] = n.detail;
      log_error("fault " + std::string(core::to_string(n.fault)) + ": " + n.detail);
      publish_event("fault", std::move(f));
      if (auto_move_posture_) {
        auto_move_posture_.reset();
        scheduler_->auto_move_finished(core::MoveOutcome::kFailed, schedule_inputs());
      }
      save_desk_state(false);
      update_schedule();
      break;
    case K::kManualMove:
      f["from_mm"] = opt_mm(n.from_mm);
      f["to_mm"] = opt_mm(n.height_mm);
      log_info("manual move from " + fmt_mm(n.from_mm) + " to " + fmt_mm(n.height_mm));
      publish_event("manual_move", std::move(f));
      scheduler_->manual_posture_change(posture_of(n.height_mm), schedule_inputs());
      save_desk_state(false);
      update_schedule();
      break;
    case K::kCalibrated:
      f["height_mm"] = opt_mm(n.height_mm);
      f["detail"] = n.detail;
      log_info("calibrated at " + fmt_mm(n.height_mm) + " (" + n.detail + ")");
      publish_event("calibrated", std::move(f));
      save_desk_state(false);
      break;
    case K::kStopped:
      f["height_mm"] = opt_mm(n.from_mm);
      f["source"] = n.source;
      f["detail"] = n.detail;
      log_info("stopped by " + n.source + " (" + n.detail + ")");
      publish_event("stopped", std::move(f));
      if (auto_move_posture_) {
        auto_move_posture_.reset();
        scheduler_->auto_move_finished(core::MoveOutcome::kCancelled, schedule_inputs());
      }
      update_schedule();
      break;
  }
}

std::optional<std::string> Daemon::go_to(int mm, const std::string& source) {
  auto fx = motion_->handle(core::MotionCommand{core::MotionCommand::Kind::kGoTo, mm, source},
                            clock_.steady_now());
  std::optional<std::string> error = fx.error;
  fx.error.reset();
  apply(fx, {});
  return error;
}

// ---- Schedule and statistics --------------------------------------------------------------------

core::Posture Daemon::posture_of(std::optional<double> height) const {
  if (!height) return core::Posture::kUnknown;
  if (config_.motion.sensor == core::SensorKind::kNone) {
    if (*height <= config_.motion.bottom_height_mm + 1) return core::Posture::kSitting;
    if (*height >= config_.motion.top_height_mm - 1) return core::Posture::kStanding;
    return core::Posture::kBetween;
  }
  const double band = (stand_height_mm_ - sit_height_mm_) / 4.0;
  if (*height <= sit_height_mm_ + band) return core::Posture::kSitting;
  if (*height >= stand_height_mm_ - band) return core::Posture::kStanding;
  return core::Posture::kBetween;
}

void Daemon::posture_may_have_changed() {
  const auto p = posture_of(motion_->height_mm(clock_.steady_now()));
  if (p == last_posture_) return;
  last_posture_ = p;
  update_stats();
  save_stats();  // at every transition (once the motor is off)
  update_schedule();
}

core::ScheduleInputs Daemon::schedule_inputs() {
  core::ScheduleInputs in;
  in.wall = clock_.wall_now();
  in.steady = clock_.steady_now();
  if (!schedule_settings_.require_time_sync || simulated_clock_) {
    in.clock_trusted = true;
  } else {
    in.clock_trusted = check_clock_trust(in.wall).trusted;
  }
  in.present = present();
  in.posture = motion_ ? posture_of(motion_->height_mm(in.steady)) : core::Posture::kUnknown;
  in.position_known = motion_ && motion_->calibrated();
  in.fault = motion_ && motion_->fault() != core::Fault::kNone;
  in.motion_busy = motion_ && (motion_->drive() != core::Drive::kNone || motion_->manual_motion() ||
                               motion_->state() == core::MotionState::kReversePause);
  return in;
}

void Daemon::update_schedule() {
  if (!scheduler_ || stopping_) return;
  std::vector<core::ScheduleEvent> events;
  auto in = schedule_inputs();
  const auto action = scheduler_->update(in, events);
  on_schedule_events(events);
  if (action.kind == core::ScheduleAction::Kind::kMove) {
    const int target =
        action.posture == core::Posture::kStanding ? stand_height_mm_ : sit_height_mm_;
    auto_move_posture_ = action.posture;
    if (auto e = go_to(target, "schedule")) {
      log_warning("automatic move refused: " + *e);
      auto_move_posture_.reset();
      scheduler_->auto_move_finished(core::MoveOutcome::kFailed, schedule_inputs());
    }
  } else if (action.kind == core::ScheduleAction::Kind::kNudge) {
    apply(motion_->handle(core::MotionCommand{core::MotionCommand::Kind::kNudge, 0, "schedule"},
                          clock_.steady_now()),
          {});
  }
  // Re-check the clock once a minute while it is untrusted (NTP may sync at any time).
  std::optional<core::SteadyTime> wake;
  if (auto w = scheduler_->next_wakeup()) {
    const auto wall = clock_.wall_now();
    wake = in.steady +
           (*w > wall ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(*w - wall)
                      : std::chrono::steady_clock::duration::zero());
  }
  if (!in.clock_trusted) {
    const auto recheck = in.steady + std::chrono::seconds(60);
    if (!wake || recheck < *wake) wake = recheck;
  }
  schedule_timer_.arm(wake);
  publish_state_soon();
}

void Daemon::on_schedule_events(std::vector<core::ScheduleEvent>& events) {
  const auto wall = clock_.wall_now();
  for (const auto& e : events) {
    boost::json::object f;
    if (e.posture != core::Posture::kUnknown)
      f["posture"] = std::string(core::to_string(e.posture));
    if (e.type == "warning") f["in_s"] = e.seconds;
    if (e.type == "break") f["minutes"] = e.minutes;
    if (e.type == "clock_jump") f["by_s"] = e.seconds;
    if (e.until) f["until"] = mqtt::format_local_iso8601(*e.until);
    if (!e.detail.empty()) f["detail"] = e.detail;
    stats_.record(e, wall);
    if (e.type == "clock_jump") {
      log_warning("wall clock jumped by " + std::to_string(e.seconds) + " s; schedule re-planned");
    } else {
      log_info("schedule: " + e.type +
               (e.posture != core::Posture::kUnknown
                    ? " (" + std::string(core::to_string(e.posture)) + ")"
                    : ""));
    }
    if (e.type == "auto_move") continue;  // the move itself is published as move_started
    publish_event(e.type, std::move(f));
  }
}

void Daemon::on_save_timer() {
  save_stats();
  publish_stats();
  publish_state_soon();
  save_timer_.expires_after(clock_.to_real(kSaveInterval));
  save_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) on_save_timer();
  });
}

void Daemon::update_stats() {
  // Nobody at the desk: an empty desk at sitting height is not someone sitting.
  const auto p = present() ? last_posture_ : core::Posture::kUnknown;
  stats_.update(p, clock_.wall_now(), clock_.steady_now());
}

// ---- Persistence --------------------------------------------------------------------------------

void Daemon::save_desk_state(bool clean_shutdown) {
  // No fsync while the motor runs (it would delay a stop); apply() saves once it is off.
  desk_state_dirty_ = !stopping_ && desk_.io->drive() != core::Drive::kNone;
  if (desk_state_dirty_) return;
  const auto p = motion_->persistent(clock_.steady_now());
  config::DeskState s;
  s.height_mm = p.height_mm;
  s.clean_shutdown = clean_shutdown;
  s.coast_up_s = p.coast.up_s;
  s.coast_down_s = p.coast.down_s;
  s.coast_samples_up = p.coast.samples_up;
  s.coast_samples_down = p.coast.samples_down;
  s.up_speed_mm_s = p.up_speed_mm_s;
  s.down_speed_mm_s = p.down_speed_mm_s;
  if (auto e = store_.save_desk(s)) log_error("saving desk state: " + *e);
}

void Daemon::save_settings() {
  settings_dirty_ = !stopping_ && desk_.io->drive() != core::Drive::kNone;
  if (settings_dirty_) return;
  config::RuntimeSettings s;
  if (!(schedule_settings_ == config_.schedule)) s.schedule = schedule_settings_;
  for (const auto& [k, v] : presets_) {
    auto it = config_.desk.presets.find(k);
    if (it == config_.desk.presets.end() || it->second != v) s.presets[k] = v;
  }
  if (sit_height_mm_ != config_.desk.sit_height_mm) s.sit_height_mm = sit_height_mm_;
  if (stand_height_mm_ != config_.desk.stand_height_mm) s.stand_height_mm = stand_height_mm_;
  if (auto e = store_.save_settings(s)) log_error("saving settings: " + *e);
}

void Daemon::save_stats() {
  update_stats();
  // No disk waits (two fsyncs; on an SD card easily 100 ms) while deskd drives the motor: they
  // would delay the stop. apply() saves as soon as the motor is off.
  if (!stopping_ && desk_.io && desk_.io->drive() != core::Drive::kNone) return;
  if (auto e = store_.save_text(kStatsFile, core::serialize_stats(stats_.history()))) {
    log_error("saving statistics: " + *e);
  }
  if (auto e = store_.save_text(kSchedulerFile, serialize_scheduler_memory(scheduler_->memory()))) {
    log_error("saving schedule memory: " + *e);
  }
}

}  // namespace deskd::app
