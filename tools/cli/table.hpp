#pragma once
// A plain text table for terminals: a header row, aligned columns (numbers right, text left),
// two spaces between columns, a rule under the header.
#include <string>
#include <vector>

#include "cascade/text_format.hpp"  // grouped(): counts with thousands separators

namespace cascade::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  /// Appends a row (missing cells are blank).
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  /// The table as text, one line per row, each ending in '\n'.
  std::string str() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

/// Key-value lines "key   value", keys padded to the longest.
std::string key_values(const std::vector<std::pair<std::string, std::string>>& pairs);

/// A number with about `digits` significant digits, no exponent for everyday magnitudes.
std::string number(double value, int digits = 4);

}  // namespace cascade::cli
