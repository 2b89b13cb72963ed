#include "config/toml_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include "config/toml_text.h"

namespace deskd::config {
namespace {

std::string plain_number(double v) {
  std::array<char, 64> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
}

bool before(SourcePosition a, SourcePosition b) {
  return std::pair(a.line, a.column) < std::pair(b.line, b.column);
}

}  // namespace

TomlReadError::TomlReadError(ConfigError error)
    : std::runtime_error(error.to_string()), error_(std::move(error)) {}

toml::table parse_toml(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    throw TomlReadError(ConfigError{file, static_cast<int>(e.source().begin.line),
                                    static_cast<int>(e.source().begin.column),
                                    "TOML syntax error: " + std::string(e.description())});
  }
}

std::string toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

SourcePosition position_of(const toml::node& n, SourcePosition fallback) {
  const auto& begin = n.source().begin;
  if (begin.line == 0) return fallback;
  return {static_cast<int>(begin.line), static_cast<int>(begin.column)};
}

TableReader::TableReader(const std::string& file, const toml::table& root)
    : file_(&file), table_(&root), where_{1, 1} {}

TableReader::TableReader(const std::string& file, const toml::table* table, std::string path,
                         SourcePosition where)
    : file_(&file), table_(table), path_(std::move(path)), where_(where) {
  if (table_ != nullptr) where_ = config::position_of(*table_, where);
}

SourcePosition TableReader::position_of(std::string_view key) const {
  if (table_ == nullptr) return where_;
  const toml::node* n = table_->get(key);
  return n == nullptr ? where_ : config::position_of(*n, where_);
}

std::string TableReader::qualified(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* TableReader::node(std::string_view key) {
  read_.emplace(key);
  return table_ == nullptr ? nullptr : table_->get(key);
}

bool TableReader::has(std::string_view key) { return node(key) != nullptr; }

std::optional<bool> TableReader::boolean(std::string_view key) {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_boolean()) fail(key, "must be a boolean (true or false), got " + toml_type_name(*n));
  return n->as_boolean()->get();
}

std::optional<std::int64_t> TableReader::integer64(std::string_view key, std::int64_t lo,
                                                   std::int64_t hi) {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_integer()) fail(key, "must be an integer, got " + toml_type_name(*n));
  const std::int64_t v = n->as_integer()->get();
  if (v < lo || v > hi) {
    fail(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
                  std::to_string(v));
  }
  return v;
}

std::optional<int> TableReader::integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
  auto v = integer64(key, lo, hi);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<double> TableReader::number(std::string_view key, double lo, double hi) {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  double v = 0;
  if (n->is_integer()) {
    v = static_cast<double>(n->as_integer()->get());
  } else if (n->is_floating_point()) {
    v = n->as_floating_point()->get();
  } else {
    fail(key, "must be a number, got " + toml_type_name(*n));
  }
  if (!std::isfinite(v) || v < lo || v > hi) {
    fail(key, "must be between " + plain_number(lo) + " and " + plain_number(hi) + ", got " +
                  plain_number(v));
  }
  return v;
}

std::optional<std::string> TableReader::string(std::string_view key) {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_string()) fail(key, "must be a string, got " + toml_type_name(*n));
  return n->as_string()->get();
}

std::optional<std::string> TableReader::choice(std::string_view key,
                                               std::initializer_list<std::string_view> allowed) {
  auto v = string(key);
  if (!v) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + toml_quote(a);
    fail(key, "must be one of " + list + ", got " + toml_quote(*v));
  }
  return v;
}

std::optional<std::vector<TableReader::Item>> TableReader::string_array(std::string_view key) {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_array()) fail(key, "must be an array of strings, got " + toml_type_name(*n));
  std::vector<Item> out;
  for (const toml::node& e : *n->as_array()) {
    const SourcePosition at = config::position_of(e, position_of(key));
    if (!e.is_string()) {
      fail_at(at, qualified(key) + ": must be an array of strings, found " + toml_type_name(e));
    }
    out.push_back(Item{e.as_string()->get(), at});
  }
  return out;
}

