// Incentive-aware seeding (cascade/seed_choice.hpp) on tiny scenarios, against oracles computed
// here from the same evaluator: the plain greedy by enumeration of every candidate in every
// round, the exhaustive best k-set ((1 - 1/e) bound for the submodular recruits objective),
// monotonicity, and identical choices for 1, 2 and 4 threads.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/parallel.hpp"
#include "cascade/scenario_file.hpp"
#include "cascade/seed_choice.hpp"
#include "cascade/seeds.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

// Assumed beliefs, so the evaluator below runs exactly the behaviours choose_seeds() uses.
constexpr const char* kTiny = R"({
  "name": "tiny", "seed": 11, "trials": 6, "horizon_hours": 30,
  "network": {"generator": "barabasi-albert", "vertices": 40, "degree": 2, "seed": 3},
  "seeds": {"choice": "top-degree", "count": 2},
  "population": {"share_probability": 0.3, "join_probability": 0.5},
  "beliefs": {"mode": "assumed"},
  "targets": {"count": 2, "witnesses": 4},
  "regimes": [{"name": "virality", "scheme": "none"},
              {"name": "incentive", "scheme": "recursive", "reward_dollars": 2000, "split": 0.5}]
})";

std::vector<Beliefs> assumed(const Scenario& s) {
  std::vector<Beliefs> b;
  for (const RegimeSpec& r : s.regimes) b.push_back(assumed_beliefs(r.scheme, s.recruitment));
  return b;
}

// The plain greedy over the pool by enumeration: every remaining candidate, every round; ties to
// the earlier pool position.
std::vector<Vertex> plain_greedy(const SeedObjectiveEvaluator& e, std::size_t regime,
                                 const std::vector<Vertex>& pool, std::uint64_t k) {
  std::vector<Vertex> seeds;
  for (std::uint64_t round = 0; round < k; ++round) {
    std::uint64_t best = 0;
    Vertex pick = kNoVertex;
    for (Vertex v : pool) {
      if (std::find(seeds.begin(), seeds.end(), v) != seeds.end()) continue;
      seeds.push_back(v);
      const std::uint64_t t = e.total(regime, seeds);
      seeds.pop_back();
      if (pick == kNoVertex || t > best) {
        best = t;
        pick = v;
      }
    }
    seeds.push_back(pick);
  }
  return seeds;
}

}  // namespace

TEST_CASE("seed choice equals the plain greedy by enumeration and beats (1-1/e) of the best pair",
          "[kernels]") {
  const Scenario s = parse_scenario(kTiny, "tiny");
  const Graph g = build_scenario_network(s);
  const std::uint64_t n = g.num_vertices();
  for (SeedObjective objective : {SeedObjective::kRecruits, SeedObjective::kTargets}) {
    SeedChoiceOptions o;
    o.k = 2;
    o.objective = objective;
    o.pool = n;  // every person a candidate: the exhaustive optimum is over all pairs
    const SeedChoiceReport r = choose_seeds(g, s, o);
    REQUIRE(r.lazy == (objective == SeedObjective::kRecruits));
    const SeedObjectiveEvaluator e(g, s, assumed(s), s.trials, objective);
    const std::vector<Vertex> pool = top_degree_seeds(g, n);
    REQUIRE(r.regimes.size() == s.regimes.size());
    for (std::size_t i = 0; i < s.regimes.size(); ++i) {
      INFO("regime " << s.regimes[i].name << ", objective " << static_cast<int>(objective));
      const RegimeSeedChoice& c = r.regimes[i];
      CHECK(c.seeds == plain_greedy(e, i, pool, o.k));
      const double trials = static_cast<double>(s.trials);
      CHECK(c.chosen == static_cast<double>(e.total(i, c.seeds)) / trials);
      CHECK(c.top_degree == static_cast<double>(e.total(i, top_degree_seeds(g, o.k))) / trials);
      std::uint64_t best = 0;
      for (Vertex a = 0; a < n; ++a)
        for (Vertex b = a + 1; b < n; ++b) {
          const Vertex pair[2] = {a, b};
          best = std::max(best, e.total(i, pair));
        }
      const double opt = static_cast<double>(best) / trials;
      CHECK(c.chosen <= opt);
      if (objective == SeedObjective::kRecruits) {  // submodular: the greedy's guarantee
        CHECK(c.chosen >= (1.0 - 1.0 / std::numbers::e) * opt);
        CHECK(c.evaluations < n + (n - 1));  // lazy: fewer evaluations than the plain greedy
      }
    }
  }
}

