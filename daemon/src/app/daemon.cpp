#include "app/daemon.h"

#include <boost/asio/post.hpp>
#include <cmath>
#include <csignal>
#include <sstream>

#include "ble/ble_desk_io.h"
#include "config/config_loader.h"
#include "config/reload_rules.h"
#include "http/dashboard_config.h"
#include "http/http_server.h"
#include "hw/bus_backend.h"
#include "hw/gpiod_backend.h"
#include "platform/log.h"
#include "platform/time_sync.h"
#include "version.h"

namespace deskd::app {
namespace {

constexpr auto kMinute = std::chrono::seconds(60);

// MQTT's log lines (syslog levels, paho's included) at deskd's levels.
void log_at_syslog_level(int level, const std::string& message) {
  platform::log(level <= 3   ? platform::LogLevel::kError
                : level == 4 ? platform::LogLevel::kWarning
                : level >= 7 ? platform::LogLevel::kDebug
                             : platform::LogLevel::kInfo,
                message);
}

std::string fmt_mm(std::optional<double> h) {
  return h ? std::to_string(static_cast<int>(std::lround(*h))) + " mm" : std::string("unknown");
}

// "300", "2.5": the shortest form that reads back as the same value.
std::string fmt_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// A backend's log line at deskd's level (hw::BusBackend and ble::BleBackend each have their
// kInfo, kWarning, kError).
template <typename Level>
void log_backend(Level level, const std::string& message) {
  level == Level::kError     ? platform::log_error(message)
  : level == Level::kWarning ? platform::log_warning(message)
                             : platform::log_info(message);
}

mqtt::DiscoveryInfo discovery_info(const config::Config& c) {
  return {c.desk.name, kVersion, c.motion.min_height_mm, c.motion.max_height_mm};
}

}  // namespace

Daemon::Daemon(config::Config config, const CliOptions& options)
    : config_(std::move(config)),
      options_(options),
      clock_(options.time_scale.value_or(1.0)),
      persistence_(config_.state.dir),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      motion_timer_(io_, clock_, [this] { coordinator_->on_motion_deadline(); }),
      schedule_timer_(io_, clock_, [this] { coordinator_->on_schedule_wakeup(); }),
      publish_timer_(io_, clock_, [this] { coordinator_->on_publish_due(); }),
      retry_timer_(io_, clock_, [this] { coordinator_->on_storage_retry(); }),
      minute_timer_(io_),
      watchdog_timer_(io_) {
  const bool simulate = options_.simulate || config_.gpio.backend == config::Backend::kSim;
  if (auto e = persistence_.ensure_dir()) throw std::runtime_error(*e);
  const auto loaded = persistence_.load();
  for (const auto& w : loaded.warnings) platform::log_warning(w);

  // Hardware. The simulated desk stays where the last run left it; after an unclean stop deskd
  // does not know that height (invariant 5), exactly as with a real desk.
  config::Config hw_config = config_;
  if (simulate && loaded.desk.height_mm) {
    hw_config.sim.start_height_mm = static_cast<int>(std::lround(*loaded.desk.height_mm));
  }
  desk_ = config_.ble
              ? ble::make_ble_desk_io(hw_config, io_, clock_,
                                      log_backend<ble::BleBackend::LogLevel>, options_.simulate)
              : hw::make_desk_io(hw_config, io_, clock_, simulate);
  desk_.io->all_off();

  mqtt::MqttAdapter::SimHandler on_sim;
  if (desk_.sim) {
    sim_commands_.emplace(*desk_.sim, desk_.bus_sim, &clock_,
                          [this](const std::string& m, const std::string& payload) {
                            coordinator_->reject(m, payload);
                          });
    on_sim = [this](const std::string& payload) { sim_commands_->on_set(payload); };
  }
  mqtt_ = std::make_unique<mqtt::MqttAdapter>(
      io_, config_,
      mqtt::make_topics(config_.mqtt.base_topic, config_.desk.id, config_.mqtt.discovery_prefix),
      log_at_syslog_level, std::move(on_sim));
  mqtt_->set_discovery(discovery_info(config_));
  CoordinatorPorts ports{clock_,          *desk_.io,      *mqtt_,      motion_timer_,
                         schedule_timer_, publish_timer_, retry_timer_};
  coordinator_.emplace(config_, ports, persistence_, loaded,
                       simulate && options_.time_scale.has_value(),
                       [](core::WallTime now) { return platform::check_clock_trust(now).trusted; });
  desk_.io->set_input_handler([this](const ports::InputState& in) { coordinator_->on_inputs(in); });
  if (desk_.bus) {
    desk_.bus->set_logger(log_backend<hw::BusBackend::LogLevel>);
  }
  if (desk_.gpiod) {
    // An input line that can no longer be read disables stall detection, limits and manual
    // override: latch a gpio fault (outputs off) instead of carrying on blind.
    desk_.gpiod->set_error_handler(
        [this](const std::string& message) { coordinator_->on_output_error(message); });
    desk_.gpiod->set_warning_handler(
        [](const std::string& message) { platform::log_warning(message); });
  }
}

Daemon::~Daemon() {
  if (desk_.io) desk_.io->all_off();
}

std::string Daemon::backend_name() const {
  if (config_.ble) {
    return (options_.simulate ? "simulated Bluetooth desk " : "Bluetooth desk ") +
           config_.ble->address;
  }
  return desk_.sim ? "simulated desk" : "GPIO backend";
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
  coordinator_->start();
  start_web();
  mqtt_->start(*coordinator_);
  arm_minute();
  start_watchdog();
  const auto h = coordinator_->motion().height_mm(clock_.steady_now());
  platform::log_info(
      "deskd " + std::string(kVersion) + " ready: desk '" + config_.desk.id + "' on the " +
      backend_name() + ", height " + fmt_mm(h) +
      (options_.time_scale ? ", time scale x" + fmt_number(*options_.time_scale) : "") +
      " (start-up " +
      std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now() - t0)
                         .count()) +
      " us)");
  notifier_.ready();
}

