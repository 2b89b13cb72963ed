#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "bus/bus_types.h"
#include "bus/frame_scanner.h"

namespace deskd::bus {

// deskd's end of the bus, whatever the protocol: decodes what the controller sends, encodes
// what deskd asks. Stateful only in the parser's buffer.
class ControllerCodec {
 public:
  virtual ~ControllerCodec() = default;
  // The reports in the frames completed by `bytes`, in order. Bad frames yield nothing and are
  // counted in stats().
  virtual std::vector<Report> consume(std::span<const std::uint8_t> bytes) = 0;
  // The bytes for `command`; nullopt if this protocol has no such command.
  virtual std::optional<std::vector<std::uint8_t>> encode(const Command& command) const = 0;
  virtual const ParserStats& stats() const = 0;
};

// The controller's end, for the simulated controller: decodes deskd's (or a handset's)
// commands, encodes reports.
class HandsetCodec {
 public:
  virtual ~HandsetCodec() = default;
  // Commands in the frames completed by `bytes`; well-formed frames of unknown commands are
  // skipped (counted in unknown_commands()).
  virtual std::vector<Command> consume(std::span<const std::uint8_t> bytes) = 0;
  // The bytes reporting `report` (nullopt if the protocol cannot say it).
  virtual std::optional<std::vector<std::uint8_t>> encode(const Report& report) const = 0;
  virtual const ParserStats& stats() const = 0;
  virtual std::uint64_t unknown_commands() const = 0;
};

std::unique_ptr<ControllerCodec> make_controller_codec(Protocol protocol);
std::unique_ptr<HandsetCodec> make_handset_codec(Protocol protocol);

}  // namespace deskd::bus
