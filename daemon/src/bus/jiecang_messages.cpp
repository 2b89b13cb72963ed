#include "bus/jiecang_messages.h"

#include <array>

namespace deskd::bus {

namespace {

int word(std::uint8_t hi, std::uint8_t lo) { return (hi << 8) | lo; }
std::uint8_t hi_byte(int v) { return static_cast<std::uint8_t>((v >> 8) & 0xFF); }
std::uint8_t lo_byte(int v) { return static_cast<std::uint8_t>(v & 0xFF); }

constexpr std::array<std::uint8_t, 4> kRecalls{jiecang::kRecall1, jiecang::kRecall2,
                                               jiecang::kRecall3, jiecang::kRecall4};

std::optional<Report> word_report(std::uint8_t cmd, int raw) {
  switch (cmd) {
    case jiecang::kHeight:
      return HeightReport{raw};
    case jiecang::kUserMax:
      return LimitReport{LimitKind::kUserMax, raw};
    case jiecang::kUserMin:
      return LimitReport{LimitKind::kUserMin, raw};
    default:
      break;
  }
  if (cmd >= jiecang::kPreset1 && cmd < jiecang::kPreset1 + 4) {
    return PresetReport{cmd - jiecang::kPreset1 + 1, raw};
  }
  return std::nullopt;
}

}  // namespace

std::vector<Report> interpret_jiecang(const JiecangFrame& f) {
  const auto& p = f.params;
  if (f.cmd == jiecang::kPhysicalLimits && p.size() >= 4) {
    return {LimitReport{LimitKind::kPhysicalMax, word(p[0], p[1])},
            LimitReport{LimitKind::kPhysicalMin, word(p[2], p[3])}};
  }
  if (f.cmd == jiecang::kReset) return {ErrorReport{DeskError::kSensor, "RST"}};
  if (p.size() >= 2) {
    if (auto r = word_report(f.cmd, word(p[0], p[1]))) return {*r};
  }
  return {OtherReport{f.cmd}};
}

JiecangFrame jiecang_command(const Command& c) {
  JiecangFrame f{JiecangFrame::kFromHandset, jiecang::kStop, {}};
  switch (c.kind) {
    case CommandKind::kWake:
      f.cmd = jiecang::kWake;
      break;
    case CommandKind::kUp:
      f.cmd = jiecang::kUp;
      break;
    case CommandKind::kDown:
      f.cmd = jiecang::kDown;
      break;
    case CommandKind::kStop:
      f.cmd = jiecang::kStop;
      break;
    case CommandKind::kQuery:
      f.cmd = jiecang::kQuery;
      break;
    case CommandKind::kGoTo:
      f.cmd = jiecang::kGoTo;
      f.params = {hi_byte(c.value), lo_byte(c.value)};
      break;
    case CommandKind::kPreset:
      f.cmd = kRecalls.at(static_cast<std::size_t>(c.value - 1));
      break;
  }
  return f;
}

std::optional<Command> jiecang_command_from(const JiecangFrame& f) {
  switch (f.cmd) {
    case jiecang::kUp:
      return Command{CommandKind::kUp, 0};
    case jiecang::kDown:
      return Command{CommandKind::kDown, 0};
    case jiecang::kStop:
      return Command{CommandKind::kStop, 0};
    case jiecang::kWake:
      return Command{CommandKind::kWake, 0};
    case jiecang::kQuery:
      return Command{CommandKind::kQuery, 0};
    case jiecang::kGoTo:
      if (f.params.size() != 2) return std::nullopt;
      return Command{CommandKind::kGoTo, word(f.params[0], f.params[1])};
    default:
      break;
  }
  for (std::size_t i = 0; i < kRecalls.size(); ++i) {
    if (f.cmd == kRecalls[i]) return Command{CommandKind::kPreset, static_cast<int>(i) + 1};
  }
  return std::nullopt;
}

namespace {

JiecangFrame word_frame(std::uint8_t cmd, int raw) {
  return {JiecangFrame::kFromController, cmd, {hi_byte(raw), lo_byte(raw)}};
}

std::uint8_t limit_cmd(LimitKind k) {
  return k == LimitKind::kUserMax ? jiecang::kUserMax : jiecang::kUserMin;
}

}  // namespace

JiecangFrame jiecang_physical_limits(int max_raw, int min_raw) {
  return {JiecangFrame::kFromController,
          jiecang::kPhysicalLimits,
          {hi_byte(max_raw), lo_byte(max_raw), hi_byte(min_raw), lo_byte(min_raw)}};
}

std::optional<JiecangFrame> jiecang_report(const Report& report) {
  if (const auto* h = std::get_if<HeightReport>(&report)) {
    // The third parameter byte is unexplained in the notes; real controllers send 0x07.
    return JiecangFrame{
        JiecangFrame::kFromController, jiecang::kHeight, {hi_byte(h->raw), lo_byte(h->raw), 0x07}};
  }
  if (const auto* p = std::get_if<PresetReport>(&report)) {
    return word_frame(static_cast<std::uint8_t>(jiecang::kPreset1 + p->slot - 1), p->raw);
  }
  if (const auto* l = std::get_if<LimitReport>(&report)) {
    if (l->kind == LimitKind::kPhysicalMax || l->kind == LimitKind::kPhysicalMin) {
      return std::nullopt;
    }
    return word_frame(limit_cmd(l->kind), l->raw);
  }
  if (std::holds_alternative<ErrorReport>(report)) {
    return JiecangFrame{JiecangFrame::kFromController, jiecang::kReset, {}};
  }
  if (std::holds_alternative<DisplayReport>(report)) return std::nullopt;  // no display text
  const auto code = static_cast<std::uint8_t>(std::get<OtherReport>(report).code);
  return JiecangFrame{JiecangFrame::kFromController, code, {}};
}

}  // namespace deskd::bus