TEST_CASE("seed choice objectives are monotone and the recruits objective submodular",
          "[kernels]") {
  const Scenario s = parse_scenario(kTiny, "tiny");
  const Graph g = build_scenario_network(s);
  for (SeedObjective objective : {SeedObjective::kRecruits, SeedObjective::kTargets}) {
    const SeedObjectiveEvaluator e(g, s, assumed(s), s.trials, objective);
    for (std::size_t i = 0; i < s.regimes.size(); ++i) {
      // Nested sets S subset T (prefixes of one order) and a vertex v outside T.
      for (Vertex start = 0; start < 8; ++start) {
        std::vector<Vertex> order;
        for (Vertex v = 0; v < 6; ++v) order.push_back((start + 7 * v) % 40);
        const Vertex v = (start + 13) % 40;
        std::uint64_t previous = 0;
        for (std::size_t len = 1; len <= order.size(); ++len) {
          const std::vector<Vertex> set(order.begin(), order.begin() + len);
          const std::uint64_t t = e.total(i, set);
          CHECK(t >= previous);  // monotone
          previous = t;
          if (objective == SeedObjective::kRecruits && len >= 2) {
            std::vector<Vertex> small(order.begin(), order.begin() + 1), big = set;
            const std::uint64_t small_without = e.total(i, small);
            const std::uint64_t big_without = e.total(i, big);
            small.push_back(v);
            big.push_back(v);
            CHECK(e.total(i, small) - small_without >= e.total(i, big) - big_without);
          }
        }
      }
    }
  }
}

TEST_CASE("seed choice is identical for 1, 2 and 4 threads", "[kernels]") {
  Scenario s = parse_scenario(kTiny, "tiny");
  s.network.vertices = 2000;
  s.beliefs.mode = BeliefMode::kConsistent;  // the belief solve must be thread-free too
  const Graph g = build_scenario_network(s);
  SeedChoiceOptions o;
  o.k = 3;
  o.pool = 20;
  std::vector<SeedChoiceReport> reports;
  for (std::size_t threads : {1, 2, 4}) {
    o.threads = threads;
    reports.push_back(choose_seeds(g, s, o));
  }
  for (const SeedChoiceReport& r : reports) {
    REQUIRE(r.simulations == reports[0].simulations);
    for (std::size_t i = 0; i < r.regimes.size(); ++i) {
      CHECK(r.regimes[i].seeds == reports[0].regimes[i].seeds);
      CHECK(r.regimes[i].gains == reports[0].regimes[i].gains);
      CHECK(r.regimes[i].chosen == reports[0].regimes[i].chosen);
      CHECK(r.regimes[i].random == reports[0].regimes[i].random);
    }
  }
}

TEST_CASE("seed choice rejects k = 0, k > population and a pool smaller than k", "[kernels]") {
  const Scenario s = parse_scenario(kTiny, "tiny");
  const Graph g = build_scenario_network(s);
  SeedChoiceOptions o;
  o.k = 0;
  CHECK_THROWS_AS(choose_seeds(g, s, o), InvalidArgument);
  o.k = 41;
  try {
    choose_seeds(g, s, o);
    FAIL("k > population was accepted");
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()).find("only 40 people") != std::string::npos);
  }
  o.k = 5;
  o.pool = 4;
  CHECK_THROWS_AS(choose_seeds(g, s, o), InvalidArgument);
}
