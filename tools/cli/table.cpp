#include "table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace cascade::cli {
namespace {

bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  const char c = s[0];
  return (c >= '0' && c <= '9') || ((c == '-' || c == '+' || c == '.') && s.size() > 1);
}

}  // namespace

std::string Table::str() const {
  std::size_t columns = header_.size();
  for (const auto& r : rows_) columns = std::max(columns, r.size());
  std::vector<std::size_t> width(columns, 0);
  auto cell = [](const std::vector<std::string>& r, std::size_t i) -> const std::string& {
    static const std::string kEmpty;
    return i < r.size() ? r[i] : kEmpty;
  };
  for (std::size_t i = 0; i < columns; ++i) {
    width[i] = cell(header_, i).size();
    for (const auto& r : rows_) width[i] = std::max(width[i], cell(r, i).size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& r, bool header) {
    std::string text;
    for (std::size_t i = 0; i < columns; ++i) {
      const std::string& c = cell(r, i);
      const bool right = !header ? looks_numeric(c) : i > 0;
      if (i) text += "  ";
      text += right ? fmt::format("{:>{}}", c, width[i]) : fmt::format("{:<{}}", c, width[i]);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  line(header_, true);
  std::size_t total = 0;
  for (std::size_t i = 0; i < columns; ++i) total += width[i] + (i ? 2 : 0);
  out += std::string(total, '-') + "\n";
  for (const auto& r : rows_) line(r, false);
  return out;
}

std::string key_values(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::size_t w = 0;
  for (const auto& [k, v] : pairs) w = std::max(w, k.size());
  std::string out;
  for (const auto& [k, v] : pairs) out += fmt::format("{:<{}}  {}\n", k, w, v);
  return out;
}

std::string number(double value, int digits) {
  if (!std::isfinite(value)) return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  const double a = std::fabs(value);
  if (value == std::floor(value) && a < 1e15) return fmt::format("{:.0f}", value);
  if (a != 0 && (a >= 1e9 || a < 1e-4)) return fmt::format("{:.{}g}", value, digits);
  // Fixed notation with `digits` significant digits (at least none after the point).
  const int magnitude = a == 0 ? 0 : static_cast<int>(std::floor(std::log10(a))) + 1;
  const int decimals = std::max(0, digits - std::max(magnitude, 1));
  std::string s = fmt::format("{:.{}f}", value, decimals);
  // Trailing zeros after the point carry no information: 2.44800 -> 2.448.
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace cascade::cli
