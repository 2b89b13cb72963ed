#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace deskd::config {

// Files that survive power cuts. Each function returns nullopt on success, else a message
// naming the path and the OS error.

// Replaces `path` with `content` atomically: a temporary file in the same directory is written,
// fsync'ed, renamed over `path`, and the directory is fsync'ed. Readers see the old or the new
// content, never a mix. The file gets mode 0644 whatever the umask. No temporary file is left
// behind on failure.
std::optional<std::string> write_file_atomically(const std::string& path, std::string_view content);

// Reads the whole file into `out` (cleared first).
std::optional<std::string> read_file(const std::string& path, std::string& out);

// Renames `path` to "<path>.corrupt-<UTC yyyymmddThhmmss>" (with "-N" appended if that name is
// taken) and returns the new name, or nullopt when the rename failed.
std::optional<std::string> set_aside_corrupt(const std::string& path);

}  // namespace deskd::config
