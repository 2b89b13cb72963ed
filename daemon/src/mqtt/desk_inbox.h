#pragma once

#include <functional>
#include <string>

#include "core/desk_command.h"

namespace deskd::mqtt {

// What the MQTT side hands to deskd's runner (app::Coordinator): commands decoded, the rest as
// the contract's payloads, on the event loop.
class DeskInbox {
 public:
  using Respond = std::function<void(const std::string& payload)>;
  virtual ~DeskInbox() = default;

  virtual void on_command(const core::DeskCommand& c, const std::string& text) = 0;
  virtual void on_request(const std::string& op, const std::string& payload, Respond respond) = 0;
  virtual void on_presence(const std::string& payload) = 0;  // schedule.presence_topic
  virtual void on_busy(const std::string& payload) = 0;      // schedule.busy_topic
  virtual void on_activity(const std::string& payload) = 0;  // schedule.activity_topic
  virtual void on_broker(bool connected) = 0;
  // Publishes the retained documents again (after a (re)connect or B/get).
  virtual void republish() = 0;
  // A command that could not be decoded: logged and published as an `error` event.
  virtual void reject(const std::string& message, const std::string& command) = 0;
};

}  // namespace deskd::mqtt
