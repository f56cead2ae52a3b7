// Fused Monte Carlo IC (run_ic_fused): every trial equals the one-trial IC kernel (run_ic,
// run_ic_trial) and a Boost.Graph BFS over that trial's live arcs, for any lane width, SIMD or
// not, any thread count, any batch a trial falls in; plus closed-form spreads and the errors.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/ic.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/seeds.hpp"
#include "catch.hpp"
#include "kernel_oracles.hpp"

using namespace cascade;
using namespace cascade::testing;

namespace {

constexpr unsigned kLaneWidths[] = {64, 128, 256, 512};

/// The per-trial answer of an independent oracle: Boost.Graph BFS over the arcs that are live in
/// this trial (LiveArcs::live), from the distinct seeds.
TrialCounts boost_trial(const Graph& g, const LiveArcs& coins, std::vector<Vertex> seeds,
                        std::uint64_t trial) {
  std::sort(seeds.begin(), seeds.end());
  seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
  const std::uint64_t key = coins.trial_key(trial);
  const auto dist = boost_bfs(g, seeds, [&](Vertex u, Vertex v, std::size_t k) {
    const auto w = g.out_weights(u);
    return coins.live(u, v, w.empty() ? 0.0f : w[k], key);
  });
  TrialCounts out;
  out.per_step.assign(1, 0);
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    if (dist[v] == kUnreached) continue;
    if (dist[v] >= out.per_step.size()) out.per_step.resize(dist[v] + 1, 0);
    ++out.per_step[dist[v]];
    ++out.spread;
    out.arcs_examined += g.out_degree(v);
  }
  return out;
}

void require_same(const FusedTrialResult& a, const FusedTrialResult& b) {
  REQUIRE(a.first_trial == b.first_trial);
  REQUIRE(a.trials == b.trials);
  REQUIRE(a.spread == b.spread);
  REQUIRE(a.per_step == b.per_step);
  REQUIRE(a.arcs_examined == b.arcs_examined);
}

FusedIcOptions lanes_of(unsigned lanes, CoinIsa isa = CoinIsa::kAvx512) {
  FusedIcOptions o;
  o.lanes = lanes;
  o.max_isa = isa;
  return o;
}

// Every coin loop this CPU can run (the portable one always).
std::vector<CoinIsa> isas_here() {
  std::vector<CoinIsa> out = {CoinIsa::kPortable};
  for (CoinIsa isa : {CoinIsa::kAvx2, CoinIsa::kAvx512})
    if (fused_coin_isa(isa) == isa) out.push_back(isa);
  return out;
}

struct Case {
  const char* name;
  const Graph* g;
  ArcProbability probability;
};

}  // namespace

TEST_CASE("fused IC equals Boost.Graph BFS over each trial's live arcs", "[kernels]") {
  EdgeList list = random_edge_list(700, 3000, 11, true);
  const Graph weighted = build_csr(list);
  list.weights.clear();
  list.undirected = true;
  const Graph symmetric = build_csr(list);
  const Case cases[] = {{"directed p=0", &weighted, ArcProbability::uniform(0.0)},
                        {"directed p=0.1", &weighted, ArcProbability::uniform(0.1)},
                        {"symmetric p=0.15", &symmetric, ArcProbability::uniform(0.15)},
                        {"directed p=0.5", &weighted, ArcProbability::uniform(0.5)},
                        {"symmetric p=1", &symmetric, ArcProbability::uniform(1.0)},
                        {"arc weights", &weighted, ArcProbability::arc_weights()},
                        {"weighted cascade", &symmetric, ArcProbability::weighted_cascade()}};
  const std::vector<Vertex> seeds = {4, 650, 4, 123};  // a duplicate seed counts once
  const std::uint64_t first = 37, trials = 90;         // spans two 64-lane batches
  for (const Case& c : cases) {
    INFO(c.name);
    const LiveArcs coins(*c.g, c.probability, 2021);
    const FusedTrialResult r = run_ic_fused(*c.g, coins, seeds, first, trials, lanes_of(64));
    REQUIRE(r.spread.size() == trials);
    REQUIRE(r.per_step.size() == trials);
    std::uint64_t arcs = 0, max_spread = 0;
    for (std::uint64_t i = 0; i < trials; ++i) {
      const TrialCounts expected = boost_trial(*c.g, coins, seeds, first + i);
      INFO("trial " << first + i);
      REQUIRE(r.spread[i] == expected.spread);
      REQUIRE(r.per_step[i] == expected.per_step);
      arcs += expected.arcs_examined;
      max_spread = std::max(max_spread, expected.spread);
    }
    REQUIRE(r.arcs_examined == arcs);
    // Not a trivial check: the cascades reach beyond the seeds except at p = 0.
    if (c.probability.model != ProbabilityModel::kUniform || c.probability.p > 0)
      REQUIRE(max_spread > 8);
    else
      REQUIRE(r.coins_drawn == 0);
  }
}

