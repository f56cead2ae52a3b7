#include "cascade/parallel.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <fstream>
#include <string>

namespace cascade {

struct ThreadLimit::Impl {
  // Constructed in place: a copied global_control is not registered with TBB (only the
  // temporary it was copied from was, and that one unregisters on destruction).
  explicit Impl(std::size_t threads)
      : control(tbb::global_control::max_allowed_parallelism, threads) {}
  tbb::global_control control;
};

ThreadLimit::ThreadLimit(std::size_t threads) {
  if (threads > 0) {
    impl_ = std::make_unique<Impl>(threads);
  }
}

ThreadLimit::~ThreadLimit() = default;

std::size_t max_threads() {
  return tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) break;
    const auto start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "unknown CPU" : line.substr(start);
  }
  return "unknown CPU";
}

}  // namespace cascade
