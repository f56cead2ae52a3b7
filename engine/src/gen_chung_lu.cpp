// Chung-Lu random graph with power-law expected degrees (Chung & Lu 2002).
//
// Vertex i gets weight w_i = (i + i0)^(-alpha), alpha = 1/(gamma - 1): the weights then follow a
// power law with density exponent gamma. Each of the m = n * mean / 2 edges draws both ends
// independently with probability w_i / W, so vertex i's expected degree is 2m w_i / W (mean
// `mean`), exactly a Binomial(2m, w_i / W) count of edge ends before cleaning.
//
// The offset i0 caps the largest weight: we solve for the i0 that makes vertex 0's expected
// degree sqrt(n * mean), the structural cutoff above which a simple graph cannot realise the
// weights (pairs of such vertices would need more than one edge). i0 is at least 1.
//
// Sampling uses Walker's alias table, O(1) per end. Edge e draws from its own stream (seed, e).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/random.hpp"
#include "generator_common.hpp"

namespace cascade {
namespace {

// Largest expected degree, relative to the mean, for offset i0: n i0^-alpha / sum_i (i+i0)^-alpha.
// The sum is exact over the first terms and a midpoint-rule integral beyond.
double max_degree_ratio(std::uint64_t n, double alpha, double i0) {
  constexpr std::uint64_t kExactTerms = 1024;
  double sum = 0.0;
  const std::uint64_t exact = std::min(n, kExactTerms);
  for (std::uint64_t i = 0; i < exact; ++i) sum += std::pow(static_cast<double>(i) + i0, -alpha);
  if (n > exact) {
    auto integral = [&](double x) { return std::pow(x, 1.0 - alpha) / (1.0 - alpha); };
    sum += integral(static_cast<double>(n) + i0 - 0.5) -
           integral(static_cast<double>(exact) + i0 - 0.5);
  }
  return static_cast<double>(n) * std::pow(i0, -alpha) / sum;
}

// The offset i0 >= 1 whose largest expected degree is sqrt(n * mean) (bisection on log i0; the
// ratio falls monotonically from its value at i0 = 1 towards 1 as i0 grows).
double choose_offset(std::uint64_t n, double mean, double alpha) {
  const double target = std::sqrt(static_cast<double>(n) / mean);  // cutoff / mean
  double lo = 0.0, hi = std::log(1e18);
  if (max_degree_ratio(n, alpha, 1.0) <= target) return 1.0;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const double mid = 0.5 * (lo + hi);
    (max_degree_ratio(n, alpha, std::exp(mid)) > target ? lo : hi) = mid;
  }
  return std::exp(hi);
}

// Walker's alias table (Vose's O(n) construction): column i keeps itself with probability
// keep[i] / 2^32 and otherwise gives its alias, so a sample costs one uniform column, one coin
// and one 8-byte table read -- a single cache miss, where a binary search on prefix sums takes
// several. The construction is sequential (about 20 ns per vertex) and hence deterministic.
class AliasTable {
 public:
  explicit AliasTable(std::vector<double> weights) : columns_(weights.size()) {
    const std::uint64_t n = weights.size();
    // Sum in fixed blocks so rounding does not depend on the thread count.
    constexpr std::uint64_t kBlock = 1 << 14;
    std::vector<double> block_sum((n + kBlock - 1) / kBlock, 0.0);
    tbb::parallel_for(std::size_t{0}, block_sum.size(), [&](std::size_t b) {
      for (std::uint64_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i)
        block_sum[b] += weights[i];
    });
    double total = 0.0;
    for (double x : block_sum) total += x;

    // Scaled so the average is 1: a column holds one unit of probability mass.
    std::vector<double>& mass = weights;
    std::vector<Vertex> small, large;
    for (std::uint64_t i = 0; i < n; ++i) {
      mass[i] *= static_cast<double>(n) / total;
      (mass[i] < 1.0 ? small : large).push_back(static_cast<Vertex>(i));
    }
    while (!small.empty() && !large.empty()) {
      const Vertex s = small.back(), l = large.back();
      small.pop_back();
      columns_[s] = {static_cast<std::uint32_t>(mass[s] * 4294967296.0), l};
      mass[l] = (mass[l] + mass[s]) - 1.0;  // l fills the rest of s's column (Vose's order)
      if (mass[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // Leftovers have mass 1 up to rounding: they keep their whole column.
    for (Vertex i : small) columns_[i] = {kAlways, i};
    for (Vertex i : large) columns_[i] = {kAlways, i};
  }

  /// A vertex drawn proportionally to weight, from two numbers of the stream.
  Vertex operator()(rng::Stream& stream) const {
    const std::uint64_t i = stream.next_below(columns_.size());
    const Column column = columns_[i];
    return static_cast<std::uint32_t>(stream.next()) < column.keep ? static_cast<Vertex>(i)
                                                                   : column.alias;
  }

 private:
  static constexpr std::uint32_t kAlways = 0xffffffffU;  // alias is the column itself
  struct Column {
    std::uint32_t keep;  // keep the column iff 32 random bits < keep
    Vertex alias;
  };
  std::vector<Column> columns_;
};

}  // namespace

EdgeList generate_chung_lu(std::uint64_t n, double mean_degree, double gamma, std::uint64_t seed) {
  if (n > kMaxVertices)
    throw InvalidArgument("chung_lu: n = " + std::to_string(n) + " exceeds the vertex limit " +
                          std::to_string(kMaxVertices));
  if (!(mean_degree >= 0.0 && std::isfinite(mean_degree)))
    throw InvalidArgument("chung_lu: mean degree " + std::to_string(mean_degree) +
                          " is not a finite non-negative number");
  if (!(gamma > 2.0 && std::isfinite(gamma)))
    throw InvalidArgument("chung_lu: gamma = " + std::to_string(gamma) +
                          " must be a finite number greater than 2");
  const double half_ends = static_cast<double>(n) * mean_degree / 2.0;
  if (half_ends >= 0x1p62)
    throw ResourceError("chung_lu: n * mean_degree / 2 = " + std::to_string(half_ends) +
                        " edges exceed the largest possible edge list");

  const auto m = static_cast<std::uint64_t>(std::llround(half_ends));
  EdgeList list;
  list.num_vertices = n;
  list.undirected = true;
  if (m == 0) return list;
  detail::allocate_edges(list, m, "chung_lu");

  const double alpha = 1.0 / (gamma - 1.0);
  const double i0 = choose_offset(n, mean_degree, alpha);
  std::vector<double> weights(n);
  tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t i) {
    weights[i] = std::pow(static_cast<double>(i) + i0, -alpha);
  });
  const AliasTable sample(std::move(weights));
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, m),
                    [&](const tbb::blocked_range<std::uint64_t>& range) {
                      for (std::uint64_t e = range.begin(); e < range.end(); ++e) {
                        rng::Stream stream(seed, rng::Purpose::kGenerator, e);
                        const Vertex u = sample(stream);
                        list.edges[e] = {u, sample(stream)};
                      }
                    });
  return list;
}

}  // namespace cascade
