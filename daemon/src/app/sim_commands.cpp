#include "app/sim_commands.h"

#include <boost/json.hpp>
#include <cctype>
#include <cstdlib>

#include "platform/log.h"

namespace deskd::app {
namespace {

constexpr std::int64_t kMaxPressMs = 60000;

bool is_press_ms(const boost::json::value& v) {
  return v.is_int64() && v.as_int64() > 0 && v.as_int64() <= kMaxPressMs;
}

}  // namespace

void SimCommands::on_set(const std::string& payload) {
  boost::system::error_code ec;
  auto v = boost::json::parse(payload, ec);
  if (ec || !v.is_object() || v.as_object().empty()) {
    reject_("sim/set: expected a JSON object", payload);
    return;
  }
  const auto& o = v.as_object();
  if (const auto* h = o.if_contains("handset")) {
    const auto* ms = o.if_contains("ms");
    const bool ok = h->is_string() && (h->as_string() == "up" || h->as_string() == "down") &&
                    o.size() == (ms ? 2u : 1u) && (!ms || is_press_ms(*ms));
    if (!ok) {
      reject_("sim/set: expected {\"handset\":\"up|down\",\"ms\":1..60000}", payload);
      return;
    }
    sim_.press_handset(h->as_string() == "up" ? core::Drive::kUp : core::Drive::kDown,
                       std::chrono::milliseconds(ms ? ms->as_int64() : 1000));
  } else if (o.size() != 1) {
    reject_("sim/set: expected one key", payload);
    return;
  } else if (const auto* b = o.if_contains("button")) {
    if (!is_press_ms(*b)) {
      reject_("sim/set: expected {\"button\":1..60000} (ms held)", payload);
      return;
    }
    sim_.press_button(std::chrono::milliseconds(b->as_int64()));
  } else if (const auto* f = o.if_contains("fault"); f && f->is_string()) {
    const std::string name(f->as_string());
    if (name == "stall") {
      sim_.inject_stall();
    } else if (name == "dropout" || name == "sensor_dropout") {
      sim_.set_sensor_dropout(true);
    } else {
      reject_("sim/set: unknown fault '" + name + "' (stall|dropout)", payload);
      return;
    }
  } else if (const auto* mm = o.if_contains("obstruction_at_mm");
             mm && (mm->is_int64() || mm->is_null())) {
    sim_.set_obstruction_at(mm->is_null() ? std::nullopt : std::optional<double>(mm->as_int64()));
  } else if (const auto* c = o.if_contains("clear"); c && c->is_bool() && c->as_bool()) {
    sim_.clear_faults();
    if (bus_sim_) bus_sim_->clear();
  } else if (const auto* j = o.if_contains("clock_jump_s");
             j && j->is_int64() && std::abs(j->as_int64()) <= 400LL * 86400 && sim_clock_) {
    // Test-only hook (issue 13, clock jumps under load): steps deskd's wall clock.
    sim_clock_->jump_wall(std::chrono::seconds(j->as_int64()));
  } else if (const auto* b = o.if_contains("bus"); b && b->is_string() && bus_sim_) {
    return on_bus(b->as_string(), payload);
  } else {
    reject_("sim/set: unknown or malformed key '" + std::string(o.begin()->key()) + "'", payload);
    return;
  }
  platform::log_info("simulation: " + payload);
}

// B/sim/set {"bus": ...}: the simulated bus controller's faults (see hw/sim_bus_controller.h).
void SimCommands::on_bus(std::string_view what, const std::string& payload) {
  const bool code = what.size() == 3 && (what[0] == 'E' || what[0] == 'H') &&
                    std::isdigit(static_cast<unsigned char>(what[1])) &&
                    std::isdigit(static_cast<unsigned char>(what[2]));
  if (what == "silent") {
    bus_sim_->go_silent();
  } else if (what == "close") {
    bus_sim_->close_port();
  } else if (what == "garbage") {
    bus_sim_->send_garbage();
  } else if (what == "reset") {
    bus_sim_->show_error("RST");
  } else if (code) {
    bus_sim_->show_error(std::string(what));
  } else if (const auto display = hw::sim_bus_display_from(what)) {  // normal, not a fault
    if (auto e = bus_sim_->show(*display)) return reject_("sim/set: " + *e, payload);
  } else {
    reject_("sim/set: unknown bus fault '" + std::string(what) +
                "' (silent|close|garbage|reset|E01..E99|H01|reminder|preset_store|"
                "limit_set)",
            payload);
    return;
  }
  platform::log_info("simulation: " + payload);
}

}  // namespace deskd::app
