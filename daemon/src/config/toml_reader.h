#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_error.h"
#include "core/schedule_settings.h"

namespace deskd::config {

struct SourcePosition {
  int line = 0;  // 1-based; 0 = unknown
  int column = 0;
};

// Thrown while reading TOML inside config/; every public entry point of the folder catches it
// and returns the ConfigError as a value.
class TomlReadError : public std::runtime_error {
 public:
  explicit TomlReadError(ConfigError error);
  const ConfigError& error() const { return error_; }

 private:
  ConfigError error_;
};

// Parses TOML text; a syntax error throws TomlReadError at toml++'s source position.
toml::table parse_toml(std::string_view text, const std::string& file);

// Typed, position-aware access to one TOML table. Every key asked for is remembered, and
// finish() reports the first key (in file order) nobody asked for as unknown. Errors throw
// TomlReadError positioned at the offending value (or, for a missing key, at the table) with a
// message "<table>.<key>: what is wrong".
class TableReader {
 public:
  // The document root: its keys are the top-level tables.
  TableReader(const std::string& file, const toml::table& root);
  // `table` may be null (the table is absent): every key then reads as absent.
  TableReader(const std::string& file, const toml::table* table, std::string path,
              SourcePosition where);

  bool present() const { return table_ != nullptr; }
  const std::string& path() const { return path_; }
  SourcePosition position() const { return where_; }
  // Position of the key's value; the table's position when the key is absent.
  SourcePosition position_of(std::string_view key) const;
  // "desk.min_height_mm" ("desk" at the root).
  std::string qualified(std::string_view key) const;

  bool has(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<int> integer(std::string_view key, std::int64_t lo, std::int64_t hi);
  std::optional<std::int64_t> integer64(std::string_view key, std::int64_t lo, std::int64_t hi);
  // An integer or a float, finite, within [lo, hi].
  std::optional<double> number(std::string_view key, double lo, double hi);
  std::optional<std::string> string(std::string_view key);
  // A string that must be one of `allowed`.
  std::optional<std::string> choice(std::string_view key,
                                    std::initializer_list<std::string_view> allowed);

  struct Item {
    std::string text;
    SourcePosition where;
  };
  std::optional<std::vector<Item>> string_array(std::string_view key);
  // "YYYY-MM-DD" string or a TOML local date.
  std::optional<core::CivilDate> date(std::string_view key);
  std::optional<std::vector<core::CivilDate>> date_array(std::string_view key);
  // An integer >= 0 or a non-empty string, as text (a GPIO line offset or name).
  std::optional<std::string> integer_or_string(std::string_view key);

  // A sub-table; an absent one gives a reader positioned at this table.
  TableReader table(std::string_view key);
  // Every key, in file order; all count as read.
  std::vector<std::string> keys();

  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  [[noreturn]] void fail_at(SourcePosition where, const std::string& message) const;
  // Throws for the first key, in file order, that was never asked for.
  void finish() const;

 private:
  const toml::node* node(std::string_view key);
  std::optional<core::CivilDate> date_of(const toml::node& n, std::string_view key) const;

  const std::string* file_;
  const toml::table* table_;
  std::string path_;
  SourcePosition where_;
  std::set<std::string, std::less<>> read_;
};

// "a string", "an integer", ... for messages.
std::string toml_type_name(const toml::node& n);
SourcePosition position_of(const toml::node& n, SourcePosition fallback);

}  // namespace deskd::config
