// Counter-based randomness (random.hpp) and the shared arc coin (live_arcs.hpp): frequencies,
// uniformity and independence, with tolerances from the standard error (about 5 sigma, so a
// correct generator fails with probability < 1e-6 per check; the seeds are fixed anyway).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/live_arcs.hpp"
#include "cascade/random.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

constexpr std::uint64_t kMaster = 0x5eed;

std::uint64_t arc_draw(Vertex u, Vertex v, std::uint64_t trial, std::uint64_t master = kMaster) {
  return rng::draw(rng::arc_hash(master, rng::Purpose::kArcCoin, u, v),
                   rng::trial_key(master, rng::Purpose::kArcCoin, trial));
}

// Pearson correlation of paired samples.
double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// Chi-square statistic of counts against equal expected counts.
double chi_square(const std::vector<std::uint64_t>& counts, double total) {
  const double expected = total / static_cast<double>(counts.size());
  double chi2 = 0;
  for (auto c : counts)
    chi2 += (static_cast<double>(c) - expected) * (static_cast<double>(c) - expected) / expected;
  return chi2;
}

// Upper 1e-6 tail of chi-square with k degrees of freedom (Wilson-Hilferty).
double chi_square_limit(double k) {
  const double z = 4.75;
  const double a = 2.0 / (9.0 * k);
  return k * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

}  // namespace

TEST_CASE("coin frequencies match p (binomial tolerance)", "[engine]") {
  const int n = 200000;
  for (double p : {0.001, 0.05, 0.3, 0.5, 0.9, 0.999}) {
    const std::uint64_t t = rng::threshold(p);
    std::uint64_t over_arcs = 0, over_trials = 0;
    for (int i = 0; i < n; ++i) {
      // Over many arcs in one trial, and over many trials of one arc.
      over_arcs +=
          rng::coin(arc_draw(static_cast<Vertex>(i / 400), static_cast<Vertex>(i % 400 + 7), 3), t);
      over_trials += rng::coin(arc_draw(12, 34, static_cast<std::uint64_t>(i)), t);
    }
    const double se = std::sqrt(p * (1 - p) / n);
    INFO("p " << p);
    REQUIRE(std::abs(static_cast<double>(over_arcs) / n - p) < 5 * se);
    REQUIRE(std::abs(static_cast<double>(over_trials) / n - p) < 5 * se);
  }
  // The ends are exact.
  for (int i = 0; i < 1000; ++i) {
    const auto d = arc_draw(1, static_cast<Vertex>(i), 0);
    REQUIRE_FALSE(rng::coin(d, rng::threshold(0.0)));
    REQUIRE(rng::coin(d, rng::threshold(1.0)));
    REQUIRE_FALSE(rng::coin(d, rng::threshold(std::nan(""))));
  }
  REQUIRE(rng::coin(0, rng::threshold(0x1p-53)));  // smallest positive p: one value
  REQUIRE_FALSE(rng::coin(1 << 11, rng::threshold(0x1p-53)));
}

TEST_CASE("unit() is uniform on [0, 1) (chi-square over 100 bins)", "[engine]") {
  const std::size_t bins = 100;
  const int n = 500000;
  std::vector<std::uint64_t> counts(bins, 0), open_counts(bins, 0);
  for (int i = 0; i < n; ++i) {
    const std::uint64_t d =
        rng::hash(kMaster, rng::Purpose::kThreshold, static_cast<std::uint64_t>(i), 9);
    const double u = rng::unit(d);
    const double o = rng::unit_open0(d);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(o > 0.0);
    REQUIRE(o <= 1.0);
    ++counts[static_cast<std::size_t>(u * bins)];
    ++open_counts[std::min(bins - 1, static_cast<std::size_t>(o * bins))];
  }
  REQUIRE(chi_square(counts, n) < chi_square_limit(bins - 1));
  REQUIRE(chi_square(open_counts, n) < chi_square_limit(bins - 1));
  // Consecutive values (as of a vertex's successive trials) are also uniform in pairs: 10 x 10.
  std::vector<std::uint64_t> pairs(100, 0);
  double previous = rng::unit(arc_draw(5, 6, 0));
  for (int i = 1; i <= n; ++i) {
    const double u = rng::unit(arc_draw(5, 6, static_cast<std::uint64_t>(i)));
    ++pairs[static_cast<std::size_t>(previous * 10) * 10 + static_cast<std::size_t>(u * 10)];
    previous = u;
  }
  REQUIRE(chi_square(pairs, n) < chi_square_limit(99));
}

TEST_CASE("every bit of a draw is a fair coin", "[engine]") {
  const int n = 100000;
  std::array<int, 64> ones{};
  for (int i = 0; i < n; ++i) {
    const auto d = arc_draw(static_cast<Vertex>(i), static_cast<Vertex>(i + 1), 0);
    for (int b = 0; b < 64; ++b) ones[b] += static_cast<int>((d >> b) & 1);
  }
  for (int b = 0; b < 64; ++b) {
    INFO("bit " << b);
    REQUIRE(std::abs(ones[b] / static_cast<double>(n) - 0.5) < 5 * 0.5 / std::sqrt(n));
  }
}

