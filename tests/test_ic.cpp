// Independent cascade kernel: against Boost.Graph BFS (over all arcs at p = 1, over the live arcs
// at p < 1), and bit-identical across thread counts and traversal directions.
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/ic.hpp"
#include "cascade/seeds.hpp"
#include "catch.hpp"
#include "kernel_oracles.hpp"

using namespace cascade;
using namespace cascade::testing;

namespace {

constexpr Direction kDirections[] = {Direction::kPush, Direction::kPull, Direction::kAuto};

void require_same(const Cascade& a, const Cascade& b) {
  REQUIRE(a.order == b.order);
  REQUIRE(a.step == b.step);
  REQUIRE(a.recruiter == b.recruiter);
  REQUIRE(a.per_step == b.per_step);
  REQUIRE(a.arcs_examined == b.arcs_examined);
}

IcParams params_of(ArcProbability probability, Direction direction) {
  IcParams p;
  p.probability = probability;
  p.direction = direction;
  return p;
}

}  // namespace

TEST_CASE("IC at p = 1 is multi-source BFS (Boost.Graph)", "[kernels]") {
  for (bool undirected : {false, true}) {
    const Graph g =
        build_csr(random_edge_list(3000, undirected ? 4000 : 7000, 17, false, undirected));
    for (const std::vector<Vertex>& seeds :
         {top_degree_seeds(g, 1), std::vector<Vertex>{2999, 5, 1000, 5, 42}}) {
      std::vector<Vertex> distinct = seeds;
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      const auto dist = boost_bfs(g, distinct, [](Vertex, Vertex, std::size_t) { return true; });
      const Cascade expected = cascade_from_steps(g, dist, [&](Vertex u, Vertex v) {
        return dist[u] != kUnreached && dist[u] + 1 == dist[v];
      });
      REQUIRE(expected.spread() > 100);  // a real traversal, not a trivial one
      for (Direction d : kDirections) {
        INFO("undirected " << undirected << " seeds " << seeds.size() << " direction "
                           << static_cast<int>(d));
        const Cascade c = run_ic(g, seeds, params_of(ArcProbability::uniform(1.0), d), 3, 0);
        require_same(c, expected);
        if (d == Direction::kPull) REQUIRE(c.pull_steps == c.num_steps() + 1);
        if (d == Direction::kPush) REQUIRE(c.pull_steps == 0);
      }
    }
  }
}

TEST_CASE("IC at p < 1 is BFS over the live arcs (Boost.Graph)", "[kernels]") {
  EdgeList list = random_edge_list(2000, 9000, 5, true);
  const Graph weighted = build_csr(list);
  list.weights.clear();
  list.undirected = true;
  const Graph symmetric = build_csr(list);
  struct Case {
    const Graph* g;
    ArcProbability probability;
  };
  const Case cases[] = {{&weighted, ArcProbability::uniform(0.3)},
                        {&symmetric, ArcProbability::uniform(0.12)},
                        {&weighted, ArcProbability::arc_weights()},
                        {&symmetric, ArcProbability::weighted_cascade()}};
  for (const Case& k : cases) {
    const Graph& g = *k.g;
    const LiveArcs coins(g, k.probability, 99);
    const std::vector<Vertex> seeds = {3, 1500};
    for (std::uint64_t trial : {0ULL, 1ULL, 77ULL}) {
      const std::uint64_t key = coins.trial_key(trial);
      auto live = [&](Vertex u, Vertex v, float w) { return coins.live(u, v, w, key); };
      const auto dist = boost_bfs(g, seeds, [&](Vertex u, Vertex v, std::size_t i) {
        return live(u, v, g.has_weights() ? g.out_weights(u)[i] : 0.0f);
      });
      const Cascade expected = cascade_from_steps(g, dist, [&](Vertex u, Vertex v) {
        if (dist[u] == kUnreached || dist[u] + 1 != dist[v]) return false;
        const auto t = g.out_neighbors(u);
        const auto i =
            static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), v) - t.begin());
        return live(u, v, g.has_weights() ? g.out_weights(u)[i] : 0.0f);
      });
      for (Direction d : kDirections) {
        INFO("model " << static_cast<int>(k.probability.model) << " trial " << trial
                      << " direction " << static_cast<int>(d));
        require_same(run_ic(g, seeds, params_of(k.probability, d), 99, trial), expected);
      }
    }
  }
}

