#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace deskd::config {

// Helpers for writing TOML text by hand (deskd writes its files in a fixed, commented order that
// toml++'s formatter cannot keep).

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_quote(std::string_view text);
// The shortest text that reads back as exactly `v`, always a TOML float ("3.0", "0.1", "1e-07").
// `v` must be finite.
std::string toml_float(double v);
// ["a", "b"]
std::string toml_string_array(const std::vector<std::string>& items);

}  // namespace deskd::config