TEST_CASE("coins of different trials, arcs, purposes and seeds are uncorrelated", "[engine]") {
  const int n = 200000;
  const double limit = 5.0 / std::sqrt(static_cast<double>(n));  // SE of r is ~ 1/sqrt(n)
  std::vector<double> a(n), trial_next(n), arc_next(n), reverse(n), purpose(n), seed(n), key(n);
  for (int i = 0; i < n; ++i) {
    const auto u = static_cast<Vertex>(i / 500), v = static_cast<Vertex>(i % 500 + 1000);
    const std::uint64_t r = static_cast<std::uint64_t>(i) % 17;
    a[i] = rng::unit(arc_draw(u, v, r));
    trial_next[i] = rng::unit(arc_draw(u, v, r + 1));  // same arc, next trial
    arc_next[i] = rng::unit(arc_draw(u, v + 1, r));    // neighbouring arc, same trial
    reverse[i] = rng::unit(arc_draw(v, u, r));         // the reverse arc
    purpose[i] = rng::unit(rng::draw(rng::arc_hash(kMaster, rng::Purpose::kArcDelay, u, v),
                                     rng::trial_key(kMaster, rng::Purpose::kArcDelay, r)));
    seed[i] = rng::unit(arc_draw(u, v, r, kMaster + 1));  // next master seed
    key[i] = rng::unit(arc_draw(u, v, r + 1000000));      // a far trial
  }
  for (const auto* other : {&trial_next, &arc_next, &reverse, &purpose, &seed, &key})
    REQUIRE(std::abs(correlation(a, *other)) < limit);
  // Indicators of coins at p = 0.2 in consecutive trials: P(both) = p^2.
  const std::uint64_t t = rng::threshold(0.2);
  int both = 0;
  for (int i = 0; i < n; ++i)
    both += rng::coin(arc_draw(3, 4, static_cast<std::uint64_t>(2 * i)), t) &&
            rng::coin(arc_draw(3, 4, static_cast<std::uint64_t>(2 * i + 1)), t);
  REQUIRE(std::abs(both / static_cast<double>(n) - 0.04) < 5 * std::sqrt(0.04 * 0.96 / n));
}

TEST_CASE("below() stays in range and is uniform", "[engine]") {
  for (std::uint64_t bound : {1ULL, 2ULL, 3ULL, 7ULL, 1000ULL, (1ULL << 33) + 1, ~0ULL}) {
    for (int i = 0; i < 20000; ++i)
      REQUIRE(
          rng::below(rng::hash(kMaster, rng::Purpose::kSeeds, static_cast<std::uint64_t>(i), bound),
                     bound) < bound);
  }
  REQUIRE(rng::below(~0ULL, 5) == 4);
  REQUIRE(rng::below(0, 5) == 0);
  const int n = 210000;
  std::vector<std::uint64_t> counts(7, 0);
  for (int i = 0; i < n; ++i)
    ++counts[rng::below(rng::hash(kMaster, rng::Purpose::kSeeds, static_cast<std::uint64_t>(i)),
                        7)];
  REQUIRE(chi_square(counts, n) < chi_square_limit(6));
}

TEST_CASE("Stream is a pure function of its key", "[engine]") {
  rng::Stream a(kMaster, rng::Purpose::kGenerator, 42), b(kMaster, rng::Purpose::kGenerator, 42);
  rng::Stream other_index(kMaster, rng::Purpose::kGenerator, 43);
  rng::Stream other_sub(kMaster, rng::Purpose::kGenerator, 42, 1);
  rng::Stream other_purpose(kMaster, rng::Purpose::kSeeds, 42);
  int same_index = 0, same_sub = 0, same_purpose = 0;
  std::vector<std::uint64_t> first;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next();
    first.push_back(x);
    REQUIRE(x == b.next());
    same_index += x == other_index.next();
    same_sub += x == other_sub.next();
    same_purpose += x == other_purpose.next();
  }
  REQUIRE(same_index + same_sub + same_purpose == 0);
  rng::Stream again(kMaster, rng::Purpose::kGenerator, 42);
  for (auto x : first) REQUIRE(again.next() == x);
  // next_unit / next_below: ranges, and the mean of next_unit.
  rng::Stream s(kMaster, rng::Purpose::kVertexTrait, 7);
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = s.next_unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    REQUIRE(s.next_below(13) < 13);
  }
  REQUIRE(std::abs(sum / n - 0.5) < 5 * std::sqrt(1.0 / 12.0 / n));
}

TEST_CASE("LiveArcs flips the rng coin of the vertex pair, whatever the traversal", "[kernels]") {
  EdgeList list;
  list.num_vertices = 6;
  list.edges = {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {0, 5}};
  list.weights = {0.1f, 0.5f, 0.9f, 0.0f, 1.0f, 0.3f};
  list.undirected = true;
  const Graph g = build_csr(list);
  const Graph& in = g.transpose();
  for (auto probability : {ArcProbability::uniform(0.4), ArcProbability::arc_weights(),
                           ArcProbability::weighted_cascade()}) {
    const LiveArcs coins(g, probability, kMaster);
    for (std::uint64_t trial = 0; trial < 50; ++trial) {
      const auto key = coins.trial_key(trial);
      REQUIRE(key == rng::trial_key(kMaster, rng::Purpose::kArcCoin, trial));
      for (Vertex u = 0; u < 6; ++u)
        for (std::size_t k = 0; k < g.out_degree(u); ++k) {
          const Vertex v = g.out_neighbors(u)[k];
          const float w = g.out_weights(u)[k];
          const double p = probability.model == ProbabilityModel::kUniform ? 0.4
                           : probability.model == ProbabilityModel::kArcWeights
                               ? static_cast<double>(w)
                               : 1.0 / static_cast<double>(in.out_degree(v));
          const bool expected = rng::coin(arc_draw(u, v, trial), rng::threshold(p));
          REQUIRE(coins.live(u, v, w, key) == expected);
          // The pull side finds u among v's in-arcs with the same weight, hence the same coin.
          const auto sources = in.out_neighbors(v);
          const auto j = static_cast<std::size_t>(
              std::lower_bound(sources.begin(), sources.end(), u) - sources.begin());
          REQUIRE(coins.live(u, v, in.out_weights(v)[j], key) == expected);
        }
    }
  }
}
