// Benchmarks of the mobilization kernels on a 2^20-vertex Barabasi-Albert network (mean degree
// 12): timed cascade by delta-stepping (vs the sequential Dijkstra oracle), incentive
// propagation over a real recruitment forest, and mobilize() end to end on a smoke-size network.
//   ./bench_mobilize --benchmark_out=mobilize.json --benchmark_out_format=json
// items_per_second is arcs of the graph per second for the cascades (every arc of a reached
// joiner is examined once or more), vertices per second for the payoff kernel.
#include <benchmark/benchmark.h>

#include "cascade/builder.hpp"
#include "cascade/generators.hpp"
#include "cascade/incentive.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/parallel.hpp"
#include "cascade/recruitment.hpp"
#include "cascade/scenario.hpp"
#include "cascade/seeds.hpp"
#include "cascade/timed.hpp"

using namespace cascade;

namespace {

const Graph& network() {
  static const Graph g = build_csr(generate_barabasi_albert(1 << 20, 6, 1));
  return g;
}

const TimedOptions kOptions{{DelayDistribution::kLogNormal, 6.0, 1.0}, 48.0, 0.0};

RecruitmentParams params() {
  RecruitmentParams p;
  p.share_probability = 0.05;
  p.join_probability = 0.2;
  return p;
}

const RegimeBehaviour& incentive_regime() {
  static const RegimeBehaviour regime =
      regime_behaviour(network(), params(), IncentiveScheme::recursive(2000, 0.5), 1.0, 2009);
  return regime;
}

// Plain timed IC (p = 0.3) with delta-stepping; Arg = threads.
void BM_TimedDeltaStepping(benchmark::State& state) {
  const Graph& g = network();
  ThreadLimit limit(static_cast<std::size_t>(state.range(0)));
  const LiveArcs live(g, ArcProbability::uniform(0.3), 1);
  const auto seeds = random_seeds(g, 4, 1, 0);
  std::uint64_t trial = 0, reached = 0;
  for (auto _ : state) {
    const auto c = timed_cascade(g, live, seeds, trial++, kOptions);
    reached += c.reached;
    benchmark::DoNotOptimize(c.time.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_arcs()));
  state.counters["reached"] =
      static_cast<double>(reached) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_TimedDeltaStepping)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TimedDijkstra(benchmark::State& state) {
  const Graph& g = network();
  const LiveArcs live(g, ArcProbability::uniform(0.3), 1);
  const auto seeds = random_seeds(g, 4, 1, 0);
  std::uint64_t trial = 0;
  for (auto _ : state) {
    const auto c = timed_cascade_dijkstra(g, live, seeds, trial++, kOptions);
    benchmark::DoNotOptimize(c.time.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_arcs()));
}
BENCHMARK(BM_TimedDijkstra)->Unit(benchmark::kMillisecond)->UseRealTime();

// One incentive-regime recruitment cascade (the two-million scenario's inner loop).
void BM_RecruitIncentive(benchmark::State& state) {
  const Graph& g = network();
  ThreadLimit limit(static_cast<std::size_t>(state.range(0)));
  const LiveArcs arcs = recruitment_arcs(g, params(), 2009);
  const auto& regime = incentive_regime();
  std::uint64_t trial = 0, joined = 0;
  for (auto _ : state) {
    const auto seeds = random_seeds(g, 4, 2009, trial);
    const auto c = recruit(g, arcs, regime, seeds, trial++, kOptions);
    joined += c.joined_count;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_arcs()));
  state.counters["joined"] = static_cast<double>(joined) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_RecruitIncentive)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Payoffs over the forest of one incentive cascade: recursive (10 finders) and flat bounty
// (every joiner a claim). Arg 0 = scheme (0 recursive, 1 flat), Arg 1 = threads.
void BM_IncentivePropagation(benchmark::State& state) {
  const Graph& g = network();
  static const TimedCascade cascade = [&] {
    const LiveArcs arcs = recruitment_arcs(g, params(), 2009);
    return recruit(g, arcs, incentive_regime(), random_seeds(g, 4, 2009, 0), 0, kOptions);
  }();
  std::vector<Vertex> finders;
  for (Vertex v = 0; v < g.num_vertices() && finders.size() < 10; v += 7919)
    if (cascade.joined[v]) finders.push_back(v);
  const IncentiveScheme scheme = state.range(0) == 0 ? IncentiveScheme::recursive(2000, 0.5)
                                                     : IncentiveScheme::flat_bounty(1, 10, 1e6);
  ThreadLimit limit(static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    const auto pay = propagate_payoffs({cascade.recruiter, cascade.joined, finders}, scheme, 10);
    benchmark::DoNotOptimize(pay.payout_cents);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_vertices()));
  state.counters["joined"] = static_cast<double>(cascade.joined_count);
}
BENCHMARK(BM_IncentivePropagation)
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// mobilize() end to end (both regimes, 2 trials) on a 2^16-vertex scenario, network included.
void BM_MobilizeSmoke(benchmark::State& state) {
  Scenario s = parse_scenario(R"({
    "name": "smoke", "trials": 2,
    "network": {"generator": "barabasi-albert", "vertices": 65536, "degree": 6},
    "delay": {"distribution": "lognormal", "median_hours": 6, "shape": 1.0},
    "population": {"share_probability": 0.05, "join_probability": 0.2}
  })");
  for (auto _ : state) {
    const Graph g = build_scenario_network(s);
    const auto report = mobilize(g, s);
    benchmark::DoNotOptimize(report.regimes.back().recruits.mean);
  }
}
BENCHMARK(BM_MobilizeSmoke)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