TEST_CASE("fused IC equals run_ic and run_ic_trial trial by trial", "[kernels]") {
  EdgeList list = random_edge_list(3000, 15000, 23, true);
  const Graph weighted = build_csr(list);
  list.weights.clear();
  list.undirected = true;
  const Graph symmetric = build_csr(list);
  const Case cases[] = {{"symmetric p=0.02", &symmetric, ArcProbability::uniform(0.02)},
                        {"symmetric p=0.2", &symmetric, ArcProbability::uniform(0.2)},
                        {"directed p=0.5", &weighted, ArcProbability::uniform(0.5)},
                        {"arc weights", &weighted, ArcProbability::arc_weights()},
                        {"weighted cascade", &symmetric, ArcProbability::weighted_cascade()}};
  for (const Case& c : cases) {
    INFO(c.name);
    const std::vector<Vertex> seeds = top_degree_seeds(*c.g, 5);
    IcParams params;
    params.probability = c.probability;
    const std::uint64_t master = 77;
    const LiveArcs coins(*c.g, c.probability, master);
    const std::uint64_t first = 1000, trials = 300;
    const FusedTrialResult r = run_ic_fused(*c.g, coins, seeds, first, trials);
    TrialScratch scratch;
    TrialCounts counts;
    std::uint64_t arcs = 0;
    for (std::uint64_t i = 0; i < trials; ++i) {
      INFO("trial " << first + i);
      run_ic_trial(*c.g, coins, seeds, first + i, scratch, counts);
      REQUIRE(r.spread[i] == counts.spread);
      REQUIRE(r.per_step[i] == counts.per_step);
      arcs += counts.arcs_examined;
      if (i % 50 == 0) {  // the full parallel kernel too, on a sample
        const Cascade full = run_ic(*c.g, seeds, params, master, first + i);
        REQUIRE(r.spread[i] == full.spread());
        REQUIRE(r.per_step[i] == full.per_step);
      }
    }
    REQUIRE(r.arcs_examined == arcs);
  }
}

TEST_CASE("fused IC is identical for lane widths, SIMD or not, and 1, 2, 4 threads", "[kernels]") {
  const Graph g = build_csr(random_edge_list(4000, 12000, 5, false, true));
  const LiveArcs coins(g, ArcProbability::uniform(0.25), 9);
  const std::vector<Vertex> seeds = top_degree_seeds(g, 3);
  const std::uint64_t first = 5, trials = 1100;  // not a multiple of any lane width
  const FusedTrialResult reference =
      run_ic_fused(g, coins, seeds, first, trials, lanes_of(64, CoinIsa::kPortable));
  REQUIRE(std::accumulate(reference.spread.begin(), reference.spread.end(), 0ULL) > trials * 100);
  // Every coin loop is exercised where the CPU has it (x86-64 here: portable and AVX2 at least).
  WARN("coin loops tested: " << isas_here().size() << " (best: " << isa_name(fused_coin_isa())
                             << ")");
  for (unsigned lanes : kLaneWidths)
    for (CoinIsa isa : isas_here())
      for (std::size_t threads : {1, 2, 4}) {
        INFO("lanes " << lanes << " isa " << isa_name(isa) << " threads " << threads);
        REQUIRE(fused_coin_isa(isa) == isa);
        const FusedTrialResult r = with_threads(threads, [&] {
          return run_ic_fused(g, coins, seeds, first, trials, lanes_of(lanes, isa));
        });
        require_same(r, reference);
      }
  // The automatic width, with a reused scratch.
  FusedIcScratch scratch;
  for (std::size_t threads : {1, 2, 4})
    require_same(
        with_threads(threads,
                     [&] { return run_ic_fused(g, coins, seeds, first, trials, {}, &scratch); }),
        reference);
}

