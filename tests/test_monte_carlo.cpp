// Monte Carlo estimator: exact expected spreads by enumerating live-edge worlds, CI coverage,
// percolation theory on large Erdos-Renyi graphs, bit-identical estimates for any thread
// count, parallel mode and engine (fused, one-trial, timed against the Dijkstra oracle), and the
// progress hook.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/parallel.hpp"
#include "cascade/seeds.hpp"
#include "cascade/timed.hpp"
#include "catch.hpp"
#include "kernel_oracles.hpp"

using namespace cascade;
using namespace cascade::testing;

namespace {

// IC live-edge worlds: each arc independently live with its exact coin probability.
std::vector<Choice> ic_choices(const Graph& g, const LiveArcs& coins) {
  std::vector<Choice> choices;
  for (Vertex u = 0; u < g.num_vertices(); ++u) {
    const auto targets = g.out_neighbors(u);
    for (std::size_t k = 0; k < targets.size(); ++k) {
      const float w = g.has_weights() ? g.out_weights(u)[k] : 0.0f;
      const double p = static_cast<double>(coins.threshold(targets[k], w)) * 0x1p-53;
      choices.push_back({{1.0 - p, p}, {{}, {{u, targets[k]}}}});
    }
  }
  return choices;
}

McOptions ic_options(ArcProbability probability, SeedSpec seeds, std::uint64_t trials,
                     std::uint64_t master) {
  McOptions o;
  o.model = Model::kIc;
  o.ic.probability = probability;
  o.master_seed = master;
  o.seeds = std::move(seeds);
  o.trials = trials;
  return o;
}

// n vertices, exactly m distinct random arcs (no loops), weights uniform in [0, 1].
Graph random_small_graph(Vertex n, std::size_t m, unsigned seed) {
  std::mt19937 gen(seed);
  std::set<std::pair<Vertex, Vertex>> arcs;
  while (arcs.size() < m) {
    const Vertex u = gen() % n, v = gen() % n;
    if (u != v) arcs.insert({u, v});
  }
  std::vector<Edge> edges;
  std::vector<float> weights;
  for (auto [u, v] : arcs) {
    edges.push_back({u, v});
    weights.push_back(std::uniform_real_distribution<float>(0.0f, 1.0f)(gen));
  }
  return make_graph(n, edges, weights);
}

Graph path_graph(Vertex n) {
  std::vector<Edge> edges;
  for (Vertex v = 0; v + 1 < n; ++v) edges.push_back({v, v + 1});
  return make_graph(n, edges, {}, true);
}

void require_same(const Estimate& a, const Estimate& b) {
  REQUIRE(a.trials == b.trials);
  REQUIRE(a.spreads == b.spreads);
  REQUIRE(a.mean == b.mean);
  REQUIRE(a.stddev == b.stddev);
  REQUIRE(a.ci95.lo == b.ci95.lo);
  REQUIRE(a.ci95.hi == b.ci95.hi);
  REQUIRE(a.quantiles == b.quantiles);
  REQUIRE(a.curve == b.curve);
  REQUIRE(a.arcs_examined == b.arcs_examined);
  REQUIRE(a.stopped_early == b.stopped_early);
}

}  // namespace

TEST_CASE("Exact enumeration agrees with closed forms (oracle check)", "[kernels]") {
  const double p = 0.6;
  const Graph path = path_graph(6);
  const LiveArcs coins(path, ArcProbability::uniform(p), 1);
  const double q = static_cast<double>(rng::threshold(p)) * 0x1p-53;
  REQUIRE(exact_spread(6, ic_choices(path, coins), {{0}}) ==
          Approx(1 + q + q * q + q * q * q + q * q * q * q + q * q * q * q * q).epsilon(1e-12));
}

