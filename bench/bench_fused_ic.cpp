// Fused Monte Carlo IC (run_ic_fused) against one-trial-at-a-time IC on the headline case of
// the benchmark suite: R-MAT 2^scale (edge factor 16, symmetrized), the 50 highest-degree
// vertices as seeds, uniform p, many trials, parallel over trials.
//
//   bench_fused_ic [--scale=20] [google benchmark flags, e.g. --benchmark_out=fused.json]
//
// items_per_second = arcs examined per second, one (arc, trial) pair counting as one arc;
// counters: ms_per_trial (wall time / trials), mean_spread, coins_per_trial.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "cascade/builder.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/generators.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/seeds.hpp"

using namespace cascade;

namespace {

unsigned g_scale = 20;
constexpr std::uint64_t kMaster = 2024;

const Graph& headline_graph() {
  static const Graph graph = [] {
    RmatParams params;
    params.scale = g_scale;
    params.edge_factor = 16;
    return build_csr(generate_rmat(params, 1), BuildOptions{.symmetrize = true});
  }();
  return graph;
}

const std::vector<Vertex>& headline_seeds() {
  static const std::vector<Vertex> seeds = top_degree_seeds(headline_graph(), 50);
  return seeds;
}

double probability_of(std::int64_t arg) { return static_cast<double>(arg) / 1000.0; }

// One-trial-at-a-time baseline: a plain sequential BFS over the live arcs per trial, trials in
// parallel; each activated vertex attempts each out-neighbour not yet active (one coin each).
struct BaselineWorkspace {
  std::vector<std::uint32_t> stamp;  // stamp[v] == epoch: v active in the current trial
  std::uint32_t epoch = 0;
  std::vector<Vertex> queue;
};

std::uint64_t baseline_trial(const Graph& g, const LiveArcs& coins,
                             const std::vector<Vertex>& seeds, std::uint64_t trial,
                             BaselineWorkspace& ws) {
  if (ws.stamp.size() != g.num_vertices()) ws.stamp.assign(g.num_vertices(), 0);
  if (++ws.epoch == 0) {
    std::fill(ws.stamp.begin(), ws.stamp.end(), 0);
    ws.epoch = 1;
  }
  const std::uint64_t key = coins.trial_key(trial);
  ws.queue.clear();
  for (const Vertex s : seeds)
    if (ws.stamp[s] != ws.epoch) {
      ws.stamp[s] = ws.epoch;
      ws.queue.push_back(s);
    }
  std::uint64_t arcs = 0;
  for (std::size_t head = 0; head < ws.queue.size(); ++head) {
    const Vertex u = ws.queue[head];
    const auto targets = g.out_neighbors(u);
    arcs += targets.size();
    for (const Vertex v : targets) {
      if (ws.stamp[v] == ws.epoch) continue;
      if (coins.live(u, v, 0.0f, key)) {
        ws.stamp[v] = ws.epoch;
        ws.queue.push_back(v);
      }
    }
  }
  return arcs;
}

void report(benchmark::State& state, std::uint64_t trials, std::uint64_t arcs,
            double mean_spread, double coins_per_trial) {
  state.SetItemsProcessed(static_cast<std::int64_t>(arcs));
  state.counters["ms_per_trial"] = benchmark::Counter(
      static_cast<double>(state.iterations() * trials) * 1e-3,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["trials_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * trials), benchmark::Counter::kIsRate);
  state.counters["mean_spread"] = mean_spread;
  if (coins_per_trial > 0) state.counters["coins_per_trial"] = coins_per_trial;
  state.counters["arcs"] = static_cast<double>(headline_graph().num_arcs());
}

// Args: p * 1000, trials, lanes (0 = auto), threads.
void BM_FusedIC(benchmark::State& state) {
  const Graph& g = headline_graph();
  const auto& seeds = headline_seeds();
  const LiveArcs coins(g, ArcProbability::uniform(probability_of(state.range(0))), kMaster);
  const auto trials = static_cast<std::uint64_t>(state.range(1));
  FusedIcOptions options;
  options.lanes = static_cast<unsigned>(state.range(2));
  ThreadLimit limit(static_cast<std::size_t>(state.range(3)));
  FusedIcScratch scratch;
  std::uint64_t arcs = 0, coins_drawn = 0;
  double spread = 0;
  for (auto _ : state) {
    const FusedTrialResult r = run_ic_fused(g, coins, seeds, 0, trials, options, &scratch);
    arcs += r.arcs_examined;
    coins_drawn += r.coins_drawn;
    spread = static_cast<double>(std::accumulate(r.spread.begin(), r.spread.end(), 0ULL)) /
             static_cast<double>(trials);
    benchmark::DoNotOptimize(r.spread.data());
  }
  report(state, trials, arcs, spread,
         static_cast<double>(coins_drawn) / static_cast<double>(state.iterations() * trials));
}

// Args: p * 1000, trials, threads.
void BM_BaselineIC(benchmark::State& state) {
  const Graph& g = headline_graph();
  const auto& seeds = headline_seeds();
  const LiveArcs coins(g, ArcProbability::uniform(probability_of(state.range(0))), kMaster);
  const auto trials = static_cast<std::uint64_t>(state.range(1));
  ThreadLimit limit(static_cast<std::size_t>(state.range(2)));
  tbb::enumerable_thread_specific<BaselineWorkspace> workspaces;
  std::uint64_t arcs = 0;
  double spread = 0;
  for (auto _ : state) {
    std::vector<std::uint64_t> per_trial_arcs(trials), per_trial_spread(trials);
    tbb::parallel_for(std::uint64_t{0}, trials, [&](std::uint64_t r) {
      auto& ws = workspaces.local();
      per_trial_arcs[r] = baseline_trial(g, coins, seeds, r, ws);
      per_trial_spread[r] = ws.queue.size();
    });
    arcs += std::accumulate(per_trial_arcs.begin(), per_trial_arcs.end(), 0ULL);
    spread = static_cast<double>(std::accumulate(per_trial_spread.begin(),
                                                 per_trial_spread.end(), 0ULL)) /
             static_cast<double>(trials);
  }
  report(state, trials, arcs, spread, 0);
}

}  // namespace

// Headline: p = 0.05 and 0.01, 2048 trials, 2 threads; lane widths 64..512 for comparison.
BENCHMARK(BM_FusedIC)
    ->ArgNames({"p_milli", "trials", "lanes", "threads"})
    ->Args({50, 2048, 0, 2})
    ->Args({10, 2048, 0, 2})
    ->Args({50, 2048, 64, 2})
    ->Args({50, 2048, 128, 2})
    ->Args({50, 2048, 512, 2})
    ->Args({50, 2048, 0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
// The unfused baseline is slow: fewer trials (the rate is per trial either way).
BENCHMARK(BM_BaselineIC)
    ->ArgNames({"p_milli", "trials", "threads"})
    ->Args({50, 64, 2})
    ->Args({10, 64, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

int main(int argc, char** argv) {
  // --scale=S (our own flag) is removed before Google Benchmark parses the rest.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--scale=", 8) == 0)
      g_scale = static_cast<unsigned>(std::strtoul(argv[i] + 8, nullptr, 10));
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
