#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "support/broker.h"
#include "support/deskd_process.h"
#include "support/json_fields.h"
#include "support/mqtt_test_client.h"

namespace deskd::testing {

// A simulated desk that moves about 4x faster than the default (620 -> 1100 mm in ~3 s), so
// motion tests stay short. Its coast matches deskd's first estimate before it has learned one
// (0.12 s at full speed), so the first move already stops on target. Appended as [sim].
inline constexpr const char* kFastSimToml =
    "[sim]\nup_speed_mm_s = 150\ndown_speed_mm_s = 150\nspeed_noise = 0\n"
    "coast_min_mm = 16\ncoast_max_mm = 19\n";

// A [schedule] body whose working window covers every minute of every day, trusted clock.
inline std::string all_day_schedule_toml(const std::string& extra = "") {
  std::string s = "enabled = true\nrequire_time_sync = false\n";
  for (const char* d : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
    s += std::string(d) + " = [\"00:00-24:00\"]\n";
  }
  return s + extra;
}

// A real mosquitto, the real deskd on the simulated desk, and an observer client subscribed to
// everything deskd publishes (B/# and the discovery prefix). Helpers read like the story:
// send("set", R"({"height_mm":900})"); wait_state(stopped_near(900));
class MqttDeskTest : public ::testing::Test {
 protected:
  using Json = boost::json::object;
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kWait{10000};

  void TearDown() override {
    observer_.reset();
    if (deskd_) {
      deskd_.reset();
    }
    broker_.reset();
  }

  void start_broker(Broker::Options o = {}) { broker_ = std::make_unique<Broker>(std::move(o)); }

  // Defaults for the desk under test: this test's broker, the fast simulated desk.
  DeskdOptions desk_options() const {
    DeskdOptions o;
    o.mqtt_port = broker_ ? broker_->port() : 0;
    o.extra_toml = kFastSimToml;
    return o;
  }

  // Starts deskd and waits until it is connected to the broker (when one runs).
  ::testing::AssertionResult start_deskd(DeskdOptions o, bool wait_connected = true) {
    options_ = o;
    deskd_ = std::make_unique<DeskdProcess>(std::move(o));
    if (!deskd_->start()) return ::testing::AssertionFailure() << "not ready:\n" << deskd_->log();
    if (wait_connected &&
        !deskd_->process().wait_for_log("MQTT connected to", std::chrono::seconds(10))) {
      return ::testing::AssertionFailure() << "never connected:\n" << deskd_->log();
    }
    return ::testing::AssertionSuccess();
  }

  // A fresh client subscribed to B/# and <discovery>/#; it sees the retained messages first.
  ::testing::AssertionResult connect_observer(const std::string& user = "",
                                              const std::string& password = "") {
    observer_ = std::make_unique<MqttTestClient>(broker_->port(), "", user, password);
    if (!observer_->connect()) {
      return ::testing::AssertionFailure() << "observer: " << observer_->last_error();
    }
    observer_->subscribe(base() + "/#");
    observer_->subscribe("homeassistant/#");
    return ::testing::AssertionSuccess();
  }

  // Broker + deskd (+ observer): the common start of a test.
  ::testing::AssertionResult start_all(DeskdOptions o) {
    if (!broker_) start_broker();
    o.mqtt_port = broker_->port();
    if (auto r = start_deskd(std::move(o)); !r) return r;
    return connect_observer();
  }
  ::testing::AssertionResult start_all() { return start_all(desk_options()); }

  // After a refused connection: waits for the "cannot connect" line after the latest one, i.e.
  // deskd tried again after its back-off (1 s the first time) and was refused again.
  bool wait_for_retry(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto latest = deskd_->log().rfind("MQTT: cannot connect");
    return latest != std::string::npos &&
           deskd_->process().wait_for_log("MQTT: cannot connect", timeout, latest + 1);
  }

  std::string base() const { return "deskd/" + options_.desk_id; }
  std::string topic(const std::string& suffix) const { return base() + "/" + suffix; }

  // Index into the observer's messages: "from now on".
  std::size_t mark() const { return observer_->count(); }

  void send(const std::string& suffix, const std::string& payload, bool retain = false) {
    observer_->publish(topic(suffix), payload, retain, 1);
  }

