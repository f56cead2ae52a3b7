// Counter-based randomness (random.hpp) and the shared arc coin (live_arcs.hpp): frequencies,
// uniformity and independence, with tolerances from the standard error (about 5 sigma, so a
// correct generator fails with probability < 1e-6 per check; the seeds are fixed anyway).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <utility>
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

TEST_CASE("LiveArcs flips the bit-sliced coin of the vertex pair, whatever the traversal",
          "[kernels]") {
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
      REQUIRE(key.planes == rng::coin_plane_keys(kMaster, rng::Purpose::kArcCoin, trial / 64));
      REQUIRE(key.lane == trial % 64);
      const auto block = coins.block_keys(trial / 64);
      for (Vertex u = 0; u < 6; ++u)
        for (std::size_t k = 0; k < g.out_degree(u); ++k) {
          const Vertex v = g.out_neighbors(u)[k];
          const float w = g.out_weights(u)[k];
          const double p = probability.model == ProbabilityModel::kUniform ? 0.4
                           : probability.model == ProbabilityModel::kArcWeights
                               ? static_cast<double>(w)
                               : 1.0 / static_cast<double>(in.out_degree(v));
          const std::uint64_t h = rng::arc_hash(kMaster, rng::Purpose::kArcCoin, u, v);
          const bool expected = (rng::coin_block(h, block, rng::threshold(p)) >> (trial % 64)) & 1;
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

// ---- The bit-sliced arc coin (rng::coin_block / rng::coin_lane) ------------------------------

namespace {

rng::CoinPlaneKeys block_keys(std::uint64_t block, std::uint64_t master = kMaster) {
  return rng::coin_plane_keys(master, rng::Purpose::kArcCoin, block);
}
std::uint64_t pair_hash(Vertex u, Vertex v, std::uint64_t master = kMaster) {
  return rng::arc_hash(master, rng::Purpose::kArcCoin, u, v);
}

/// A coin of arc (u, v) in trial r, as a function (u, v, r, threshold) -> live.
using CoinFn = std::function<bool(Vertex, Vertex, std::uint64_t, std::uint64_t)>;

bool bit_sliced(Vertex u, Vertex v, std::uint64_t r, std::uint64_t t) {
  return rng::coin_lane(pair_hash(u, v), rng::trial_coin_key(kMaster, rng::Purpose::kArcCoin, r),
                        t);
}

/// A CRC-style coin, as a reference simulator does it: a good hash of the pair XOR one number per
/// trial, compared with the threshold. Each trial alone is a fair Bernoulli(p) world, but the
/// worlds of two trials are strongly dependent.
CoinFn xor_constant_coin(bool hashed_constant) {
  return [hashed_constant](Vertex u, Vertex v, std::uint64_t r, std::uint64_t t) {
    const std::uint64_t c = hashed_constant ? rng::hash(kMaster, rng::Purpose::kTarget, r) : r;
    return ((pair_hash(u, v) ^ c) >> 11) < t;
  };
}

/// For trial pairs (r, s): the share of trial r's live arcs that are live in trial s too, over
/// `arcs` arcs. Independent worlds share p of them; returns the largest |share - p| in units of
/// its standard error sqrt(p (1 - p) / live_r).
double worst_shared_live_z(const CoinFn& coin, double p, int arcs) {
  const std::uint64_t t = rng::threshold(p);
  const std::pair<std::uint64_t, std::uint64_t> trial_pairs[] = {
      {0, 1}, {5, 6}, {63, 64}, {64, 65}, {100, 228}, {7, 1000007}, {2, 3000}};
  double worst = 0;
  for (const auto& [r, s] : trial_pairs) {
    double live_r = 0, both = 0;
    for (int i = 0; i < arcs; ++i) {
      const auto u = static_cast<Vertex>(i / 1000), v = static_cast<Vertex>(i % 1000 + 5000);
      if (!coin(u, v, r, t)) continue;
      ++live_r;
      both += coin(u, v, s, t);
    }
    if (live_r == 0) continue;
    worst = std::max(worst, std::abs(both / live_r - p) / std::sqrt(p * (1 - p) / live_r));
  }
  return worst;
}

}  // namespace

TEST_CASE("mix64 = finish(spread(x)), and spread is linear over xor", "[engine]") {
  // The one-stage formula the fused coin loops must reproduce, written out as the oracle.
  const auto reference = [](std::uint64_t x) {
    x ^= (x >> 49) ^ (x >> 24);
    x *= 0x9fb21c651e98df25ULL;
    x ^= x >> 28;
    x *= 0x9fb21c651e98df25ULL;
    return x ^ (x >> 28);
  };
  std::uint64_t a = 1, b = 0x0123456789abcdefULL;
  for (int i = 0; i < 100000; ++i) {
    a = a * 6364136223846793005ULL + 1442695040888963407ULL;  // any spread of inputs will do
    b ^= a >> 7;
    REQUIRE(rng::mix64(a) == reference(a));
    REQUIRE(rng::mix64_finish(rng::mix64_spread(a)) == rng::mix64(a));
    REQUIRE(rng::mix64(a ^ b) == rng::mix64_finish(rng::mix64_spread(a) ^ rng::mix64_spread(b)));
  }
}

TEST_CASE("bit-sliced coin: exact on thresholds a few planes decide", "[engine]") {
  // Threshold 1/2: live iff plane 0's bit is 0; 3/4: plane 0 is 0, or plane 0 is 1 and plane 1 0;
  // 1/4: both planes are 0. (P = threshold / 2^53 by construction, here visibly.)
  const std::uint64_t half = std::uint64_t{1} << 52, quarter = half >> 1;
  for (std::uint64_t b : {0ULL, 1ULL, 77ULL}) {
    const auto keys = block_keys(b);
    for (Vertex u = 0; u < 200; ++u) {
      const std::uint64_t h = pair_hash(u, u + 1);
      const std::uint64_t p0 = rng::mix64(h ^ keys[0]), p1 = rng::mix64(h ^ keys[1]);
      REQUIRE(rng::coin_block(h, keys, half) == ~p0);
      REQUIRE(rng::coin_block(h, keys, half + quarter) == (~p0 | ~p1));
      REQUIRE(rng::coin_block(h, keys, quarter) == (~p0 & ~p1));
      REQUIRE(rng::coin_block(h, keys, 0) == 0);
      REQUIRE(rng::coin_block(h, keys, rng::threshold(1.0)) == ~0ULL);
      REQUIRE(rng::coin_block(h, keys, half, 0xf0f0ULL) == (~p0 & 0xf0f0ULL));
    }
  }
}

TEST_CASE("bit-sliced coin: coin_lane is coin_block's bit, for any lane subset", "[engine]") {
  for (double p : {1e-9, 0.001, 0.05, 0.1, 1.0 / 3.0, 0.5, 0.77, 0.999999})
    for (std::uint64_t trial : {0ULL, 1ULL, 63ULL, 64ULL, 129ULL, 100000ULL}) {
      const std::uint64_t t = rng::threshold(p);
      const auto key = rng::trial_coin_key(kMaster, rng::Purpose::kArcCoin, trial);
      REQUIRE(key.lane == trial % 64);
      REQUIRE(key.planes == block_keys(trial / 64));
      for (Vertex u = 0; u < 300; ++u) {
        const std::uint64_t h = pair_hash(u, 3 * u + 1);
        const std::uint64_t all = rng::coin_block(h, key.planes, t);
        INFO("p " << p << " trial " << trial << " u " << u);
        REQUIRE(rng::coin_lane(h, key, t) == (((all >> key.lane) & 1) != 0));
        // Asking for fewer lanes decides the same bits.
        const std::uint64_t lanes = rng::mix64(u + 0x1234);
        REQUIRE(rng::coin_block(h, key.planes, t, lanes) == (all & lanes));
      }
    }
}

TEST_CASE("bit-sliced coin frequencies match p, per-arc p too (binomial tolerance)", "[engine]") {
  const int arcs = 4000;  // x 64 lanes = 256,000 coins per count
  const double n = 64.0 * arcs;
  for (double p : {0.001, 0.01, 0.05, 0.3, 0.5, 0.9, 0.999}) {
    const std::uint64_t t = rng::threshold(p);
    double over_arcs = 0, over_blocks = 0;
    const auto keys = block_keys(3);
    for (int i = 0; i < arcs; ++i) {
      // 64 trials of many arcs in one block, and 64 trials of one arc in many blocks.
      over_arcs += std::popcount(rng::coin_block(
          pair_hash(static_cast<Vertex>(i / 100), static_cast<Vertex>(i % 100 + 7)), keys, t));
      over_blocks += std::popcount(
          rng::coin_block(pair_hash(12, 34), block_keys(static_cast<std::uint64_t>(i)), t));
    }
    const double se = std::sqrt(p * (1 - p) / n);
    INFO("p " << p);
    REQUIRE(std::abs(over_arcs / n - p) < 5 * se);
    REQUIRE(std::abs(over_blocks / n - p) < 5 * se);
  }
  // Per-arc probabilities (as arc weights): the live count matches sum p_a within 5 SE.
  double live = 0, expected = 0, variance = 0;
  for (int i = 0; i < 20000; ++i) {
    const double p = rng::unit(rng::hash(kMaster, rng::Purpose::kThreshold, i));
    const auto u = static_cast<Vertex>(i), v = static_cast<Vertex>(i + 1);
    live += std::popcount(rng::coin_block(pair_hash(u, v), block_keys(9), rng::threshold(p)));
    expected += 64 * p;
    variance += 64 * p * (1 - p);
  }
  REQUIRE(std::abs(live - expected) < 5 * std::sqrt(variance));
  // And lane by lane over trials, as the one-trial kernels evaluate it.
  for (double p : {0.02, 0.4}) {
    const std::uint64_t t = rng::threshold(p);
    double count = 0;
    const int trials = 100000;
    for (int r = 0; r < trials; ++r) count += bit_sliced(5, 9, static_cast<std::uint64_t>(r), t);
    REQUIRE(std::abs(count / trials - p) < 5 * std::sqrt(p * (1 - p) / trials));
  }
}

TEST_CASE("bit-sliced coins of different lanes, blocks and arcs are independent", "[engine]") {
  // P(both live) = p^2 for: neighbouring lanes of one block (they share the mixed words), the
  // same lane of neighbouring blocks, neighbouring arcs in one trial, and the reverse arc.
  const int n = 200000;
  for (double p : {0.05, 0.3}) {
    const std::uint64_t t = rng::threshold(p);
    const double limit = 5 * std::sqrt(p * p * (1 - p * p) / n);
    double lanes = 0, blocks = 0, arcs = 0, reverse = 0, far_lanes = 0;
    for (int i = 0; i < n; ++i) {
      const auto u = static_cast<Vertex>(i / 64 % 997),
                 v = static_cast<Vertex>(i / 64 / 997 + 2000);
      const auto r = static_cast<std::uint64_t>(i % 64) + 64 * static_cast<std::uint64_t>(i % 5);
      const bool a = bit_sliced(u, v, r, t);
      lanes += a && bit_sliced(u, v, r ^ 1, t);       // lane l and its neighbour
      far_lanes += a && bit_sliced(u, v, r ^ 32, t);  // lane l and l +- 32
      blocks += a && bit_sliced(u, v, r + 64, t);     // the next block, same lane
      arcs += a && bit_sliced(u, v + 1, r, t);        // the neighbouring arc
      reverse += a && bit_sliced(v, u, r, t);         // the reverse arc
    }
    INFO("p " << p);
    for (double both : {lanes, far_lanes, blocks, arcs, reverse})
      REQUIRE(std::abs(both / n - p * p) < limit);
  }
  // The 64 lanes of one arc are 64 independent coins: the live count of a block is
  // Binomial(64, p) (chi-square over its bins with at least ~100 expected).
  const double p = 0.25;
  const std::uint64_t t = rng::threshold(p);
  const int blocks = 100000;
  std::vector<double> counts(65, 0);
  for (int b = 0; b < blocks; ++b)
    counts[std::popcount(
        rng::coin_block(pair_hash(1, 2), block_keys(static_cast<std::uint64_t>(b)), t))]++;
  double chi2 = 0, pmf = std::pow(1 - p, 64);
  int bins = 0;
  for (int k = 0; k <= 64; ++k) {
    const double expected = blocks * pmf;
    if (expected >= 100) {
      chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
      ++bins;
    }
    pmf *= (64.0 - k) / (k + 1.0) * p / (1 - p);
  }
  REQUIRE(bins > 10);
  REQUIRE(chi2 < chi_square_limit(bins - 1));
}

TEST_CASE("two trials' worlds share p of their live arcs; a CRC-style coin fails", "[engine]") {
  // The reference simulator's coins are CRC32C(u, v) XOR one number per trial: every world is a
  // fair Bernoulli(p) world, but two worlds share most live arcs (93.5% at p = 0.01). The
  // check: of the arcs live in trial r, the share live in trial s is p within 5 standard errors,
  // for several pairs (r, s) -- the same lane of neighbouring blocks, neighbouring lanes, far
  // trials.
  for (double p : {0.01, 0.05, 0.3}) {
    INFO("p " << p);
    // 10^6 arcs: two disjoint worlds at p = 0.01 are then sqrt(10^6 p p / p) = 10 SE from p.
    REQUIRE(worst_shared_live_z(bit_sliced, p, 1000000) < 5.0);
    // The check catches coins of the form f(u, v) XOR a per-trial constant, hashed or not ...
    REQUIRE(worst_shared_live_z(xor_constant_coin(false), p, 1000000) > 5.0);
    REQUIRE(worst_shared_live_z(xor_constant_coin(true), p, 1000000) > 5.0);
  }
  // ... although each world alone has the right frequency (so a frequency test misses them).
  const std::uint64_t t = rng::threshold(0.05);
  const CoinFn fake = xor_constant_coin(true);
  double live = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) live += fake(static_cast<Vertex>(i), 7, 3, t);
  REQUIRE(std::abs(live / n - 0.05) < 5 * std::sqrt(0.05 * 0.95 / n));
}
