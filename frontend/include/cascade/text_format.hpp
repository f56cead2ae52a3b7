#pragma once
// Numbers as text for the human tables of the reports and the command-line program: the one
// owner of printf-style cells and of digit grouping.
#include <cstdint>
#include <cstdio>
#include <string>

namespace cascade {

/// printf into a string: one table cell or line (cut at 255 characters).
template <class... Args>
std::string printf_string(const char* format, Args... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, args...);
  return std::string(buffer);
}

/// A count with thousands separators: 1048576 -> "1,048,576". O(digits).
std::string grouped(std::uint64_t value);

/// x rounded to a whole number, with thousands separators: -1234.6 -> "-1,235". O(digits).
std::string grouped_rounded(double x);

}  // namespace cascade