TEST_CASE("IC Monte Carlo matches exact expected spreads on small graphs", "[kernels]") {
  std::vector<Edge> star, cycle;
  for (Vertex v = 1; v <= 8; ++v) star.push_back({0, v});
  for (Vertex v = 0; v < 8; ++v) cycle.push_back({v, (v + 1) % 8});
  const Graph star_graph = make_graph(9, star, {}, true);    // 16 arcs
  const Graph cycle_graph = make_graph(8, cycle, {}, true);  // 16 arcs
  const Graph directed_cycle = make_graph(8, cycle);
  const Graph random12 = random_small_graph(12, 20, 42);  // 2^20 worlds
  struct Case {
    const char* name;
    const Graph* g;
    ArcProbability probability;
    SeedSpec seeds;
  };
  const Graph path = path_graph(7);
  const Case cases[] = {
      {"path", &path, ArcProbability::uniform(0.7), SeedSpec::list({0})},
      {"path random seed", &path, ArcProbability::uniform(0.5), SeedSpec::random(1)},
      {"star leaf", &star_graph, ArcProbability::uniform(0.5), SeedSpec::list({1})},
      {"star random seed", &star_graph, ArcProbability::uniform(0.3), SeedSpec::random(1)},
      {"cycle", &cycle_graph, ArcProbability::uniform(0.4), SeedSpec::random(1)},
      {"directed cycle", &directed_cycle, ArcProbability::uniform(0.8), SeedSpec::list({2})},
      {"random12 uniform", &random12, ArcProbability::uniform(0.35), SeedSpec::random(1)},
      {"random12 weights", &random12, ArcProbability::arc_weights(), SeedSpec::list({0, 5})},
      {"random12 weights random", &random12, ArcProbability::arc_weights(), SeedSpec::random(1)},
      {"random12 weighted cascade", &random12, ArcProbability::weighted_cascade(),
       SeedSpec::random(1)},
  };
  for (const Case& c : cases) {
    const LiveArcs coins(*c.g, c.probability, 0);
    const auto seed_sets = c.seeds.kind == SeedSpec::Kind::kRandom
                               ? every_single_seed(c.g->num_vertices())
                               : std::vector<std::vector<Vertex>>{c.seeds.ids};
    const double exact = exact_spread(c.g->num_vertices(), ic_choices(*c.g, coins), seed_sets);
    const Estimate e = estimate_spread(*c.g, ic_options(c.probability, c.seeds, 20000, 314));
    INFO(c.name << ": exact " << exact << " mean " << e.mean << " se " << e.standard_error);
    REQUIRE(e.trials == 20000);
    REQUIRE(e.standard_error > 0.0);
    REQUIRE(std::abs(e.mean - exact) < 4.0 * e.standard_error);
  }
}

TEST_CASE("The 95% CI covers the exact spread in about 95% of estimates", "[kernels]") {
  const Graph g = random_small_graph(12, 20, 7);
  const auto probability = ArcProbability::uniform(0.35);
  const double exact = exact_spread(12, ic_choices(g, LiveArcs(g, probability, 0)), {{0}});
  int covered = 0;
  const int estimates = 200;
  for (int r = 0; r < estimates; ++r) {
    const Estimate e = estimate_spread(
        g, ic_options(probability, SeedSpec::list({0}), 400, 1000 + static_cast<std::uint64_t>(r)));
    if (e.ci95.lo <= exact && exact <= e.ci95.hi) ++covered;
  }
  INFO("covered " << covered << " of " << estimates);
  REQUIRE(covered >= 0.88 * estimates);
  REQUIRE(covered <= 0.99 * estimates);  // an interval far too wide would cover always
}

TEST_CASE("Percolation on Erdos-Renyi graphs (n = 2^18, mean degree 4)", "[kernels]") {
  const std::uint64_t n = 1 << 18;
  const double c = 4.0;
  const Graph g = build_csr(generate_erdos_renyi(n, n * 2, 7));  // m = c n / 2 edges
  REQUIRE(g.num_arcs() == 4 * n);

  SECTION("supercritical: large cascades reach the fraction S = 1 - exp(-c p S)") {
    const double p = 0.5;  // c p = 2
    double s = 1.0;
    for (int i = 0; i < 200; ++i) s = 1.0 - std::exp(-c * p * s);  // S ~ 0.797
    const Estimate e =
        estimate_spread(g, ic_options(ArcProbability::uniform(p), SeedSpec::random(1), 80, 5));
    std::uint64_t large = 0;
    double fraction = 0.0;
    for (std::uint64_t x : e.spreads) {
      if (x > n / 50) {
        ++large;
        fraction += static_cast<double>(x) / static_cast<double>(n);
      } else {
        REQUIRE(x < 1000);  // the other cascades die out early: nothing in between
      }
    }
    fraction /= static_cast<double>(large);
    const double t = static_cast<double>(e.trials);
    INFO("S " << s << " large " << large << " of " << e.trials << " fraction " << fraction);
    // P(large) = S too (the in- and out-components have the same law here).
    REQUIRE(std::abs(static_cast<double>(large) / t - s) < 4.0 * std::sqrt(s * (1 - s) / t));
    REQUIRE(std::abs(fraction - s) < 0.01);
  }

  SECTION("subcritical: mean cascade 1 / (1 - c p) of the branching process") {
    const double p = 0.15;  // c p = 0.6
    const Estimate e =
        estimate_spread(g, ic_options(ArcProbability::uniform(p), SeedSpec::random(1), 20000, 6));
    INFO("mean " << e.mean << " se " << e.standard_error);
    REQUIRE(std::abs(e.mean - 1.0 / (1.0 - c * p)) < 4.0 * e.standard_error + 0.03);
    REQUIRE(e.quantiles.back().second < 20);  // 95% of cascades stay small
  }
}

