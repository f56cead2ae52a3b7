#pragma once
// Internal: resize a per-vertex array and fill it in parallel (the per-trial O(n) reset of the
// full-output kernels; one thread alone would spend a fair share of a BFS-sized trial on it).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace cascade::detail {

template <class T>
void parallel_fill(std::vector<T>& values, std::uint64_t n, T value) {
  values.resize(n);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, std::uint64_t{1} << 16),
                    [&](const tbb::blocked_range<std::uint64_t>& r) {
                      std::fill(values.begin() + static_cast<std::ptrdiff_t>(r.begin()),
                                values.begin() + static_cast<std::ptrdiff_t>(r.end()), value);
                    });
}

}  // namespace cascade::detail
