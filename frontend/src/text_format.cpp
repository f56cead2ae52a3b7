// Numbers as text (cascade/text_format.hpp).
#include "cascade/text_format.hpp"

#include <cmath>

namespace cascade {

namespace {

// Inserts a ',' before every third digit from the right: "-1234567" -> "-1,234,567".
std::string group_digits(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const std::size_t left = digits.size() - i;  // digits from here to the end
    if (i > 0 && left % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string grouped(std::uint64_t value) { return group_digits(std::to_string(value)); }

std::string grouped_rounded(double x) { return group_digits(printf_string("%.0f", std::round(x))); }

}  // namespace cascade
