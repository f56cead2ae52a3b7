// Benchmarks of the mobilization kernels on a 2^scale-vertex Barabasi-Albert network (mean
// degree 12), per scale and thread count: timed cascade by delta-stepping (vs the sequential
// Dijkstra oracle), one incentive-regime recruitment cascade, incentive propagation over its
// recruitment forest, and mobilize() end to end (network generation included, 2 trials).
//   ./bench_mobilize [--scale=20..22] [--threads=1,2] --benchmark_out=mobilize.json
// items_per_second is arcs of the graph per second for the cascades (every arc of a reached
// joiner is examined once or more), vertices per second for the payoff kernel.
#include "bench_common.hpp"
#include "cascade/builder.hpp"
#include "cascade/generators.hpp"
#include "cascade/incentive.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/parallel.hpp"
#include "cascade/recruitment.hpp"
#include "cascade/scenario_file.hpp"
#include "cascade/seeds.hpp"
#include "cascade/timed.hpp"

using namespace cascade;
using namespace cascade::bench;

namespace {

// One scale's network at a time (cases run scale-major).
const Graph& network(const benchmark::State& state) {
  static unsigned cached = 0;
  static std::unique_ptr<Graph> g;
  const auto scale = static_cast<unsigned>(state.range(0));
  if (!g || cached != scale) {
    g.reset();
    g = std::make_unique<Graph>(
        build_csr(generate_barabasi_albert(std::uint64_t{1} << scale, 6, 1)));
    cached = scale;
  }
  return *g;
}

const TimedOptions kOptions{{DelayDistribution::kLogNormal, 6.0, 1.0}, 48.0, 0.0};

RecruitmentParams params() {
  RecruitmentParams p;
  p.share_probability = 0.05;
  p.join_probability = 0.2;
  return p;
}

RegimeBehaviour incentive_regime(const Graph& g) {
  return regime_behaviour(g, params(), IncentiveScheme::recursive(2000, 0.5), 1.0, 2009);
}

// Plain timed IC (p = 0.3) with delta-stepping; Arg = threads.
void BM_TimedDeltaStepping(benchmark::State& state) {
  const Graph& g = network(state);
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

void BM_TimedDijkstra(benchmark::State& state) {
  const Graph& g = network(state);
  const LiveArcs live(g, ArcProbability::uniform(0.3), 1);
  const auto seeds = random_seeds(g, 4, 1, 0);
  std::uint64_t trial = 0;
  for (auto _ : state) {
    const auto c = timed_cascade_dijkstra(g, live, seeds, trial++, kOptions);
    benchmark::DoNotOptimize(c.time.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_arcs()));
}

// One incentive-regime recruitment cascade (the two-million scenario's inner loop).
void BM_RecruitIncentive(benchmark::State& state) {
  const Graph& g = network(state);
  const LiveArcs arcs = recruitment_arcs(g, params(), 2009);
  const RegimeBehaviour regime = incentive_regime(g);
  std::uint64_t trial = 0, joined = 0;
  for (auto _ : state) {
    const auto seeds = random_seeds(g, 4, 2009, trial);
    const auto c = recruit(g, arcs, regime, seeds, trial++, kOptions);
    joined += c.joined_count;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_arcs()));
  state.counters["joined"] = static_cast<double>(joined) / static_cast<double>(state.iterations());
}

// Payoffs over the forest of one incentive cascade: recursive (10 finders) and flat bounty
// (every joiner a claim). Arg 0 = scheme (0 recursive, 1 flat), Arg 1 = threads.
void BM_IncentivePropagation(benchmark::State& state) {
  const Graph& g = network(state);
  const LiveArcs arcs = recruitment_arcs(g, params(), 2009);
  const TimedCascade cascade =
      recruit(g, arcs, incentive_regime(g), random_seeds(g, 4, 2009, 0), 0, kOptions);
  std::vector<Vertex> finders;
  for (Vertex v = 0; v < g.num_vertices() && finders.size() < 10; v += 7919)
    if (cascade.joined[v]) finders.push_back(v);
  const IncentiveScheme scheme = state.range(2) == 0 ? IncentiveScheme::recursive(2000, 0.5)
                                                     : IncentiveScheme::flat_bounty(1, 10, 1e6);
  for (auto _ : state) {
    const auto pay = propagate_payoffs({cascade.recruiter, cascade.joined, finders}, scheme, 10);
    benchmark::DoNotOptimize(pay.payout_cents);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_vertices()));
  state.counters["joined"] = static_cast<double>(cascade.joined_count);
}

// mobilize() end to end (both regimes, 2 trials) on a 2^scale-vertex scenario, network included.
// Assumed beliefs: one pass of trials, comparable with earlier figures (consistent beliefs add
// up to beliefs.max_rounds rounds of belief trials per incentive regime).
void BM_Mobilize(benchmark::State& state) {
  Scenario s =
      parse_scenario(R"({
    "name": "bench", "trials": 2,
    "network": {"generator": "barabasi-albert", "vertices": )" +
                     std::to_string(std::uint64_t{1} << state.range(0)) + R"(, "degree": 6},
    "delay": {"distribution": "lognormal", "median_hours": 6, "shape": 1.0},
    "population": {"share_probability": 0.05, "join_probability": 0.2},
    "beliefs": {"mode": "assumed"}
  })");
  for (auto _ : state) {
    const Graph g = build_scenario_network(s);
    const auto report = mobilize(g, s);
    benchmark::DoNotOptimize(report.regimes.back().recruits.mean);
  }
}

void register_cases() {
  const auto& threads = config().threads;
  for (unsigned scale : config().scales) {
    register_scaled("timed_delta_stepping", BM_TimedDeltaStepping, {}, {}, scale, threads);
    register_scaled("timed_dijkstra", BM_TimedDijkstra, {}, {}, scale, {1});
    register_scaled("recruit_incentive", BM_RecruitIncentive, {}, {}, scale, threads);
    register_scaled("incentive_payoffs", BM_IncentivePropagation, {"flat"}, {{0}, {1}}, scale,
                    threads);
    register_scaled("mobilize", BM_Mobilize, {}, {}, scale, threads);
  }
}

}  // namespace

int main(int argc, char** argv) { return run_main(argc, argv, register_cases); }
