// Linear threshold kernel: against a naive step-by-step simulation, the exact expected spread of
// the equivalent triggering model (Kempe, Kleinberg & Tardos), and across thread counts.
#include <cmath>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/lt.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/seeds.hpp"
#include "catch.hpp"
#include "kernel_oracles.hpp"

using namespace cascade;
using namespace cascade::testing;

namespace {

void require_same(const Cascade& a, const Cascade& b) {
  REQUIRE(a.order == b.order);
  REQUIRE(a.step == b.step);
  REQUIRE(a.recruiter == b.recruiter);
  REQUIRE(a.per_step == b.per_step);
  REQUIRE(a.arcs_examined == b.arcs_examined);
}

// Straight from the definition: at each step every inactive vertex sums the influence of its
// in-neighbours active so far and compares with its threshold. O(steps * m).
Cascade naive_lt(const Graph& g, const LtModel& model, std::vector<Vertex> seeds,
                 std::uint64_t trial) {
  const Graph& in = g.transpose();
  std::vector<std::uint32_t> step(g.num_vertices(), kUnreached);
  for (Vertex s : seeds) step[s] = 0;
  auto influence = [&](Vertex v, std::size_t k) {
    return model.influence(v, in.has_weights() ? in.out_weights(v)[k] : 0.0f);
  };
  for (std::uint32_t t = 0;; ++t) {
    std::vector<Vertex> tipped;
    for (Vertex v = 0; v < g.num_vertices(); ++v) {
      if (step[v] != kUnreached) continue;
      std::uint64_t sum = 0;
      const auto sources = in.out_neighbors(v);
      for (std::size_t k = 0; k < sources.size(); ++k)
        if (step[sources[k]] <= t) sum += influence(v, k);
      if (sum >= model.threshold(trial, v)) tipped.push_back(v);
    }
    if (tipped.empty()) break;
    for (Vertex v : tipped) step[v] = t + 1;
  }
  return cascade_from_steps(g, step, [&](Vertex u, Vertex v) {
    if (step[u] == kUnreached || step[u] + 1 != step[v]) return false;
    const auto sources = in.out_neighbors(v);
    const auto k = static_cast<std::size_t>(std::lower_bound(sources.begin(), sources.end(), u) -
                                            sources.begin());
    return influence(v, k) > 0;
  });
}

// The triggering model equivalent to LT: every vertex independently keeps one in-arc, u->v with
// probability b(u,v), or none. Uses the model's fixed-point influences (units of 2^-53).
std::vector<Choice> triggering_choices(const Graph& g, const LtModel& model) {
  const Graph& in = g.transpose();
  std::vector<Choice> choices;
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    const auto sources = in.out_neighbors(v);
    if (sources.empty()) continue;
    Choice c;
    double rest = 1.0;
    for (std::size_t k = 0; k < sources.size(); ++k) {
      const double b =
          static_cast<double>(model.influence(v, in.has_weights() ? in.out_weights(v)[k] : 0.0f)) /
          static_cast<double>(LtModel::kOne);
      c.probability.push_back(b);
      c.arcs.push_back({{sources[k], v}});
      rest -= b;
    }
    c.probability.push_back(std::max(0.0, rest));
    c.arcs.push_back({});
    choices.push_back(c);
  }
  return choices;
}

}  // namespace

TEST_CASE("LT influences are normalised per vertex, thresholds uniform", "[kernels]") {
  const Graph g = build_csr(random_edge_list(400, 3000, 4, true));
  const Graph& in = g.transpose();
  for (bool use_weights : {false, true}) {
    const LtModel model(g, {use_weights}, 7);
    for (Vertex v = 0; v < g.num_vertices(); ++v) {
      const auto sources = in.out_neighbors(v);
      if (sources.empty()) continue;
      double weight_sum = 0.0;
      std::uint64_t total = 0;
      for (std::size_t k = 0; k < sources.size(); ++k) {
        weight_sum += in.out_weights(v)[k];
        total += model.influence(v, in.out_weights(v)[k]);
      }
      const double expected = use_weights ? weight_sum / std::max(1.0, weight_sum) : 1.0;
      REQUIRE(std::abs(static_cast<double>(total) / static_cast<double>(LtModel::kOne) - expected) <
              1e-12);
    }
  }
  const LtModel model(g, {false}, 7);
  double sum = 0.0;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    const std::uint64_t theta =
        model.threshold(static_cast<std::uint64_t>(i) / 100, static_cast<Vertex>(i % 100));
    REQUIRE(theta >= 1);
    REQUIRE(theta <= LtModel::kOne);
    sum += static_cast<double>(theta) / static_cast<double>(LtModel::kOne);
  }
  // U(0,1]: mean 1/2, standard error sqrt(1/12 / draws).
  REQUIRE(std::abs(sum / draws - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / draws));
}

