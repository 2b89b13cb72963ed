#include "config/state_persistence.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "config/atomic_file.h"
#include "config/scheduler_memory_file.h"
#include "core/stats_codec.h"

namespace deskd::config {
namespace {

namespace fs = std::filesystem;

}  // namespace

StatePersistence::StatePersistence(std::string dir) : store_(std::move(dir)) {
  slots_[static_cast<std::size_t>(StateFile::kDesk)].name = config::StateStore::kDeskFile;
  slots_[static_cast<std::size_t>(StateFile::kSettings)].name = config::StateStore::kSettingsFile;
  slots_[static_cast<std::size_t>(StateFile::kStats)].name = "stats.txt";
  slots_[static_cast<std::size_t>(StateFile::kSchedulerMemory)].name = "scheduler.txt";
}

std::optional<std::string> StatePersistence::ensure_dir() const { return store_.ensure_dir(); }

void StatePersistence::check_readable(Slot& s, std::vector<std::string>& warnings) {
  const std::string path = store_.path_of(s.name);
  std::error_code ec;
  if (fs::symlink_status(path, ec).type() == fs::file_type::not_found) return;
  std::string text;
  const auto error = config::read_file(path, text);
  if (!error) {
    s.on_disk = std::move(text);
    return;
  }
  if (auto moved = config::set_aside_corrupt(path)) {
    warnings.push_back(*error + "; set aside as " + *moved + ", using defaults");
    return;
  }
  s.blocked = s.name + " could not be read at start-up (" + *error +
              "); kept and not overwritten (" + std::strerror(errno) + " setting it aside)";
  warnings.push_back(s.blocked);
}

StatePersistence::Loaded StatePersistence::load() {
  Loaded out;
  for (auto& s : slots_) check_readable(s, out.warnings);
  auto desk = store_.load_desk();
  out.desk = desk.value;
  auto settings = store_.load_settings();
  out.settings = settings.value;
  for (auto* w : {&desk.warnings, &settings.warnings}) {
    out.warnings.insert(out.warnings.end(), w->begin(), w->end());
  }
  std::string error;
  if (const auto& text = slot(StateFile::kStats).on_disk) {
    if (auto days = core::parse_stats(*text, &error)) {
      out.stats = std::move(*days);
    } else {
      out.warnings.push_back(store_.set_aside("stats.txt", "corrupt statistics: " + error));
      slot(StateFile::kStats).on_disk.reset();
    }
  }
  if (const auto& text = slot(StateFile::kSchedulerMemory).on_disk) {
    if (auto m = parse_scheduler_memory(*text, &error)) {
      out.memory = *m;
    } else {
      out.warnings.push_back(
          store_.set_aside("scheduler.txt", "corrupt schedule memory: " + error));
      slot(StateFile::kSchedulerMemory).on_disk.reset();
    }
  }
  // desk.toml and settings.toml may have been set aside by the store as corrupt.
  for (auto f : {StateFile::kDesk, StateFile::kSettings}) {
    std::error_code ec;
    if (!fs::exists(store_.path_of(slot(f).name), ec)) slot(f).on_disk.reset();
  }
  update_health();
  return out;
}

std::optional<std::string> StatePersistence::save_desk(const config::DeskState& state) {
  return save(StateFile::kDesk, config::desk_state_to_toml(state));
}

std::optional<std::string> StatePersistence::save_settings(const config::RuntimeSettings& s) {
  return save(StateFile::kSettings, config::runtime_settings_to_toml(s));
}

std::optional<std::string> StatePersistence::save_stats(const std::vector<core::DayStats>& h) {
  return save(StateFile::kStats, core::serialize_stats(h));
}

std::optional<std::string> StatePersistence::save_memory(const core::SchedulerMemory& m) {
  return save(StateFile::kSchedulerMemory, serialize_scheduler_memory(m));
}

std::optional<std::string> StatePersistence::save(StateFile file, std::string content) {
  Slot& s = slot(file);
  if (!s.blocked.empty()) {
    update_health();
    return s.blocked;
  }
  if (s.on_disk == content) {
    s.pending.reset();  // a newer save supersedes one that failed
    update_health();
    return std::nullopt;
  }
  auto error = write(s, content);
  update_health();
  return error;
}

std::optional<std::string> StatePersistence::write(Slot& s, const std::string& content) {
  if (auto e = config::write_file_atomically(store_.path_of(s.name), content)) {
    s.pending = content;
    s.error = *e;
    return e;
  }
  s.on_disk = content;
  s.pending.reset();
  s.error.clear();
  return std::nullopt;
}

bool StatePersistence::retry() {
  for (auto& s : slots_) {
    if (s.pending && s.blocked.empty()) write(s, *s.pending);
  }
  update_health();
  return !pending();
}

bool StatePersistence::pending() const {
  for (const auto& s : slots_) {
    if (s.pending) return true;
  }
  return false;
}

void StatePersistence::update_health() {
  StorageHealth h;
  for (const auto& s : slots_) {
    const std::string& problem = !s.blocked.empty() ? s.blocked : s.pending ? s.error : s.blocked;
    if (problem.empty()) continue;
    h.ok = false;
    if (!h.detail.empty()) h.detail += "; ";
    h.detail += problem;
  }
  health_ = std::move(h);
}

core::Desk::Restored restored_desk(const StatePersistence::Loaded& loaded) {
  const auto& desk = loaded.desk;
  core::Desk::Restored r;
  if (desk.clean_shutdown) {
    r.position.height_mm = desk.height_mm;
    r.position.height_uncertainty_mm = desk.height_uncertainty_mm;
  }
  r.position.coast = {desk.coast_up_s, desk.coast_down_s, desk.coast_samples_up,
                      desk.coast_samples_down};
  r.position.up_speed_mm_s = desk.up_speed_mm_s;
  r.position.down_speed_mm_s = desk.down_speed_mm_s;
  r.stats = loaded.stats;
  r.memory = loaded.memory;
  return r;
}

DeskState desk_state_of(const core::RestoredPosition& p, bool clean_shutdown) {
  DeskState s;
  s.height_mm = p.height_mm;
  s.height_uncertainty_mm = p.height_uncertainty_mm;
  s.clean_shutdown = clean_shutdown;
  s.coast_up_s = p.coast.up_s;
  s.coast_down_s = p.coast.down_s;
  s.coast_samples_up = p.coast.samples_up;
  s.coast_samples_down = p.coast.samples_down;
  s.up_speed_mm_s = p.up_speed_mm_s;
  s.down_speed_mm_s = p.down_speed_mm_s;
  return s;
}

}  // namespace deskd::config