TEST_CASE("Estimates are identical for 1, 2, 4 threads and both parallel modes", "[kernels]") {
  const Graph g = build_csr(generate_erdos_renyi(1 << 14, 3 << 14, 3));  // mean degree 6
  for (Model model : {Model::kIc, Model::kLt}) {
    McOptions o = ic_options(ArcProbability::uniform(0.25), SeedSpec::random(2), 48, 17);
    o.model = model;
    o.master_seed = 17;
    if (model == Model::kLt) o.seeds = SeedSpec::random(200);
    const Estimate reference = with_threads(1, [&] {
      McOptions one = o;
      one.parallelism = McParallelism::kOverTrials;
      return estimate_spread(g, one);
    });
    REQUIRE(reference.quantiles.back().second > 1000);  // big cascades: a real test of the kernels
    for (std::size_t threads : {1, 2, 4})
      for (McParallelism mode :
           {McParallelism::kOverTrials, McParallelism::kInsideTrial, McParallelism::kAuto}) {
        INFO("model " << static_cast<int>(model) << " threads " << threads << " mode "
                      << static_cast<int>(mode));
        McOptions m = o;
        m.parallelism = mode;
        const Estimate e = with_threads(threads, [&] { return estimate_spread(g, m); });
        require_same(e, reference);
        REQUIRE(e.parallelism != McParallelism::kAuto);
      }
  }
}

TEST_CASE("kAuto runs large IC cascades inside a trial and small ones over trials", "[kernels]") {
  const Graph g = build_csr(generate_erdos_renyi(4000, 16000, 3));
  auto mode_for = [&](double p) {
    McOptions o = ic_options(ArcProbability::uniform(p), SeedSpec::random(1), 64, 5);
    return with_threads(2, [&] { return estimate_spread(g, o); });
  };
  // p = 1: the giant component (mean degree 8) -- thousands of arcs per trial, >= n/4.
  const Estimate big = mode_for(1.0);  // (8 probe trials, then the rest)
  REQUIRE(big.parallelism == McParallelism::kInsideTrial);
  // p = 0.01: subcritical, a handful of arcs per trial.
  const Estimate small = mode_for(0.01);
  REQUIRE(small.parallelism == McParallelism::kOverTrials);
  // Fewer trials than 2 per thread: inside, whatever the cascade.
  McOptions few = ic_options(ArcProbability::uniform(0.01), SeedSpec::random(1), 3, 5);
  REQUIRE(with_threads(2, [&] { return estimate_spread(g, few); }).parallelism ==
          McParallelism::kInsideTrial);
}

TEST_CASE("Early stopping is deterministic and meets the target", "[kernels]") {
  const Graph g = build_csr(generate_erdos_renyi(2000, 4000, 9));
  McOptions o = ic_options(ArcProbability::uniform(0.3), SeedSpec::random(1), 100000, 4);
  o.trials = 1000;  // pilot: a target that needs about 3000 trials
  const double sd = estimate_spread(g, o).stddev;
  o.trials = 100000;
  o.target_ci_half_width = 1.959963984540054 * sd / std::sqrt(3000.0);
  o.batch_trials = 500;
  const Estimate one = with_threads(1, [&] { return estimate_spread(g, o); });
  REQUIRE(one.stopped_early);
  REQUIRE(one.trials % 500 == 0);
  REQUIRE(one.trials < 100000);
  REQUIRE(1.959963984540054 * one.standard_error <= o.target_ci_half_width);
  for (std::size_t threads : {2, 4}) {
    const Estimate e = with_threads(threads, [&] { return estimate_spread(g, o); });
    require_same(e, one);
  }
  // The same trials without a target give the same numbers.
  McOptions fixed = o;
  fixed.target_ci_half_width = 0.0;
  fixed.trials = one.trials;
  Estimate plain = estimate_spread(g, fixed);
  REQUIRE_FALSE(plain.stopped_early);
  plain.stopped_early = true;
  require_same(plain, one);
  // An unreachable target runs every trial.
  o.trials = 1200;
  o.target_ci_half_width = 1e-9;
  const Estimate all = estimate_spread(g, o);
  REQUIRE(all.trials == 1200);
  REQUIRE_FALSE(all.stopped_early);
}

