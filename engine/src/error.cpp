#include "cascade/error.hpp"

namespace cascade {

std::string located(const std::string& path, std::uint64_t line, const std::string& what) {
  if (line == 0) return path + ": " + what;
  return path + ":" + std::to_string(line) + ": " + what;
}

}  // namespace cascade
