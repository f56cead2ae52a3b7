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
// Sampling is an inverse-CDF lookup on the prefix sums of the weights, made O(1) expected by a
// guide table (Chen & Asau 1974): guide[j] is where the j-th of n equal slices of the total
// weight starts. Prefix sums are summed in fixed blocks so rounding, and hence the result, does
// not depend on the thread count. Edge e draws from its own stream (seed, e).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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

// Inclusive prefix sums of w_i = (i + i0)^-alpha, summed in fixed blocks (thread independent).
std::vector<double> weight_prefix_sums(std::uint64_t n, double alpha, double i0) {
  constexpr std::uint64_t kBlock = 1 << 14;
  const std::uint64_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> cdf(n), block_start(blocks + 1, 0.0);
  tbb::parallel_for(std::uint64_t{0}, blocks, [&](std::uint64_t b) {
    double sum = 0.0;
    for (std::uint64_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
      cdf[i] = std::pow(static_cast<double>(i) + i0, -alpha);
      sum += cdf[i];
    }
    block_start[b + 1] = sum;
  });
  for (std::uint64_t b = 0; b < blocks; ++b) block_start[b + 1] += block_start[b];
  tbb::parallel_for(std::uint64_t{0}, blocks, [&](std::uint64_t b) {
    double sum = block_start[b];
    for (std::uint64_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) cdf[i] = sum += cdf[i];
  });
  return cdf;
}

// Draws vertices proportionally to weight from inclusive prefix sums.
class WeightedSampler {
 public:
  explicit WeightedSampler(std::vector<double> cdf) : cdf_(std::move(cdf)), guide_(cdf_.size() + 1) {
    const std::uint64_t n = cdf_.size();
    const double total = cdf_.back();
    tbb::parallel_for(std::uint64_t{0}, n + 1, [&](std::uint64_t j) {
      guide_[j] = static_cast<Vertex>(find(0, n - 1, total * static_cast<double>(j) / n));
    });
  }

  // The vertex i with cdf[i-1] <= x < cdf[i] for x = unit(draw) * total.
  Vertex operator()(std::uint64_t draw) const {
    const std::uint64_t n = cdf_.size();
    const double u = rng::unit(draw);
    const std::uint64_t slice = std::min(static_cast<std::uint64_t>(u * n), n - 1);
    return static_cast<Vertex>(find(guide_[slice], guide_[slice + 1], u * cdf_.back()));
  }

 private:
  // First i in [lo, n) with cdf[i] > x (n - 1 if none), searching [lo, hi] first. Correct for
  // any lo, hi: the walks repair a window that rounding put one slot off.
  std::uint64_t find(std::uint64_t lo, std::uint64_t hi, double x) const {
    std::uint64_t i = std::upper_bound(cdf_.begin() + lo, cdf_.begin() + hi + 1, x) - cdf_.begin();
    while (i > 0 && cdf_[i - 1] > x) --i;
    while (i < cdf_.size() - 1 && cdf_[i] <= x) ++i;
    return std::min<std::uint64_t>(i, cdf_.size() - 1);
  }

  std::vector<double> cdf_;
  std::vector<Vertex> guide_;
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
  const WeightedSampler sample(weight_prefix_sums(n, alpha, choose_offset(n, mean_degree, alpha)));
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, m),
                    [&](const tbb::blocked_range<std::uint64_t>& range) {
                      for (std::uint64_t e = range.begin(); e < range.end(); ++e) {
                        rng::Stream stream(seed, rng::Purpose::kGenerator, e);
                        const Vertex u = sample(stream.next());
                        list.edges[e] = {u, sample(stream.next())};
                      }
                    });
  return list;
}

}  // namespace cascade
