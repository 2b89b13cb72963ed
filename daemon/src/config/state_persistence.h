#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "config/state_store.h"
#include "core/day_stats.h"
#include "core/desk.h"
#include "core/schedule_io.h"

namespace deskd::config {

// The four files of the state directory.
enum class StateFile { kDesk, kSettings, kStats, kSchedulerMemory };
inline constexpr std::size_t kStateFileCount = 4;

// Whether the state directory takes deskd's saves. `detail` names the file and the OS error.
struct StorageHealth {
  bool ok = true;
  std::string detail;
  friend bool operator==(const StorageHealth&, const StorageHealth&) = default;
};

// The one owner of every state file: desk.toml, settings.toml, stats.txt, scheduler.txt.
//
// - Writes are atomic (write, fsync, rename, fsync the directory): a file is always its old or
//   its new version, never lost or truncated, also on a full or failing disk.
// - A save whose content equals what the file already holds writes nothing (an idle desk does
//   not wear the SD card).
// - A failed save keeps its content pending; retry() writes what is pending. health() is the
//   error until every file is saved again.
// - A file that exists but cannot be read at start-up (EIO, EACCES) is set aside like a corrupt
//   file; if even that fails it is kept and never overwritten (health() reports it).
class StatePersistence {
 public:
  struct Loaded {
    config::DeskState desk;
    config::RuntimeSettings settings;
    std::vector<core::DayStats> stats;
    core::SchedulerMemory memory;
    std::vector<std::string> warnings;
  };

  explicit StatePersistence(std::string dir);

  std::optional<std::string> ensure_dir() const;
  Loaded load();

  // nullopt: saved or unchanged. Otherwise the error; the content stays pending.
  std::optional<std::string> save_desk(const config::DeskState& state);
  std::optional<std::string> save_settings(const config::RuntimeSettings& settings);
  std::optional<std::string> save_stats(const std::vector<core::DayStats>& history);
  std::optional<std::string> save_memory(const core::SchedulerMemory& memory);

  // Writes every pending file again; true when nothing is pending any more.
  bool retry();
  bool pending() const;
  const StorageHealth& health() const { return health_; }

 private:
  struct Slot {
    std::string name;
    std::optional<std::string> on_disk;  // what the file holds, as far as deskd knows
    std::optional<std::string> pending;  // content whose save failed
    std::string error;                   // the last failure of `pending`
    std::string blocked;                 // unreadable at start-up and kept: never written
  };

  std::optional<std::string> save(StateFile file, std::string content);
  std::optional<std::string> write(Slot& slot, const std::string& content);
  void check_readable(Slot& slot, std::vector<std::string>& warnings);
  void update_health();
  Slot& slot(StateFile f) { return slots_[static_cast<std::size_t>(f)]; }

  config::StateStore store_;
  std::array<Slot, kStateFileCount> slots_;
  StorageHealth health_;
};

// desk.toml's values as what core::Desk restores: the height only after a clean shutdown (else
// the position is unknown until calibrated), the learned coast and speeds always.
core::Desk::Restored restored_desk(const StatePersistence::Loaded& loaded);
// What desk.toml keeps of the motion controller's position.
DeskState desk_state_of(const core::RestoredPosition& p, bool clean_shutdown);

}  // namespace deskd::config
