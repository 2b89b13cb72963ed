#pragma once

#include <string>

namespace deskd::config {

// A configuration (or state file) problem at a place in a file. line/column are 1-based; 0 when
// the problem is not at a place in the file (e.g. the file cannot be read).
struct ConfigError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  // "FILE:LINE:COL: message", or "FILE: message" when there is no position.
  std::string to_string() const;
  friend bool operator==(const ConfigError&, const ConfigError&) = default;
};

}  // namespace deskd::config