TEST_CASE("IC at p = 0 activates only the seeds", "[kernels]") {
  const Graph g = build_csr(random_edge_list(500, 3000, 8, false, true));
  for (Direction d : kDirections) {
    const Cascade c =
        run_ic(g, std::vector<Vertex>{9, 3, 9}, params_of(ArcProbability::uniform(0.0), d), 1, 4);
    REQUIRE(c.order == std::vector<Vertex>{3, 9});
    REQUIRE(c.per_step == std::vector<std::uint64_t>{2});
    REQUIRE(c.arcs_examined == g.out_degree(3) + g.out_degree(9));
    for (Vertex v = 0; v < g.num_vertices(); ++v) {
      REQUIRE(c.recruiter[v] == kNoVertex);
      REQUIRE(c.step[v] == (v == 3 || v == 9 ? 0u : kUnreached));
    }
  }
  const Cascade none = run_ic(g, std::vector<Vertex>{},
                              params_of(ArcProbability::uniform(1.0), Direction::kAuto), 1, 0);
  REQUIRE(none.spread() == 0);
  REQUIRE(none.per_step == std::vector<std::uint64_t>{0});
}

TEST_CASE("IC is identical for 1, 2, 4 threads and push / pull / auto", "[kernels]") {
  const Graph er = build_csr(generate_erdos_renyi(1 << 15, 4 << 15, 21));  // mean degree 8
  RmatParams rmat;
  rmat.scale = 14;
  rmat.edge_factor = 8;
  const Graph rm = build_csr(generate_rmat(rmat, 4, /*directed=*/true));
  bool auto_pulled = false;
  for (const Graph* g : {&er, &rm}) {
    const auto seeds = top_degree_seeds(*g, 3);
    for (ArcProbability prob :
         {ArcProbability::uniform(1.0), ArcProbability::uniform(0.3), ArcProbability::uniform(0.12),
          ArcProbability::weighted_cascade()}) {
      const Cascade reference = with_threads(
          1, [&] { return run_ic(*g, seeds, params_of(prob, Direction::kPush), 5, 11); });
      for (std::size_t threads : {1, 2, 4})
        for (Direction d : kDirections) {
          INFO("threads " << threads << " direction " << static_cast<int>(d) << " p " << prob.p);
          const Cascade c =
              with_threads(threads, [&] { return run_ic(*g, seeds, params_of(prob, d), 5, 11); });
          require_same(c, reference);
          if (d == Direction::kAuto && c.pull_steps > 0) auto_pulled = true;
        }
    }
  }
  REQUIRE(auto_pulled);  // the direction-optimizing path was exercised
}

TEST_CASE("run_ic_trial counts equal run_ic, scratch reused across trials and graphs",
          "[kernels]") {
  const Graph big = build_csr(generate_erdos_renyi(5000, 10000, 2));
  const Graph small = build_csr(random_edge_list(50, 200, 3, true));
  TrialScratch scratch;
  TrialCounts counts;
  IcScratch ic_scratch;
  Cascade c;
  for (const Graph* g : {&big, &small, &big}) {
    for (ArcProbability prob : {ArcProbability::uniform(0.4), ArcProbability::weighted_cascade()}) {
      const IcParams params = params_of(prob, Direction::kAuto);
      const LiveArcs coins(*g, prob, 8);
      for (std::uint64_t trial = 0; trial < 20; ++trial) {
        const std::vector<Vertex> seeds = {static_cast<Vertex>(trial % 50), 0, 0};
        run_ic_trial(*g, coins, seeds, trial, scratch, counts);
        run_ic(*g, coins, seeds, params, trial, ic_scratch, c);
        REQUIRE(counts.spread == c.spread());
        REQUIRE(counts.per_step == c.per_step);
        REQUIRE(counts.arcs_examined == c.arcs_examined);
        require_same(c, run_ic(*g, seeds, params, 8, trial));  // fresh scratch: same result
      }
    }
  }
}

TEST_CASE("IC rejects bad seeds and parameters", "[kernels]") {
  const Graph g = build_csr(random_edge_list(10, 30, 1, false));
  const IcParams ok = params_of(ArcProbability::uniform(0.5), Direction::kAuto);
  REQUIRE_THROWS_AS(run_ic(g, std::vector<Vertex>{10}, ok, 1, 0), InvalidArgument);
  REQUIRE_THROWS_AS(run_ic(g, std::vector<Vertex>{0},
                           params_of(ArcProbability::uniform(1.5), Direction::kAuto), 1, 0),
                    InvalidArgument);
  REQUIRE_THROWS_AS(run_ic(g, std::vector<Vertex>{0},
                           params_of(ArcProbability::arc_weights(), Direction::kAuto), 1, 0),
                    InvalidArgument);
  IcParams bad_alpha = ok;
  bad_alpha.alpha = 0.0;
  REQUIRE_THROWS_AS(run_ic(g, std::vector<Vertex>{0}, bad_alpha, 1, 0), InvalidArgument);
  const LiveArcs other(g, ArcProbability::uniform(0.4), 1);  // other probability than ok's
  IcScratch scratch;
  Cascade out;
  REQUIRE_THROWS_AS(run_ic(g, other, std::vector<Vertex>{0}, ok, 0, scratch, out), InvalidArgument);
  TrialScratch ts;
  TrialCounts counts;
  REQUIRE_THROWS_AS(run_ic_trial(g, other, std::vector<Vertex>{11}, 0, ts, counts),
                    InvalidArgument);
}
