#include "bus/controller_codec.h"

#include "bus/jiecang_frame.h"
#include "bus/jiecang_messages.h"
#include "bus/loctek_frame.h"
#include "bus/loctek_messages.h"

namespace deskd::bus {

namespace {

class JiecangControllerCodec final : public ControllerCodec {
 public:
  std::vector<Report> consume(std::span<const std::uint8_t> bytes) override {
    std::vector<Report> out;
    for (const auto& f : parser_.consume(bytes)) {
      for (auto& r : interpret_jiecang(f)) out.push_back(std::move(r));
    }
    return out;
  }
  std::optional<std::vector<std::uint8_t>> encode(const Command& c) const override {
    if (c.kind == CommandKind::kPreset && (c.value < 1 || c.value > 4)) return std::nullopt;
    return bus::encode(jiecang_command(c));
  }
  const ParserStats& stats() const override { return parser_.stats(); }

 private:
  JiecangParser parser_{JiecangFrame::kFromController};
};

class LoctekControllerCodec final : public ControllerCodec {
 public:
  std::vector<Report> consume(std::span<const std::uint8_t> bytes) override {
    std::vector<Report> out;
    for (const auto& f : parser_.consume(bytes)) {
      for (auto& r : interpret_loctek(f)) out.push_back(std::move(r));
    }
    return out;
  }
  std::optional<std::vector<std::uint8_t>> encode(const Command& c) const override {
    auto f = loctek_command(c);
    if (!f) return std::nullopt;
    return bus::encode(*f);
  }
  const ParserStats& stats() const override { return parser_.stats(); }

 private:
  LoctekParser parser_;
};

class JiecangHandsetCodec final : public HandsetCodec {
 public:
  std::vector<Command> consume(std::span<const std::uint8_t> bytes) override {
    std::vector<Command> out;
    for (const auto& f : parser_.consume(bytes)) {
      if (auto c = jiecang_command_from(f)) {
        out.push_back(*c);
      } else {
        ++unknown_;
      }
    }
    return out;
  }
  std::optional<std::vector<std::uint8_t>> encode(const Report& r) const override {
    auto f = jiecang_report(r);
    if (!f) return std::nullopt;
    return bus::encode(*f);
  }
  const ParserStats& stats() const override { return parser_.stats(); }
  std::uint64_t unknown_commands() const override { return unknown_; }

 private:
  JiecangParser parser_{JiecangFrame::kFromHandset};
  std::uint64_t unknown_ = 0;
};

class LoctekHandsetCodec final : public HandsetCodec {
 public:
  std::vector<Command> consume(std::span<const std::uint8_t> bytes) override {
    std::vector<Command> out;
    for (const auto& f : parser_.consume(bytes)) {
      if (auto c = loctek_command_from(f)) {
        out.push_back(*c);
      } else {
        ++unknown_;
      }
    }
    return out;
  }
  std::optional<std::vector<std::uint8_t>> encode(const Report& r) const override {
    if (const auto* h = std::get_if<HeightReport>(&r))
      return bus::encode(loctek_height_display(h->raw));
    if (const auto* e = std::get_if<ErrorReport>(&r))
      return bus::encode(loctek_text_display(e->code));
    if (const auto* d = std::get_if<DisplayReport>(&r))
      return bus::encode(loctek_text_display(d->text));
    return std::nullopt;
  }
  const ParserStats& stats() const override { return parser_.stats(); }
  std::uint64_t unknown_commands() const override { return unknown_; }

 private:
  LoctekParser parser_;
  std::uint64_t unknown_ = 0;
};

}  // namespace

std::unique_ptr<ControllerCodec> make_controller_codec(Protocol protocol) {
  if (protocol == Protocol::kJiecang) return std::make_unique<JiecangControllerCodec>();
  return std::make_unique<LoctekControllerCodec>();
}

std::unique_ptr<HandsetCodec> make_handset_codec(Protocol protocol) {
  if (protocol == Protocol::kJiecang) return std::make_unique<JiecangHandsetCodec>();
  return std::make_unique<LoctekHandsetCodec>();
}

}  // namespace deskd::bus