TEST_CASE("Summary statistics, quantiles and curve follow from the spreads", "[kernels]") {
  const Graph g = build_csr(generate_erdos_renyi(3000, 6000, 11));
  McOptions o = ic_options(ArcProbability::uniform(0.3), SeedSpec::top_degree(3), 999, 2);
  o.quantiles = {0.0, 0.1, 0.5, 0.9, 1.0};
  const Estimate e = estimate_spread(g, o);
  REQUIRE(e.spreads.size() == 999);
  const double mean = std::accumulate(e.spreads.begin(), e.spreads.end(), 0.0) / 999.0;
  double m2 = 0.0;
  for (auto x : e.spreads) m2 += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
  REQUIRE(e.mean == Approx(mean).epsilon(1e-12));
  REQUIRE(e.stddev == Approx(std::sqrt(m2 / 998.0)).epsilon(1e-9));
  REQUIRE(e.standard_error == Approx(e.stddev / std::sqrt(999.0)).epsilon(1e-12));
  REQUIRE(e.ci95.hi - e.ci95.lo == Approx(2 * 1.96 * e.standard_error).epsilon(1e-3));
  auto sorted = e.spreads;
  std::sort(sorted.begin(), sorted.end());
  REQUIRE(e.quantiles.size() == 5);
  REQUIRE(e.quantiles[0].second == static_cast<double>(sorted.front()));
  REQUIRE(e.quantiles[2].second == static_cast<double>(sorted[499]));  // (999 - 1) / 2 exactly
  REQUIRE(e.quantiles[1].second ==
          Approx(sorted[99] + 0.8 * (static_cast<double>(sorted[100]) - sorted[99])));  // h = 99.8
  REQUIRE(e.quantiles[4].second == static_cast<double>(sorted.back()));
  REQUIRE(e.curve.front() == 3.0);  // three seeds in every trial
  REQUIRE(e.curve.back() == Approx(e.mean).epsilon(1e-12));
  REQUIRE(std::is_sorted(e.curve.begin(), e.curve.end()));
  REQUIRE(e.arcs_examined > 0);
  REQUIRE(e.seconds_per_trial_median > 0.0);
}

TEST_CASE("estimate_with drives any trial engine in fixed batches", "[kernels]") {
  McOptions o;
  o.trials = 1000;
  o.first_trial = 5;
  o.batch_trials = 300;
  o.target_ci_half_width = 1e-6;  // never met: batches of 300, 300, 300, 100
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  const Estimate e = estimate_with(o, [&](std::uint64_t first, std::uint64_t count, TrialBlock& b) {
    calls.emplace_back(first, count);
    for (std::uint64_t r = first; r < first + count; ++r) b.spreads.push_back(r % 10);
    b.per_step_sum = {count};
  });
  REQUIRE(calls == std::vector<std::pair<std::uint64_t, std::uint64_t>>{
                       {5, 300}, {305, 300}, {605, 300}, {905, 100}});
  REQUIRE(e.mean == 4.5);
  REQUIRE(e.curve == std::vector<double>{1.0});
  REQUIRE_THROWS_AS(estimate_with(o,
                                  [](std::uint64_t, std::uint64_t, TrialBlock& b) {
                                    b.spreads.push_back(1);  // wrong count
                                  }),
                    InvalidArgument);
}

