// Fused Monte Carlo IC (run_ic_fused) against one-trial-at-a-time IC on the headline case of
// the benchmark suite: R-MAT 2^scale (edge factor 16, symmetrized), the 50 highest-degree
// vertices as seeds, uniform p, many trials, parallel over trials.
//
//   bench_fused_ic [--scale=20] [--threads=1,2] [--benchmark_out=fused.json]
// (the smallest --scale is used; the headline runs with the most threads, plus 1 thread).
//
// items_per_second = arcs examined per second, one (arc, trial) pair counting as one arc;
// counters: ms_per_trial (wall time / trials), mean_spread, coins_per_trial.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "cascade/builder.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/generators.hpp"
#include "cascade/ic.hpp"
#include "cascade/parallel.hpp"
#include "cascade/seeds.hpp"

using namespace cascade;
using namespace cascade::bench;

namespace {

constexpr std::uint64_t kMaster = 2024;

const Graph& headline_graph() {
  return rmat_graph(*std::min_element(config().scales.begin(), config().scales.end()));
}

const std::vector<Vertex>& headline_seeds() {
  static const std::vector<Vertex> seeds = top_degree_seeds(headline_graph(), 50);
  return seeds;
}

double probability_of(std::int64_t arg) { return static_cast<double>(arg) / 1000.0; }

// seconds: wall time of all iterations, measured here so ms_per_trial is a plain number.
void report(benchmark::State& state, std::uint64_t trials, double seconds, std::uint64_t arcs,
            double mean_spread, double coins_per_trial) {
  const double all_trials = static_cast<double>(state.iterations() * trials);
  state.SetItemsProcessed(static_cast<std::int64_t>(arcs));
  state.counters["ms_per_trial"] = 1e3 * seconds / all_trials;
  state.counters["trials_per_second"] = all_trials / seconds;
  state.counters["mean_spread"] = mean_spread;
  if (coins_per_trial > 0) state.counters["coins_per_trial"] = coins_per_trial;
  state.counters["arcs"] = static_cast<double>(headline_graph().num_arcs());
  state.counters["scale"] = std::log2(static_cast<double>(headline_graph().num_vertices()));
}

// Args: p * 1000, trials, lanes (0 = auto), threads, isa (the coin loop: 0 portable, 1 AVX2,
// 2 AVX-512; only loops the CPU has are registered).
void BM_FusedIC(benchmark::State& state) {
  const Graph& g = headline_graph();
  const auto& seeds = headline_seeds();
  const LiveArcs coins(g, ArcProbability::uniform(probability_of(state.range(0))), kMaster);
  const auto trials = static_cast<std::uint64_t>(state.range(1));
  FusedIcOptions options;
  options.lanes = static_cast<unsigned>(state.range(2));
  options.max_isa = static_cast<CoinIsa>(state.range(4));
  state.SetLabel(isa_name(fused_coin_isa(options.max_isa)));
  ThreadLimit limit(static_cast<std::size_t>(state.range(3)));
  FusedIcScratch scratch;
  std::uint64_t arcs = 0, coins_drawn = 0;
  double spread = 0, seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const FusedTrialResult r = run_ic_fused(g, coins, seeds, 0, trials, options, &scratch);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    arcs += r.arcs_examined;
    coins_drawn += r.coins_drawn;
    spread = static_cast<double>(std::accumulate(r.spread.begin(), r.spread.end(), 0ULL)) /
             static_cast<double>(trials);
    benchmark::DoNotOptimize(r.spread.data());
  }
  report(state, trials, seconds, arcs, spread,
         static_cast<double>(coins_drawn) / static_cast<double>(state.iterations() * trials));
}

// One trial at a time: the project's sequential one-trial kernel (run_ic_trial), trials in
// parallel -- what the Monte Carlo estimator does without the fused engine.
// Args: p * 1000, trials, threads.
void BM_OneTrialIC(benchmark::State& state) {
  const Graph& g = headline_graph();
  const auto& seeds = headline_seeds();
  const LiveArcs coins(g, ArcProbability::uniform(probability_of(state.range(0))), kMaster);
  const auto trials = static_cast<std::uint64_t>(state.range(1));
  ThreadLimit limit(static_cast<std::size_t>(state.range(2)));
  tbb::enumerable_thread_specific<std::pair<TrialScratch, TrialCounts>> workspaces;
  std::uint64_t arcs = 0;
  double spread = 0, seconds = 0;
  for (auto _ : state) {
    std::vector<std::uint64_t> per_trial_arcs(trials), per_trial_spread(trials);
    const auto start = std::chrono::steady_clock::now();
    tbb::parallel_for(std::uint64_t{0}, trials, [&](std::uint64_t r) {
      auto& [scratch, counts] = workspaces.local();
      run_ic_trial(g, coins, seeds, r, scratch, counts);
      per_trial_arcs[r] = counts.arcs_examined;
      per_trial_spread[r] = counts.spread;
    });
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    arcs += std::accumulate(per_trial_arcs.begin(), per_trial_arcs.end(), 0ULL);
    spread = static_cast<double>(
                 std::accumulate(per_trial_spread.begin(), per_trial_spread.end(), 0ULL)) /
             static_cast<double>(trials);
  }
  report(state, trials, seconds, arcs, spread, 0);
}

// Headline: p = 0.05 and 0.01, 2048 trials, all threads (auto lanes: 512 unless that leaves a
// thread without a batch); then narrower lanes, 1 thread, and the portable coin loop for
// comparison; the unfused baseline on fewer trials (the rate is per trial either way).
void register_cases() {
  const auto all = static_cast<std::int64_t>(
      *std::max_element(config().threads.begin(), config().threads.end()));
  const auto best = static_cast<std::int64_t>(fused_coin_isa());
  benchmark::AddCustomContext("fused_coin_isa", isa_name(fused_coin_isa()));
  auto* fused = benchmark::RegisterBenchmark("fused_ic", BM_FusedIC);
  fused->ArgNames({"p_milli", "trials", "lanes", "threads", "isa"})
      ->Args({50, 2048, 0, all, best})
      ->Args({10, 2048, 0, all, best})
      ->Args({50, 2048, 128, all, best})
      ->Args({50, 2048, 256, all, best})
      ->Args({10, 2048, 256, all, best});
  // One case per narrower coin loop the CPU has, for comparison (portable always).
  for (std::int64_t isa = 0; isa < best; ++isa)
    if (fused_coin_isa(static_cast<CoinIsa>(isa)) == static_cast<CoinIsa>(isa))
      fused->Args({50, 2048, 0, all, isa});
  if (all > 1) fused->Args({50, 2048, 0, 1, best});
  fused->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
  benchmark::RegisterBenchmark("one_trial_ic", BM_OneTrialIC)
      ->ArgNames({"p_milli", "trials", "threads"})
      ->Args({50, 64, all})
      ->Args({10, 64, all})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(1);
}

}  // namespace

int main(int argc, char** argv) { return run_main(argc, argv, register_cases); }
