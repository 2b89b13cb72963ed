#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/motion_settings.h"
#include "core/schedule_settings.h"

namespace deskd::config {

// What deskd remembers about the desk across restarts (desk.toml).
struct DeskState {
  std::optional<double> height_mm;   // last known height; unset = unknown
  bool clean_shutdown = false;       // the daemon stopped with the outputs off and height saved
  double height_uncertainty_mm = 0;  // how far height_mm may be off (lost encoder steps)
  // Learned coast model (core::CoastModel): coast_mm = k * speed^2, k in s^2/mm per direction.
  double coast_up_s = 0;
  double coast_down_s = 0;
  int coast_samples_up = 0;
  int coast_samples_down = 0;
  std::optional<double> up_speed_mm_s;  // learned speeds
  std::optional<double> down_speed_mm_s;
  friend bool operator==(const DeskState&, const DeskState&) = default;
};

// Settings changed at run time (settings.toml); each one set overrides the config file.
struct RuntimeSettings {
  std::optional<core::ScheduleSettings> schedule;  // the whole [schedule] table
  std::map<std::string, int> presets;              // [presets] name = height_mm
  // Presets of the config file that were deleted at run time (deleted_presets = [...]).
  std::vector<std::string> deleted_presets;
  std::optional<int> sit_height_mm;
  std::optional<int> stand_height_mm;
  friend bool operator==(const RuntimeSettings&, const RuntimeSettings&) = default;
};

// Drops the overrides that no longer fit the desk's limits (the config file may have changed
// since they were saved); returns one warning per dropped value.
std::vector<std::string> drop_out_of_limits(RuntimeSettings& settings,
                                            const core::MotionSettings& limits);

// The state directory ([state] dir). Files are TOML, written with write_file_atomically(), so
// each is always either the old or the new version. Reading never throws: a missing file gives
// the defaults silently; an unreadable one gives the defaults and a warning; a corrupt, empty or
// invalid one is set aside as "<file>.corrupt-<UTC time>" and gives the defaults and a warning
// naming the file and the problem.
class StateStore {
 public:
  template <typename T>
  struct Loaded {
    T value;
    std::vector<std::string> warnings;
  };

  explicit StateStore(std::string dir);

  const std::string& dir() const { return dir_; }
  // The full path of a file in the directory.
  std::string path_of(std::string_view name) const;
  // Creates the directory (and parents; the directory itself without group/other write, whatever
  // the umask) if needed and checks it is writable by deskd and by nobody else (a directory
  // writable by group or others is refused: config/file_modes.h). Removes
  // the temporary files of saves a crash or power cut interrupted ("<file>.tmp-<pid>-<n>"): call
  // it once at start-up, before the first save (one deskd per state directory).
  std::optional<std::string> ensure_dir() const;

  Loaded<DeskState> load_desk() const;
  std::optional<std::string> save_desk(const DeskState& state) const;

  Loaded<RuntimeSettings> load_settings() const;
  std::optional<std::string> save_settings(const RuntimeSettings& settings) const;

  // Opaque text files (e.g. the statistics). `name` is a plain file name, no '/'. nullopt when
  // the file does not exist, or cannot be read (then a warning is appended to `warnings`).
  std::optional<std::string> load_text(std::string_view name,
                                       std::vector<std::string>* warnings = nullptr) const;
  std::optional<std::string> save_text(std::string_view name, std::string_view content) const;
  // For a caller that found a text file's content invalid: sets it aside like a corrupt state
  // file and returns the warning to log ("<path>: <problem>; set aside as <new path>").
  std::string set_aside(std::string_view name, std::string_view problem = "invalid content") const;

  static constexpr std::string_view kDeskFile = "desk.toml";
  static constexpr std::string_view kSettingsFile = "settings.toml";

 private:
  std::string dir_;
};

// The TOML text of each file (exposed for tests and --check-config style tools).
std::string desk_state_to_toml(const DeskState& state);
std::string runtime_settings_to_toml(const RuntimeSettings& settings);

}  // namespace deskd::config