TEST_CASE("a trial's result does not depend on the batch it runs in", "[kernels]") {
  const Graph g = build_csr(random_edge_list(2000, 9000, 8, false, true));
  const LiveArcs coins(g, ArcProbability::uniform(0.2), 31);
  const std::vector<Vertex> seeds = {0, 1, 2};
  const FusedTrialResult batch = run_ic_fused(g, coins, seeds, 0, 200, lanes_of(128));
  FusedIcScratch scratch;
  for (std::uint64_t trial : {0ULL, 63ULL, 64ULL, 70ULL, 127ULL, 128ULL, 199ULL})
    for (unsigned lanes : kLaneWidths) {
      INFO("trial " << trial << " lanes " << lanes);
      const FusedTrialResult alone =
          run_ic_fused(g, coins, seeds, trial, 1, lanes_of(lanes), &scratch);
      REQUIRE(alone.first_trial == trial);
      REQUIRE(alone.spread == std::vector<std::uint64_t>{batch.spread[trial]});
      REQUIRE(alone.per_step.front() == batch.per_step[trial]);
    }
  // Overlapping windows agree on their common trials.
  const FusedTrialResult shifted = run_ic_fused(g, coins, seeds, 70, 130, lanes_of(64));
  for (std::uint64_t i = 0; i < 130; ++i) {
    REQUIRE(shifted.spread[i] == batch.spread[70 + i]);
    REQUIRE(shifted.per_step[i] == batch.per_step[70 + i]);
  }
}

TEST_CASE("fused IC with a seed set per trial equals run_ic_trial", "[kernels]") {
  const Graph g = build_csr(random_edge_list(1500, 6000, 13, true));
  const LiveArcs coins(g, ArcProbability::arc_weights(), 5);
  const TrialSeedsFn seeds_of = [&](std::uint64_t r) { return random_seeds(g, 4, 5, r); };
  const std::uint64_t first = 12, trials = 150;
  const FusedTrialResult reference = run_ic_fused(g, coins, seeds_of, first, trials, lanes_of(64));
  TrialScratch scratch;
  TrialCounts counts;
  for (std::uint64_t i = 0; i < trials; ++i) {
    const auto seeds = random_seeds(g, 4, 5, first + i);
    run_ic_trial(g, coins, seeds, first + i, scratch, counts);
    REQUIRE(reference.spread[i] == counts.spread);
    REQUIRE(reference.per_step[i] == counts.per_step);
  }
  for (unsigned lanes : kLaneWidths)
    for (std::size_t threads : {1, 4})
      require_same(
          with_threads(
              threads,
              [&] { return run_ic_fused(g, coins, seeds_of, first, trials, lanes_of(lanes)); }),
          reference);
}

TEST_CASE("fused IC matches closed-form expected spreads", "[kernels]") {
  // Star: centre 0 with 1000 leaves: spread = 1 + Binomial(1000, p).
  std::vector<Edge> star;
  for (Vertex v = 1; v <= 1000; ++v) star.push_back({0, v});
  // Path 0 -> 1 -> 2: E[spread] = 1 + p + p^2.
  const Graph star_graph = make_graph(1001, star);
  const Graph path = make_graph(3, {{0, 1}, {1, 2}});
  const double p = 0.1;
  const std::uint64_t trials = 4000;
  const std::vector<Vertex> centre = {0};
  struct Expect {
    const Graph* g;
    double mean, variance;
  };
  // Var(X1 + X1 X2) = p(1-p) + p^2(1-p^2) + 2 Cov = p(1-p) + p^2(1-p^2) + 2 p^2 (1-p).
  const double path_var = p * (1 - p) + p * p * (1 - p * p) + 2 * p * p * (1 - p);
  for (const Expect& e : {Expect{&star_graph, 1 + 1000 * p, 1000 * p * (1 - p)},
                          Expect{&path, 1 + p + p * p, path_var}}) {
    const LiveArcs coins(*e.g, ArcProbability::uniform(p), 123);
    const FusedTrialResult r = run_ic_fused(*e.g, coins, centre, 0, trials);
    const double mean =
        static_cast<double>(std::accumulate(r.spread.begin(), r.spread.end(), 0ULL)) / trials;
    const double se = std::sqrt(e.variance / trials);
    REQUIRE(std::abs(mean - e.mean) < 4.5 * se);  // fails with probability < 1e-5
  }
}