TEST_CASE("LT equals a naive step-by-step simulation", "[kernels]") {
  EdgeList list = random_edge_list(1500, 6000, 12, true);
  const Graph weighted = build_csr(list);
  list.weights.clear();
  list.undirected = true;
  const Graph symmetric = build_csr(list);
  for (const Graph* g : {&weighted, &symmetric}) {
    for (bool use_weights : {false, true}) {
      if (use_weights && !g->has_weights()) continue;
      const LtModel model(*g, {use_weights}, 31);
      const auto seeds = top_degree_seeds(*g, 40);
      for (std::uint64_t trial : {0ULL, 5ULL}) {
        const Cascade expected = naive_lt(*g, model, seeds, trial);
        REQUIRE(expected.num_steps() >= 2);  // something beyond the seeds happened
        for (std::size_t threads : {1, 2, 4}) {
          INFO("weights " << use_weights << " trial " << trial << " threads " << threads);
          require_same(
              with_threads(threads, [&] { return run_lt(*g, seeds, {use_weights}, 31, trial); }),
              expected);
        }
      }
    }
  }
}

TEST_CASE("LT on a path activates everything, one step each", "[kernels]") {
  // Each vertex has one in-neighbour of influence 1 >= theta: certain activation.
  const Graph path = make_graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  const Cascade c = run_lt(path, std::vector<Vertex>{0}, {false}, 1, 9);
  REQUIRE(c.order == std::vector<Vertex>{0, 1, 2, 3, 4});
  REQUIRE(c.step == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
  REQUIRE(c.recruiter == std::vector<Vertex>{kNoVertex, 0, 1, 2, 3});
  REQUIRE(c.per_step == std::vector<std::uint64_t>{1, 1, 1, 1, 1});
}

TEST_CASE("LT expected spread matches the exact triggering-model value", "[kernels]") {
  // Two small graphs: unweighted 1/in-degree, and weighted (some in-weight sums above 1).
  const Graph plain = build_csr(random_edge_list(10, 24, 3, false));
  EdgeList heavy = random_edge_list(9, 17, 8, true);
  for (float& w : heavy.weights) w = 0.2f + 0.6f * w;
  const Graph weighted = build_csr(heavy);
  for (const Graph* g : {&plain, &weighted}) {
    const bool use_weights = g->has_weights();
    const LtModel model(*g, {use_weights}, 0);
    const auto choices = triggering_choices(*g, model);
    for (bool random_seed : {false, true}) {
      const double exact = exact_spread(g->num_vertices(), choices,
                                        random_seed ? every_single_seed(g->num_vertices())
                                                    : std::vector<std::vector<Vertex>>{{0, 1}});
      REQUIRE(exact < static_cast<double>(g->num_vertices()) - 0.5);  // a random outcome
      McOptions o;
      o.model = Model::kLt;
      o.master_seed = 2024;
      o.lt = {use_weights};
      o.seeds = random_seed ? SeedSpec::random(1) : SeedSpec::list({0, 1});
      o.trials = 40000;
      const Estimate e = estimate_spread(*g, o);
      INFO("weights " << use_weights << " random seed " << random_seed << " exact " << exact
                      << " mean " << e.mean << " se " << e.standard_error);
      REQUIRE(e.standard_error > 0.0);
      REQUIRE(std::abs(e.mean - exact) < 4.0 * e.standard_error);
    }
  }
}

TEST_CASE("run_lt_trial counts equal run_lt", "[kernels]") {
  const Graph g = build_csr(generate_erdos_renyi(3000, 9000, 6));
  const LtModel model(g, {false}, 3);
  TrialScratch scratch;
  TrialCounts counts;
  LtScratch lt_scratch;
  Cascade c;
  for (std::uint64_t trial = 0; trial < 30; ++trial) {
    const auto seeds = random_seeds(g, 30, 3, trial);
    run_lt_trial(g, model, seeds, trial, scratch, counts);
    run_lt(g, model, seeds, trial, lt_scratch, c);
    REQUIRE(counts.spread == c.spread());
    REQUIRE(counts.per_step == c.per_step);
    REQUIRE(counts.arcs_examined == c.arcs_examined);
  }
}

TEST_CASE("LT rejects bad input", "[kernels]") {
  const Graph g = build_csr(random_edge_list(10, 30, 1, false));
  REQUIRE_THROWS_AS(LtModel(g, {true}, 0), InvalidArgument);  // no weights to use
  REQUIRE_THROWS_AS(run_lt(g, std::vector<Vertex>{10}, {false}, 0, 0), InvalidArgument);
  const Graph other = build_csr(random_edge_list(11, 30, 1, false));
  const LtModel model(other, {false}, 0);
  LtScratch scratch;
  Cascade out;
  REQUIRE_THROWS_AS(run_lt(g, model, std::vector<Vertex>{0}, 0, scratch, out), InvalidArgument);
}