std::optional<core::CivilDate> TableReader::date_of(const toml::node& n,
                                                    std::string_view key) const {
  const SourcePosition at = config::position_of(n, position_of(key));
  if (n.is_date()) {
    const toml::date d = n.as_date()->get();
    auto parsed = core::parse_date(core::format_date(core::CivilDate{d.year, d.month, d.day}));
    if (!parsed) fail_at(at, qualified(key) + ": date before 1970");
    return parsed;
  }
  if (!n.is_string()) {
    fail_at(at, qualified(key) + ": must be a date \"YYYY-MM-DD\", got " + toml_type_name(n));
  }
  const std::string& text = n.as_string()->get();
  auto parsed = core::parse_date(text);
  if (!parsed) {
    fail_at(at, qualified(key) + ": " + toml_quote(text) +
                    " is not a valid date \"YYYY-MM-DD\" (1970 or later)");
  }
  return parsed;
}

std::optional<core::CivilDate> TableReader::date(std::string_view key) {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  return date_of(*n, key);
}

std::optional<std::vector<core::CivilDate>> TableReader::date_array(std::string_view key) {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_array()) fail(key, "must be an array of dates, got " + toml_type_name(*n));
  std::vector<core::CivilDate> out;
  for (const toml::node& e : *n->as_array()) out.push_back(*date_of(e, key));
  return out;
}

std::optional<std::string> TableReader::integer_or_string(std::string_view key) {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (n->is_integer()) {
    const std::int64_t v = n->as_integer()->get();
    if (v < 0 || v > 65535)
      fail(key, "line offset must be between 0 and 65535, got " + std::to_string(v));
    return std::to_string(v);
  }
  if (n->is_string()) {
    const std::string& s = n->as_string()->get();
    if (s.empty()) fail(key, "line name must not be empty");
    return s;
  }
  fail(key, "must be a line offset (integer) or a line name (string), got " + toml_type_name(*n));
}

TableReader TableReader::table(std::string_view key) {
  const toml::node* n = node(key);
  if (n == nullptr) return TableReader(*file_, nullptr, qualified(key), where_);
  if (!n->is_table()) fail(key, "must be a table, got " + toml_type_name(*n));
  return TableReader(*file_, n->as_table(), qualified(key), config::position_of(*n, where_));
}

std::vector<std::string> TableReader::keys() {
  std::vector<std::pair<SourcePosition, std::string>> found;
  if (table_ != nullptr) {
    for (auto&& [k, v] : *table_) {
      found.emplace_back(config::position_of(v, where_), std::string(k.str()));
      read_.emplace(k.str());
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return before(a.first, b.first); });
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

void TableReader::fail(std::string_view key, const std::string& message) const {
  fail_at(position_of(key), qualified(key) + ": " + message);
}

void TableReader::fail_at(SourcePosition where, const std::string& message) const {
  throw TomlReadError(ConfigError{*file_, where.line, where.column, message});
}

void TableReader::finish() const {
  if (table_ == nullptr) return;
  std::optional<SourcePosition> first_at;
  std::string first_message;
  for (auto&& [k, v] : *table_) {
    if (read_.count(k.str()) != 0) continue;
    SourcePosition at{static_cast<int>(k.source().begin.line),
                      static_cast<int>(k.source().begin.column)};
    if (at.line == 0) at = config::position_of(v, where_);
    if (first_at && !before(at, *first_at)) continue;
    first_at = at;
    const std::string name(k.str());
    if (v.is_table()) {
      first_message = "unknown table [" + qualified(name) + "]";
    } else if (path_.empty()) {
      first_message = "unknown key '" + name + "' at the top level (keys belong in a table)";
    } else {
      first_message = "unknown key '" + name + "' in [" + path_ + "]";
    }
  }
  if (first_at) fail_at(*first_at, first_message);
}

}  // namespace deskd::config