TEST_CASE("Monte Carlo rejects bad options", "[kernels]") {
  const Graph g = build_csr(random_edge_list(10, 30, 1, false));
  auto bad = [&](auto edit) {
    McOptions o = ic_options(ArcProbability::uniform(0.5), SeedSpec::random(1), 10, 1);
    edit(o);
    REQUIRE_THROWS_AS(estimate_spread(g, o), InvalidArgument);
  };
  bad([](McOptions& o) { o.trials = 0; });
  bad([](McOptions& o) { o.quantiles = {1.5}; });
  bad([](McOptions& o) { o.target_ci_half_width = -1.0; });
  bad([](McOptions& o) { o.batch_trials = 0; });
  bad([](McOptions& o) { o.seeds = SeedSpec::list({}); });
  bad([](McOptions& o) { o.seeds = SeedSpec::list({10}); });
  bad([](McOptions& o) { o.seeds = SeedSpec::random(11); });
  bad([](McOptions& o) { o.seeds = SeedSpec::top_degree(0); });
  bad([](McOptions& o) { o.ic.probability = ArcProbability::uniform(-0.1); });
  bad([](McOptions& o) {
    o.model = Model::kLt;
    o.lt.use_weights = true;  // unweighted graph
  });
}

TEST_CASE("estimate_spread: fused, one-trial and auto engines give the same estimate",
          "[kernels]") {
  const Graph g = build_csr(generate_erdos_renyi(3000, 9000, 13));
  for (const SeedSpec& seeds : {SeedSpec::random(2), SeedSpec::top_degree(4)})
    for (double target : {0.0, 30.0}) {
      INFO("random " << (seeds.kind == SeedSpec::Kind::kRandom) << " target " << target);
      McOptions o = ic_options(ArcProbability::uniform(0.12), seeds, 600, 21);
      o.first_trial = 9;
      o.batch_trials = 130;
      o.target_ci_half_width = target;
      o.engine = McEngine::kTrial;
      o.parallelism = McParallelism::kOverTrials;
      const Estimate trial = estimate_spread(g, o);
      REQUIRE(trial.engine == McEngine::kTrial);
      for (McEngine engine : {McEngine::kFused, McEngine::kAuto})
        for (unsigned lanes : {0u, 64u, 512u}) {
          McOptions f = o;
          f.engine = engine;
          f.fused_lanes = lanes;
          f.parallelism = McParallelism::kAuto;
          const Estimate e = with_threads(2, [&] { return estimate_spread(g, f); });
          REQUIRE(e.engine == McEngine::kFused);  // auto: IC with >= 128 trials
          require_same(e, trial);
        }
    }
  // The documented choice.
  McOptions o = ic_options(ArcProbability::uniform(0.1), SeedSpec::random(1), 128, 1);
  REQUIRE(resolve_engine(o) == McEngine::kFused);
  o.trials = 127;
  REQUIRE(resolve_engine(o) == McEngine::kTrial);
  o.trials = 1000;
  o.parallelism = McParallelism::kInsideTrial;
  REQUIRE(resolve_engine(o) == McEngine::kTrial);
  o.parallelism = McParallelism::kAuto;
  o.model = Model::kLt;
  REQUIRE(resolve_engine(o) == McEngine::kTrial);
  o.engine = McEngine::kFused;
  REQUIRE_THROWS_AS(resolve_engine(o), InvalidArgument);
  REQUIRE_THROWS_AS(estimate_spread(g, o), InvalidArgument);
  o.model = Model::kTimed;
  REQUIRE_THROWS_AS(estimate_spread(g, o), InvalidArgument);
}

TEST_CASE("estimate_spread: a progress hook changes no result and can abort", "[kernels]") {
  const Graph g = build_csr(generate_erdos_renyi(2000, 6000, 5));
  for (McEngine engine : {McEngine::kFused, McEngine::kTrial}) {
    INFO("engine " << static_cast<int>(engine));
    McOptions o = ic_options(ArcProbability::uniform(0.2), SeedSpec::random(1), 1000, 3);
    o.engine = engine;
    const Estimate plain = estimate_spread(g, o);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
    o.progress = [&](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); };
    o.progress_trials = 70;  // 15 blocks: 14 of 70 and one of 20
    require_same(estimate_spread(g, o), plain);
    REQUIRE(calls.size() == 15);
    for (std::size_t i = 0; i < calls.size(); ++i) {
      REQUIRE(calls[i].second == 1000);
      REQUIRE(calls[i].first == std::min<std::uint64_t>(1000, 70 * (i + 1)));
    }
    // A hook that throws (Python's KeyboardInterrupt) ends the estimate after that block.
    struct Interrupted {};
    std::uint64_t seen = 0;
    o.progress = [&](std::uint64_t done, std::uint64_t) {
      seen = done;
      if (done >= 140) throw Interrupted{};
    };
    REQUIRE_THROWS_AS(estimate_spread(g, o), Interrupted);
    REQUIRE(seen == 140);
  }
}

