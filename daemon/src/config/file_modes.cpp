#include "config/file_modes.h"

#include <sys/stat.h>

#include <cstdio>

namespace deskd::config {
namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// `path`'s permission bits, or nullopt when it cannot be stat'ed.
std::optional<mode_t> mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_mode;
}

}  // namespace

std::vector<std::string> secret_file_warnings(const Config& config) {
  const auto& q = config.mqtt;
  if (q.password.empty()) return {};
  const bool inline_password = q.password_file.empty();
  const std::string& path = inline_password ? config.path : q.password_file;
  const auto mode = mode_of(path);
  if (!mode || (*mode & (S_IRGRP | S_IROTH)) == 0) return {};
  const std::string who = (*mode & S_IROTH) ? "every user" : "its group";
  std::string w = path + " holds the MQTT password and is readable by " + who + " (mode " +
                  octal_mode(*mode) + "): chmod 600 " + path +
                  " (or 640 with a group only deskd is in)";
  if (inline_password) w += ", or move the password to [mqtt] password_file";
  return {w};
}

std::optional<std::string> state_dir_mode_problem(const std::string& dir) {
  const auto mode = mode_of(dir);
  if (!mode || (*mode & (S_IWGRP | S_IWOTH)) == 0) return std::nullopt;
  return "state directory " + dir + " is writable by " +
         ((*mode & S_IWOTH) ? "every user" : "its group") + " (mode " + octal_mode(*mode) +
         "): another user could replace deskd's saved heights, presets and schedule; run "
         "chmod go-w " +
         dir + " (the packaged unit's StateDirectory= creates it 0755)";
}

}  // namespace deskd::config
