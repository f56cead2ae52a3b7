// Branching-process theory of a recruitment regime on the configuration model (branching.hpp).
#include "cascade/branching.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

namespace cascade {

namespace {

constexpr std::uint64_t kChunk = 1 << 16;

// sum_v f(v) over fixed chunks added in order: the same bits for any thread count.
template <class F>
double ordered_sum(std::uint64_t n, const F& f) {
  const std::uint64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> part(chunks, 0.0);
  tbb::parallel_for(std::uint64_t{0}, chunks, [&](std::uint64_t c) {
    double s = 0.0;
    for (std::uint64_t v = c * kChunk; v < std::min(n, (c + 1) * kChunk); ++v)
      s += f(static_cast<Vertex>(v));
    part[c] = s;
  });
  double total = 0.0;
  for (double s : part) total += s;
  return total;
}

// Two sums in one pass (the Newton steps need a map and its slope): same order as ordered_sum.
template <class F>
std::pair<double, double> ordered_sum2(std::uint64_t n, const F& f) {
  const std::uint64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::pair<double, double>> part(chunks);
  tbb::parallel_for(std::uint64_t{0}, chunks, [&](std::uint64_t c) {
    double a = 0.0, b = 0.0;
    for (std::uint64_t v = c * kChunk; v < std::min(n, (c + 1) * kChunk); ++v) {
      const auto [x, y] = f(static_cast<Vertex>(v));
      a += x;
      b += y;
    }
    part[c] = {a, b};
  });
  double a = 0.0, b = 0.0;
  for (const auto& [x, y] : part) a += x, b += y;
  return {a, b};
}

// base^e for a whole exponent (a degree) by squaring: ~log2(e) multiplications instead of a
// libm pow() call -- branching theory evaluates it per vertex per Newton step, and on the
// two-million scenario pow() was 13% of the whole run.
double power(double base, std::uint64_t e) {
  double result = 1.0;
  for (; e != 0; e >>= 1) {
    if (e & 1) result *= base;
    base *= base;
  }
  return result;
}

double probability_of(std::uint64_t threshold) {
  return static_cast<double>(threshold) / 9007199254740992.0;  // threshold / 2^53
}

// Smallest root in [0, 1] of z = map(z) for a convex increasing map with map(1) = 1, by Newton
// from 0 (monotone from the left); value_and_slope(z) returns {map(z), map'(z)}.
template <class F>
double smallest_root(const F& value_and_slope) {
  double z = 0.0;
  for (int i = 0; i < 200; ++i) {
    const auto [value, slope] = value_and_slope(z);
    const double f = value - z, df = slope - 1.0;
    if (!(df < 0.0)) break;  // at or past the minimum: z is the root to rounding
    const double next = std::clamp(z - f / df, 0.0, 1.0);
    if (std::abs(next - z) < 1e-14) {
      z = next;
      break;
    }
    z = next;
  }
  return z;
}

}  // namespace

BranchingTheory branching_theory(const Graph& g, const RegimeBehaviour& b,
                                 const DelayModel& delay) {
  BranchingTheory t;
  const std::uint64_t n = g.num_vertices();
  auto k_of = [&g](Vertex v) { return static_cast<double>(g.out_degree(v)); };
  auto p_of = [&b](Vertex v) { return probability_of(b.share_threshold[v]); };
  auto q_of = [&b](Vertex v) { return probability_of(b.join_threshold[v]); };
  const double arcs = ordered_sum(n, k_of);
  if (n == 0 || arcs == 0.0) {
    t.doubling_time_hours = std::numeric_limits<double>::quiet_NaN();
    return t;
  }
  t.growth_factor = ordered_sum(n,
                                [&](Vertex v) {
                                  const double k = k_of(v);
                                  return k * (k - 1.0) * p_of(v) * q_of(v);
                                }) /
                    arcs;

  // Lineage extinction x: an arc-reached person's line of recruits dies out.
  t.lineage_extinction = smallest_root([&](double x) {
    const auto [value, slope] = ordered_sum2(n, [&](Vertex v) {
      const double k = k_of(v), p = p_of(v), q = q_of(v);
      if (k < 1) return std::pair{0.0, 0.0};
      const double base = 1.0 - p + p * x;
      const auto e = static_cast<std::uint64_t>(k);
      const double below = e < 2 ? 1.0 : power(base, e - 2);  // base^(k-2)
      return std::pair{k * (1.0 - q + q * (e < 2 ? 1.0 : below * base)),
                       e < 2 ? 0.0 : k * q * (k - 1.0) * p * below};
    });
    return std::pair{value / arcs, slope / arcs};
  });
  // y: an arc into a person brings nobody (its other end never joins the cascade and calls).
  const double y = smallest_root([&](double z) {
    const auto [value, slope] = ordered_sum2(n, [&](Vertex u) {
      const double k = k_of(u), pq = p_of(u) * q_of(u);
      if (k < 1) return std::pair{0.0, 0.0};
      const auto e = static_cast<std::uint64_t>(k);
      const double below = e < 2 ? 1.0 : power(z, e - 2);  // z^(k-2)
      return std::pair{k * (1.0 - pq + pq * (e < 2 ? 1.0 : below * z)),
                       e < 2 ? 0.0 : k * pq * (k - 1.0) * below};
    });
    return std::pair{value / arcs, slope / arcs};
  });
  t.final_fraction = y >= 1.0 ? 0.0 : ordered_sum(n, [&](Vertex v) {
                                        return q_of(v) * (1.0 - power(y, g.out_degree(v)));
                                      }) / static_cast<double>(n);

  // Doubling time: Euler-Lotka with the delay factors binned (weights added per chunk in order).
  t.doubling_time_hours = std::numeric_limits<double>::quiet_NaN();
  if (t.growth_factor <= 1.0) return t;
  constexpr std::size_t kBins = 256, kNodes = 256;
  const std::uint64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::array<double, 2 * kBins>> part(chunks);
  tbb::parallel_for(std::uint64_t{0}, chunks, [&](std::uint64_t c) {
    auto& w = part[c];
    w.fill(0.0);
    for (std::uint64_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      const auto v = static_cast<Vertex>(i);
      const double k = k_of(v), weight = k * (k - 1.0) * p_of(v) * q_of(v) / arcs;
      const double f = b.delay_factor[v];
      const auto bin = std::min<std::size_t>(kBins - 1, static_cast<std::size_t>(f * kBins));
      w[bin] += weight;
      w[kBins + bin] += weight * f;
    }
  });
  std::array<double, 2 * kBins> w{};
  for (const auto& p : part)
    for (std::size_t j = 0; j < 2 * kBins; ++j) w[j] += p[j];
  std::array<double, kNodes> delays{};
  for (std::size_t i = 0; i < kNodes; ++i)
    delays[i] = delay.quantile((static_cast<double>(i) + 0.5) / kNodes);
  auto lotka = [&](double lambda) {  // sum_v weight_v E[exp(-lambda f_v T)]
    double s = 0.0;
    for (std::size_t j = 0; j < kBins; ++j) {
      if (w[j] <= 0.0) continue;
      const double f = w[kBins + j] / w[j];
      double e = 0.0;
      for (double d : delays) e += std::exp(-lambda * f * d);
      s += w[j] * e / kNodes;
    }
    return s;
  };
  double lo = 0.0, hi = 1.0 / delay.median_hours;
  while (lotka(hi) > 1.0 && hi < 1e6) hi *= 2.0;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    (lotka(mid) > 1.0 ? lo : hi) = mid;
  }
  t.doubling_time_hours = std::numbers::ln2 / (0.5 * (lo + hi));
  return t;
}

double takeoff_probability(const Graph& g, const RegimeBehaviour& b, const BranchingTheory& t,
                           std::span<const Vertex> seeds) {
  double extinct = 1.0;
  for (Vertex s : seeds) {
    const double p = probability_of(b.share_threshold[s]);
    extinct *= power(1.0 - p + p * t.lineage_extinction, g.out_degree(s));
  }
  return 1.0 - extinct;
}

}  // namespace cascade
