// Greedy maximum coverage over a collection of RR sets (cascade/maximize.hpp), and the number
// of sets a seed set covers. Sampling the sets is rr_sets.cpp.
//
// Determinism: counts are integers (sums in any order are the same) and ties between counts
// are broken by the smaller vertex id, so the picks are the same for any thread count.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <functional>
#include <limits>

#include "cascade/error.hpp"
#include "cascade/maximize.hpp"

namespace cascade {

Coverage greedy_max_coverage(const RrSets& rr, std::uint64_t n, std::uint64_t k, bool bound,
                             Vertex sentinel) {
  const std::uint64_t sets = rr.size();
  if (sets > std::numeric_limits<std::uint32_t>::max())
    throw InvalidArgument("greedy_max_coverage: more than 2^32 - 1 RR sets");
  // No inverted index (it would double the memory): count[v] = uncovered sets holding v, kept
  // exact by scanning the uncovered sets after each pick. The first pick usually covers the big
  // sets, so later scans are short. Counts are integers: sums in any order are the same.
  using Counts = std::vector<std::uint32_t>;
  tbb::enumerable_thread_specific<Counts> local([n] { return Counts(n, 0); });
  auto fold = [&](std::vector<std::int64_t>& into, int sign) {  // into += sign * sum of locals
    for (Counts& c : local) {
      tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t v) {
        into[v] += sign * static_cast<std::int64_t>(c[v]);
        c[v] = 0;
      });
    }
  };
  std::vector<std::int64_t> count(n, 0);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, sets, 256),
                    [&](const tbb::blocked_range<std::uint64_t>& r) {
                      Counts& c = local.local();
                      for (std::uint64_t s = r.begin(); s < r.end(); ++s)
                        for (Vertex v : rr.set(s)) ++c[v];
                    });
  fold(count, +1);
  std::vector<std::uint32_t> uncovered(sets);
  for (std::uint64_t s = 0; s < sets; ++s) uncovered[s] = static_cast<std::uint32_t>(s);
  std::vector<std::uint8_t> hit(sets, 0);

  Coverage result;
  result.coverage_upper_bound = std::numeric_limits<std::uint64_t>::max();
  std::vector<std::int64_t> top;
  // covered(S_j) + the k largest counts given S_j. With a sentinel, only prefixes holding it:
  // there the cut sets are covered, and the rest are whole.
  bool sentinel_chosen = sentinel == kNoVertex;
  auto tighten_bound = [&] {
    if (!bound || !sentinel_chosen) return;
    top = count;
    const auto kk = static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(k, n));
    std::nth_element(top.begin(), top.begin() + (kk - 1), top.end(), std::greater<>());
    std::uint64_t sum = result.covered;
    for (std::ptrdiff_t j = 0; j < kk; ++j)
      sum += static_cast<std::uint64_t>(top[static_cast<std::size_t>(j)]);
    result.coverage_upper_bound = std::min(result.coverage_upper_bound, sum);
  };
  if (k > 0 && n > 0) tighten_bound();
  // (count, id) order: larger count first, then smaller id. A total order, so the parallel
  // reduction picks the same vertex for any split.
  using Best = std::pair<std::int64_t, std::int64_t>;  // (count, -id)
  std::vector<std::uint8_t> chosen(n, 0);
  while (result.seeds.size() < k && result.seeds.size() < n) {
    const Best best = tbb::parallel_reduce(
        tbb::blocked_range<std::uint64_t>(0, n, 4096), Best{-1, 0},
        [&](const tbb::blocked_range<std::uint64_t>& r, Best b) {
          for (std::uint64_t v = r.begin(); v < r.end(); ++v)
            if (!chosen[v]) b = std::max(b, Best{count[v], -static_cast<std::int64_t>(v)});
          return b;
        },
        [](Best a, Best b) { return std::max(a, b); });
    const auto v = static_cast<Vertex>(-best.second);
    chosen[v] = 1;
    sentinel_chosen = sentinel_chosen || v == sentinel;
    result.seeds.push_back(v);
    result.gains.push_back(static_cast<std::uint64_t>(best.first));
    result.covered += static_cast<std::uint64_t>(best.first);
    // Cover the uncovered sets holding v and take their vertices off the counts.
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, uncovered.size(), 256),
                      [&](const tbb::blocked_range<std::uint64_t>& r) {
                        Counts* c = nullptr;
                        for (std::uint64_t a = r.begin(); a < r.end(); ++a) {
                          const auto set = rr.set(uncovered[a]);
                          if (std::find(set.begin(), set.end(), v) == set.end()) continue;
                          hit[uncovered[a]] = 1;
                          if (!c) c = &local.local();
                          for (Vertex u : set) ++(*c)[u];
                        }
                      });
    fold(count, -1);
    std::erase_if(uncovered, [&](std::uint32_t s) { return hit[s] != 0; });
    tighten_bound();
  }
  if (!bound) result.coverage_upper_bound = 0;
  return result;
}

std::uint64_t count_covered(const RrSets& rr, std::uint64_t n, std::span<const Vertex> seeds) {
  std::vector<std::uint8_t> in(n, 0);
  for (Vertex s : seeds) in[s] = 1;
  std::uint64_t covered = 0;
  for (std::uint64_t i = 0; i < rr.size(); ++i)
    for (Vertex v : rr.set(i))
      if (in[v]) {
        ++covered;
        break;
      }
  return covered;
}

}  // namespace cascade