void Daemon::start_web() {
  if (!config_.web.enabled) return;
  http::HttpServerOptions o;
  o.listen = config_.web.listen;
  o.root = config_.web.root;
  o.mqtt_bridge = http::mqtt_bridge_target(config_);
  o.allow = http::HostAllowList{config_.web.allowed_hosts, config_.web.allowed_origins};
  o.content_security_policy = http::dashboard_csp(http::dashboard_broker_sources(config_));
  o.warn = [](const std::string& line) { platform::log_warning(line); };
  http_ = std::make_unique<http::HttpServer>(
      io_, o, [this] { return http::dashboard_config_json(config_, kVersion); });
  if (auto e = http_->start()) throw std::runtime_error("web: " + *e);
  platform::log_info("dashboard on http://" + config_.web.listen + "/");
}

void Daemon::start_watchdog() {
  auto interval = notifier_.watchdog_interval();
  if (!interval) return;
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

void Daemon::arm_minute() {
  minute_timer_.expires_after(clock_.to_real(kMinute));
  minute_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    coordinator_->on_minute();
    arm_minute();
  });
}

void Daemon::on_signal(int signo) {
  if (signo == SIGHUP) {
    reload();
    signals_.async_wait([this](const boost::system::error_code& ec, int s) {
      if (!ec) on_signal(s);
    });
    return;
  }
  platform::log_info(std::string("received ") + (signo == SIGTERM ? "SIGTERM" : "SIGINT") +
                     ": stopping");
  shutdown();
}

void Daemon::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  notifier_.stopping();
  coordinator_->shutdown();  // invariant 7: the motor stops first
  desk_.io->all_off();
  mqtt_->stop(std::chrono::milliseconds(2000));
  if (http_) http_->stop();
  signals_.cancel();
  minute_timer_.cancel();
  watchdog_timer_.cancel();
  io_.stop();
  platform::log_info("stopped; outputs inactive, state saved");
}

void Daemon::reload() {
  notifier_.reloading();
  auto result = config::load_config(config_.path);
  if (auto* err = std::get_if<config::ConfigError>(&result)) {
    platform::log_error("reload refused, keeping the running config: " + err->to_string());
    notifier_.ready();
    return;
  }
  config::Config next = std::get<config::Config>(std::move(result));
  if (config::needs_restart(config_, next)) {
    platform::log_warning(
        "reload: changes to [gpio], [mqtt], [web], [state], desk.id and "
        "schedule.presence_topic / busy_topic / activity_topic take effect after a restart");
  }
  const auto old_discovery = discovery_info(config_);
  if (coordinator_->reload(next)) {
    // The adapters keep what they were started with ([mqtt], [web], desk.id, presence topic);
    // the dashboard's config and discovery show the new desk.
    config_ = config::reloaded(config_, next);
    const auto info = discovery_info(config_);
    mqtt_->set_discovery(info);
    if (info.desk_name != old_discovery.desk_name ||
        info.min_height_mm != old_discovery.min_height_mm ||
        info.max_height_mm != old_discovery.max_height_mm) {
      mqtt_->publish_discovery();
    }
  }
  notifier_.ready();
}

}  // namespace deskd::app