  // The first message on B/<suffix> after `since` whose JSON satisfies `match`.
  std::optional<Json> wait_json(const std::string& suffix,
                                const std::function<bool(const Json&)>& match,
                                std::size_t since = 0, std::chrono::milliseconds timeout = kWait) {
    auto m = observer_->wait_for(
        topic(suffix), [&](const std::string& p) { return match(json_object(p)); }, timeout, since);
    if (!m) return std::nullopt;
    return json_object(m->payload);
  }

  std::optional<Json> wait_state(const std::function<bool(const Json&)>& match,
                                 std::size_t since = 0, std::chrono::milliseconds timeout = kWait) {
    return wait_json("state", match, since, timeout);
  }

  std::optional<Json> wait_event(const std::string& type, std::size_t since,
                                 std::chrono::milliseconds timeout = kWait) {
    return wait_json(
        "event", [&](const Json& e) { return json_string(e, "type") == type; }, since, timeout);
  }

  // The error event for a command whose error text contains `needle`.
  std::optional<Json> wait_error(const std::string& needle, std::size_t since,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return wait_json(
        "event",
        [&](const Json& e) {
          return json_string(e, "type") == "error" &&
                 json_string(e, "error").find(needle) != std::string::npos;
        },
        since, timeout);
  }

  // B/get, then the state published in answer. deskd handles messages in order on one thread, so
  // the answer is also a barrier: every message sent before was handled, and what deskd published
  // while handling it has arrived (a count_json() after it sees it).
  std::optional<Json> fresh_state() {
    const auto since = mark();
    send("get", "");
    return wait_state([](const Json&) { return true; }, since, std::chrono::seconds(3));
  }

  // The desk's state once it satisfies `match`: B/get, then the answer or any later state. Returns
  // at once if the desk is there already; otherwise waits for the state change that gets it there.
  std::optional<Json> wait_until_state(const std::function<bool(const Json&)>& match,
                                       std::chrono::milliseconds timeout = kWait) {
    const auto since = mark();
    send("get", "");
    return wait_state(match, since, timeout);
  }

  static bool at_rest(const Json& s) {
    return json_string(s, "motion") == "stopped" && json_is_null(s, "target_mm");
  }

  // B/request/<op> with a unique transaction; the matching B/response/<op>.
  std::optional<Json> request(const std::string& op, Json body = {}) {
    const std::string transaction = "t" + std::to_string(++transactions_);
    body["transaction"] = transaction;
    const auto since = mark();
    send("request/" + op, boost::json::serialize(body));
    return wait_json(
        "response/" + op,
        [&](const Json& r) { return json_string(r, "transaction") == transaction; }, since,
        std::chrono::seconds(5));
  }

  // Moves to `mm` with B/set and waits until the desk has stopped there (within `tolerance`).
  std::optional<Json> move_to(int mm, int tolerance = 12) {
    const auto since = mark();
    send("set", "{\"height_mm\":" + std::to_string(mm) + "}");
    return wait_state(stopped_near(mm, tolerance), since, std::chrono::seconds(15));
  }

  static std::function<bool(const Json&)> stopped_near(int mm, int tolerance = 12) {
    return [mm, tolerance](const Json& s) {
      const auto h = json_int(s, "height_mm");
      return json_string(s, "motion") == "stopped" && h && std::abs(*h - mm) <= tolerance;
    };
  }

  static std::function<bool(const Json&)> field_is(const std::string& key,
                                                   const std::string& value) {
    return [key, value](const Json& s) { return json_string(s, key) == value; };
  }

  // Number of observed messages on B/<suffix> after `since` satisfying `match`.
  std::size_t count_json(const std::string& suffix, const std::function<bool(const Json&)>& match,
                         std::size_t since = 0) const {
    const auto all = observer_->messages();
    std::size_t n = 0;
    for (std::size_t i = since; i < all.size(); ++i) {
      if (all[i].topic == topic(suffix) && match(json_object(all[i].payload))) ++n;
    }
    return n;
  }

  std::unique_ptr<Broker> broker_;
  std::unique_ptr<DeskdProcess> deskd_;
  std::unique_ptr<MqttTestClient> observer_;
  DeskdOptions options_;
  int transactions_ = 0;
};

}  // namespace deskd::testing