TEST_CASE("estimate_spread: a short fused run reports progress in whole passes", "[kernels]") {
  // Under ~512 trials per thread the default block used to be the whole run (a CLI bar that
  // jumped from 0 to 100%): now up to 8 reports, in blocks of at least a 128-lane batch per
  // thread (smaller blocks left threads idle).
  const Graph g = build_csr(generate_erdos_renyi(2000, 6000, 5));
  const std::uint64_t pass = 128 * std::max<std::size_t>(1, max_threads());
  for (std::uint64_t trials : {4000u, 1000u, 300u}) {
    INFO(trials << " trials");
    McOptions o = ic_options(ArcProbability::uniform(0.2), SeedSpec::random(1), trials, 3);
    o.engine = McEngine::kFused;
    const Estimate plain = estimate_spread(g, o);
    std::vector<double> fractions;
    o.progress = [&](std::uint64_t done, std::uint64_t total) {
      fractions.push_back(static_cast<double>(done) / static_cast<double>(total));
    };
    require_same(estimate_spread(g, o), plain);
    CHECK(fractions.size() >= std::min<std::uint64_t>(8, trials / pass));
    CHECK(fractions.size() <= std::max<std::uint64_t>(8, trials / 50 + 1));
    CHECK(std::is_sorted(fractions.begin(), fractions.end()));
    REQUIRE_FALSE(fractions.empty());
    CHECK(fractions.back() == 1.0);
  }
}

TEST_CASE("estimate_spread: the timed model equals timed_cascade trial by trial", "[kernels]") {
  const Graph g = build_csr(generate_erdos_renyi(1500, 4500, 8));
  McOptions o = ic_options(ArcProbability::uniform(0.3), SeedSpec::random(2), 40, 6);
  o.model = Model::kTimed;
  o.first_trial = 4;
  o.timed.delay = {DelayDistribution::kLogNormal, 2.0, 0.8};
  o.timed.horizon_hours = 30.0;
  o.curve_step_hours = 2.5;
  const Estimate e = estimate_spread(g, o);
  REQUIRE(e.parallelism == McParallelism::kInsideTrial);
  // Oracle: the sequential Dijkstra kernel per trial, binned here.
  const LiveArcs live(g, o.ic.probability, o.master_seed);
  std::vector<std::uint64_t> spreads, bins;
  std::uint64_t arcs = 0;
  for (std::uint64_t r = 4; r < 44; ++r) {
    const TimedCascade c = timed_cascade_dijkstra(g, live, random_seeds(g, 2, 6, r), r, o.timed);
    spreads.push_back(c.reached);
    for (Vertex v = 0; v < g.num_vertices(); ++v) {
      if (!std::isfinite(c.time[v])) continue;
      REQUIRE(c.time[v] <= 30.0f);
      const auto bin = static_cast<std::size_t>(std::ceil(c.time[v] / 2.5));
      if (bins.size() <= bin) bins.resize(bin + 1, 0);
      ++bins[bin];
      if (c.joined[v]) arcs += g.out_degree(v);
    }
  }
  REQUIRE(e.spreads == spreads);
  REQUIRE(e.arcs_examined == arcs);
  REQUIRE(e.curve.size() == bins.size());
  std::uint64_t cumulative = 0;
  for (std::size_t s = 0; s < bins.size(); ++s) {
    cumulative += bins[s];
    REQUIRE(e.curve[s] == static_cast<double>(cumulative) / 40.0);
  }
  REQUIRE(e.mean > 2.5);  // the cascades spread beyond the seeds
  // Same for 1 and 3 threads.
  require_same(with_threads(1, [&] { return estimate_spread(g, o); }), e);
  require_same(with_threads(3, [&] { return estimate_spread(g, o); }), e);
  o.curve_step_hours = 0.0;
  REQUIRE_THROWS_AS(estimate_spread(g, o), InvalidArgument);
}