TEST_CASE("fused IC edge cases and errors", "[kernels]") {
  const Graph g = make_graph(5, {{0, 1}, {1, 2}, {3, 4}});
  const LiveArcs coins(g, ArcProbability::uniform(1.0), 1);
  const std::vector<Vertex> seeds = {0};

  const FusedTrialResult none = run_ic_fused(g, coins, seeds, 3, 0);
  REQUIRE(none.spread.empty());
  REQUIRE(none.per_step.empty());
  REQUIRE(none.arcs_examined == 0);

  const FusedTrialResult empty = run_ic_fused(g, coins, std::vector<Vertex>{}, 0, 70);
  REQUIRE(empty.spread == std::vector<std::uint64_t>(70, 0));
  REQUIRE(empty.per_step == std::vector<std::vector<std::uint64_t>>(70, {0}));

  const FusedTrialResult all = run_ic_fused(g, coins, seeds, 0, 3);
  REQUIRE(all.spread == std::vector<std::uint64_t>{3, 3, 3});
  REQUIRE(all.per_step[2] == std::vector<std::uint64_t>{1, 1, 1});
  REQUIRE(all.arcs_examined == 3 * 2);
  REQUIRE(all.coins_drawn == 0);  // p = 1 needs no coin

  const std::vector<Vertex> bad = {1, 5};
  REQUIRE_THROWS_AS(run_ic_fused(g, coins, bad, 0, 10), InvalidArgument);
  FusedIcScratch scratch;
  const TrialSeedsFn bad_later = [](std::uint64_t r) {
    return r == 100 ? std::vector<Vertex>{9} : std::vector<Vertex>{3};
  };
  REQUIRE_THROWS_AS(run_ic_fused(g, coins, bad_later, 0, 200, lanes_of(64), &scratch),
                    InvalidArgument);
  // The scratch is still good after a batch threw midway.
  const FusedTrialResult after = run_ic_fused(g, coins, seeds, 0, 3, lanes_of(64), &scratch);
  require_same(after, all);
  REQUIRE_THROWS_AS(run_ic_fused(g, coins, seeds, 0, 1, lanes_of(100)), InvalidArgument);
  REQUIRE_THROWS_AS(run_ic_fused(g, coins, TrialSeedsFn{}, 0, 1), InvalidArgument);

  // One scratch across graphs of different sizes.
  const Graph bigger = build_csr(random_edge_list(300, 900, 3, false));
  const LiveArcs bigger_coins(bigger, ArcProbability::uniform(0.3), 4);
  const FusedTrialResult fresh = run_ic_fused(bigger, bigger_coins, seeds, 0, 100);
  require_same(run_ic_fused(bigger, bigger_coins, seeds, 0, 100, {}, &scratch), fresh);
  require_same(run_ic_fused(g, coins, seeds, 0, 3, {}, &scratch), all);
}

TEST_CASE("the fused runner gives the same Monte Carlo estimate as estimate_spread", "[kernels]") {
  const Graph g = build_csr(random_edge_list(3000, 12000, 41, false, true));
  for (const SeedSpec& seeds : {SeedSpec::top_degree(3), SeedSpec::random(2)})
    for (double target : {0.0, 40.0}) {
      INFO("random seeds " << (seeds.kind == SeedSpec::Kind::kRandom) << " target " << target);
      McOptions options;
      options.model = Model::kIc;
      options.ic.probability = ArcProbability::uniform(0.15);
      options.master_seed = 8;
      options.seeds = seeds;
      options.trials = 700;
      options.first_trial = 3;
      options.batch_trials = 150;
      options.target_ci_half_width = target;
      options.engine = McEngine::kTrial;  // the reference: one trial at a time
      const Estimate expected = estimate_spread(g, options);
      REQUIRE(expected.engine == McEngine::kTrial);
      const LiveArcs coins(g, options.ic.probability, options.master_seed);
      const TrialRunner runner =
          seeds.kind == SeedSpec::Kind::kRandom
              ? fused_ic_runner(g, coins, [&](std::uint64_t r) { return random_seeds(g, 2, 8, r); })
              : fused_ic_runner(g, coins, top_degree_seeds(g, 3));
      const Estimate e = estimate_with(options, runner);
      REQUIRE(e.trials == expected.trials);
      REQUIRE(e.spreads == expected.spreads);
      REQUIRE(e.mean == expected.mean);
      REQUIRE(e.stddev == expected.stddev);
      REQUIRE(e.quantiles == expected.quantiles);
      REQUIRE(e.curve == expected.curve);
      REQUIRE(e.arcs_examined == expected.arcs_examined);
      REQUIRE(e.stopped_early == expected.stopped_early);
      if (target > 0) REQUIRE(e.stopped_early);  // the early stop is exercised
    }
}
