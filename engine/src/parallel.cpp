#include "cascade/parallel.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

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

}  // namespace cascade
