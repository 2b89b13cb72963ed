#include "config/state_store.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "config/atomic_file.h"
#include "config/file_modes.h"
#include "config/height_rules.h"
#include "config/schedule_toml.h"
#include "config/toml_reader.h"
#include "config/toml_text.h"

namespace deskd::config {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxHeightMm = 3000;

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos ||
      name.find('\0') != std::string_view::npos) {
    return "invalid state file name \"" + std::string(name) + "\"";
  }
  return std::nullopt;
}

DeskState parse_desk(const std::string& text, const std::string& path) {
  const toml::table root = parse_toml(text, path);
  TableReader t(path, root);
  DeskState s;
  s.height_mm = t.number("height_mm", 0, 10000);
  if (auto v = t.boolean("clean_shutdown")) s.clean_shutdown = *v;
  if (auto v = t.number("height_uncertainty_mm", 0, 10000)) s.height_uncertainty_mm = *v;
  if (auto v = t.number("coast_up_s", 0, 10)) s.coast_up_s = *v;
  if (auto v = t.number("coast_down_s", 0, 10)) s.coast_down_s = *v;
  if (auto v = t.integer("coast_samples_up", 0, 1'000'000'000)) s.coast_samples_up = *v;
  if (auto v = t.integer("coast_samples_down", 0, 1'000'000'000)) s.coast_samples_down = *v;
  s.up_speed_mm_s = t.number("up_speed_mm_s", 0.001, 1000);
  s.down_speed_mm_s = t.number("down_speed_mm_s", 0.001, 1000);
  t.finish();
  return s;
}

RuntimeSettings parse_settings(const std::string& text, const std::string& path) {
  const toml::table root = parse_toml(text, path);
  TableReader t(path, root);
  RuntimeSettings s;
  TableReader presets = t.table("presets");
  TableReader schedule = t.table("schedule");
  s.sit_height_mm = t.integer("sit_height_mm", 0, kMaxHeightMm);
  s.stand_height_mm = t.integer("stand_height_mm", 0, kMaxHeightMm);
  if (auto deleted = t.string_array("deleted_presets")) {
    for (const auto& item : *deleted) s.deleted_presets.push_back(item.text);
  }
  t.finish();
  for (const auto& name : presets.keys()) {
    if (!is_valid_name(name)) {
      presets.fail(name, "preset names must match [a-z0-9_-]+ (at most 64 characters)");
    }
    s.presets[name] = *presets.integer(name, 0, kMaxHeightMm);
  }
  if (schedule.present()) s.schedule = read_schedule(schedule);
  return s;
}

}  // namespace

std::vector<std::string> drop_out_of_limits(RuntimeSettings& s,
                                            const core::MotionSettings& limits) {
  std::vector<std::string> warnings;
  auto drop = [&](std::optional<int>& value, const char* field) {
    if (!value) return;
    if (auto e = check_height(field, *value, limits)) {
      warnings.push_back("saved setting " + *e + "; ignored");
      value.reset();
    }
  };
  drop(s.sit_height_mm, "sit_height_mm");
  drop(s.stand_height_mm, "stand_height_mm");
  if (s.sit_height_mm && s.stand_height_mm && *s.sit_height_mm >= *s.stand_height_mm) {
    warnings.push_back("saved settings sit_height_mm (" + std::to_string(*s.sit_height_mm) +
                       ") and stand_height_mm (" + std::to_string(*s.stand_height_mm) +
                       ") are not ascending; both ignored");
    s.sit_height_mm.reset();
    s.stand_height_mm.reset();
  }
  for (auto it = s.presets.begin(); it != s.presets.end();) {
    if (auto e = check_height("presets." + it->first, it->second, limits)) {
      warnings.push_back("saved setting " + *e + "; ignored");
      it = s.presets.erase(it);
    } else {
      ++it;
    }
  }
  return warnings;
}

std::string desk_state_to_toml(const DeskState& s) {
  std::string out = "# deskd's desk state; rewritten by deskd.\n";
  if (s.height_mm) out += "height_mm = " + toml_float(*s.height_mm) + "\n";
  out += std::string("clean_shutdown = ") + (s.clean_shutdown ? "true" : "false") + "\n";
  if (s.height_uncertainty_mm > 0) {
    out += "height_uncertainty_mm = " + toml_float(s.height_uncertainty_mm) + "\n";
  }
  out += "coast_up_s = " + toml_float(s.coast_up_s) + "\n";
  out += "coast_down_s = " + toml_float(s.coast_down_s) + "\n";
  out += "coast_samples_up = " + std::to_string(s.coast_samples_up) + "\n";
  out += "coast_samples_down = " + std::to_string(s.coast_samples_down) + "\n";
  if (s.up_speed_mm_s) out += "up_speed_mm_s = " + toml_float(*s.up_speed_mm_s) + "\n";
  if (s.down_speed_mm_s) out += "down_speed_mm_s = " + toml_float(*s.down_speed_mm_s) + "\n";
  return out;
}

std::string runtime_settings_to_toml(const RuntimeSettings& s) {
  std::string out =
      "# Settings changed at run time (dashboard, MQTT); they override the config file.\n"
      "# Rewritten by deskd.\n";
  if (s.sit_height_mm) out += "sit_height_mm = " + std::to_string(*s.sit_height_mm) + "\n";
  if (s.stand_height_mm) out += "stand_height_mm = " + std::to_string(*s.stand_height_mm) + "\n";
  if (!s.deleted_presets.empty()) {
    out += "deleted_presets = " + toml_string_array(s.deleted_presets) + "\n";
  }
  out += "\n[presets]\n";
  for (const auto& [name, mm] : s.presets) out += name + " = " + std::to_string(mm) + "\n";
  if (s.schedule) out += "\n" + schedule_to_toml(*s.schedule);
  return out;
}

StateStore::StateStore(std::string dir) : dir_(std::move(dir)) {}

std::string StateStore::path_of(std::string_view name) const {
  return (fs::path(dir_) / fs::path(name)).string();
}

namespace {

// write_file_atomically()'s temporary names: "<file>.tmp-<pid>-<n>".
bool is_temp_name(const std::string& name) {
  const auto at = name.rfind(".tmp-");
  if (at == std::string::npos || at == 0) return false;
  const std::string rest = name.substr(at + 5);
  const auto dash = rest.find('-');
  auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return dash != std::string::npos && digits(std::string_view(rest).substr(0, dash)) &&
         digits(std::string_view(rest).substr(dash + 1));
}

// A power cut inside a save leaves its temporary file; nothing else ever removes it.
void remove_stale_temp_files(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::error_code ignored;
    if (e.is_regular_file(ignored) && is_temp_name(e.path().filename().string())) {
      fs::remove(e.path(), ignored);
    }
  }
}

}  // namespace

std::optional<std::string> StateStore::ensure_dir() const {
  std::error_code ec;
  if (fs::create_directories(dir_, ec)) {
    // Created here: never writable by others, whatever the umask (see state_dir_mode_problem).
    fs::permissions(dir_, fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove, ec);
  }
  if (ec) return "cannot create state directory " + dir_ + ": " + ec.message();
  if (!fs::is_directory(dir_, ec)) return "state directory " + dir_ + " is not a directory";
  if (auto problem = state_dir_mode_problem(dir_)) return problem;
  if (::access(dir_.c_str(), W_OK | X_OK) != 0) {
    return "state directory " + dir_ + " is not writable: " + std::strerror(errno);
  }
  remove_stale_temp_files(dir_);
  return std::nullopt;
}

namespace {

// Loads `name` with `parse`, following the StateStore's missing/unreadable/corrupt rules.
template <typename T, typename Parse>
StateStore::Loaded<T> load_file(const StateStore& store, std::string_view name, Parse parse) {
  StateStore::Loaded<T> out{};
  const std::string path = store.path_of(name);
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) return out;
  std::string text;
  if (ec) {
    out.warnings.push_back("cannot read " + path + ": " + ec.message() + "; using defaults");
    return out;
  }
  if (auto e = read_file(path, text)) {
    out.warnings.push_back(*e + "; using defaults");
    return out;
  }
  std::string problem;
  if (blank(text)) {
    problem = path + ": the file is empty";
  } else {
    try {
      out.value = parse(text, path);
      return out;
    } catch (const TomlReadError& e) {
      problem = e.error().to_string();
    } catch (const std::exception& e) {
      problem = path + ": " + e.what();
    }
  }
  out.value = T{};
  if (auto moved = set_aside_corrupt(path)) {
    out.warnings.push_back(problem + "; set aside as " + *moved + ", using defaults");
  } else {
    out.warnings.push_back(problem + "; could not set it aside (" + std::strerror(errno) +
                           "), using defaults");
  }
  return out;
}

}  // namespace

StateStore::Loaded<DeskState> StateStore::load_desk() const {
  return load_file<DeskState>(*this, kDeskFile, parse_desk);
}

std::optional<std::string> StateStore::save_desk(const DeskState& state) const {
  return write_file_atomically(path_of(kDeskFile), desk_state_to_toml(state));
}

StateStore::Loaded<RuntimeSettings> StateStore::load_settings() const {
  return load_file<RuntimeSettings>(*this, kSettingsFile, parse_settings);
}

std::optional<std::string> StateStore::save_settings(const RuntimeSettings& settings) const {
  return write_file_atomically(path_of(kSettingsFile), runtime_settings_to_toml(settings));
}

std::optional<std::string> StateStore::load_text(std::string_view name,
                                                 std::vector<std::string>* warnings) const {
  auto warn = [&](std::string w) {
    if (warnings != nullptr) warnings->push_back(std::move(w));
  };
  if (auto e = name_problem(name)) {
    warn(*e);
    return std::nullopt;
  }
  const std::string path = path_of(name);
  std::error_code ec;
  if (fs::status(path, ec).type() == fs::file_type::not_found) return std::nullopt;
  std::string text;
  if (auto e = read_file(path, text)) {
    warn(*e);
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> StateStore::save_text(std::string_view name,
                                                 std::string_view content) const {
  if (auto e = name_problem(name)) return e;
  return write_file_atomically(path_of(name), content);
}

std::string StateStore::set_aside(std::string_view name, std::string_view problem) const {
  const std::string path = path_of(name);
  std::string warning = path + ": " + std::string(problem);
  if (auto moved = set_aside_corrupt(path)) return warning + "; set aside as " + *moved;
  return warning + "; could not set it aside (" + std::strerror(errno) + ")";
}

}  // namespace deskd::config
