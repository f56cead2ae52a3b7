// Independent cascade kernels on R-MAT graphs (Graph500 parameters, edge factor 16, symmetrized):
//  - BM_IcSingle: one cascade, parallel inside the trial, push-only vs direction-optimizing,
//    at p = 1 (a BFS: compare with GAPBS's direction-optimizing BFS) and mid p;
//  - BM_McThroughput: Monte Carlo estimate_spread, parallel over trials, at several p.
//
//   bench_ic [--threads=2] [google benchmark flags, e.g. --benchmark_filter=Single
//             --benchmark_out=ic.json]
//
// items_per_second = arcs examined per second (each active vertex's out-arcs, per trial: the
// TEPS numerator); counters: spread, steps, pull_steps, trials_per_second. Graphs are built once
// per scale and kept (scale 22 needs about 1.5 GB).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/generators.hpp"
#include "cascade/ic.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/seeds.hpp"

using namespace cascade;

namespace {

std::size_t g_threads = 2;
constexpr std::uint64_t kMaster = 2024;

const Graph& rmat_graph(unsigned scale) {
  static std::map<unsigned, std::unique_ptr<Graph>> graphs;
  auto& slot = graphs[scale];
  if (!slot) {
    graphs.clear();  // keep one graph at a time: scale 22 is large
    RmatParams params;
    params.scale = scale;
    params.edge_factor = 16;
    graphs[scale] = std::make_unique<Graph>(
        build_csr(generate_rmat(params, 1), BuildOptions{.symmetrize = true}));
    return *graphs[scale];
  }
  return *slot;
}

// A source like GAPBS picks one: a random vertex with at least one arc.
Vertex random_source(const Graph& g, std::uint64_t index) {
  rng::Stream stream(kMaster, rng::Purpose::kSeeds, index);
  while (true) {
    const auto v = static_cast<Vertex>(stream.next_below(g.num_vertices()));
    if (g.out_degree(v) > 0) return v;
  }
}

double probability_of(std::int64_t milli) { return static_cast<double>(milli) / 1000.0; }

// Args: scale, p * 1000, direction (0 push-only, 1 direction-optimizing).
void BM_IcSingle(benchmark::State& state) {
  const Graph& g = rmat_graph(static_cast<unsigned>(state.range(0)));
  IcParams params;
  params.probability = ArcProbability::uniform(probability_of(state.range(1)));
  params.master_seed = kMaster;
  params.direction = state.range(2) == 0 ? Direction::kPush : Direction::kAuto;
  const LiveArcs coins(g, params.probability, kMaster);
  IcScratch scratch;
  Cascade c;
  std::uint64_t arcs = 0, spread = 0, steps = 0, pulls = 0, trial = 0;
  for (auto _ : state) {
    const Vertex source = random_source(g, trial);
    run_ic(g, coins, std::span<const Vertex>(&source, 1), params, trial, scratch, c);
    arcs += c.arcs_examined;
    spread += c.spread();
    steps += c.num_steps();
    pulls += c.pull_steps;
    ++trial;
  }
  const auto runs = static_cast<double>(trial);
  state.SetItemsProcessed(static_cast<std::int64_t>(arcs));
  state.counters["spread"] = static_cast<double>(spread) / runs;
  state.counters["steps"] = static_cast<double>(steps) / runs;
  state.counters["pull_steps"] = static_cast<double>(pulls) / runs;
  state.counters["arcs"] = static_cast<double>(g.num_arcs());
}

// Args: scale, p * 1000, trials. 50 highest-degree seeds (as bench_fused_ic), parallel over
// trials, sequential trials with epoch-stamped scratch.
void BM_McThroughput(benchmark::State& state) {
  const Graph& g = rmat_graph(static_cast<unsigned>(state.range(0)));
  McOptions options;
  options.model = Model::kIc;
  options.ic.probability = ArcProbability::uniform(probability_of(state.range(1)));
  options.ic.master_seed = kMaster;
  options.seeds = SeedSpec::top_degree(50);
  options.trials = static_cast<std::uint64_t>(state.range(2));
  options.parallelism = McParallelism::kOverTrials;
  std::uint64_t arcs = 0, trials = 0;
  double mean = 0.0;
  for (auto _ : state) {
    const Estimate e = estimate_spread(g, options);
    options.first_trial += options.trials;  // fresh trials every iteration
    arcs += e.arcs_examined;
    trials += e.trials;
    mean = e.mean;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(arcs));
  state.counters["trials_per_second"] =
      benchmark::Counter(static_cast<double>(trials), benchmark::Counter::kIsRate);
  state.counters["spread"] = mean;
  state.counters["arcs"] = static_cast<double>(g.num_arcs());
}

}  // namespace

BENCHMARK(BM_IcSingle)
    ->ArgNames({"scale", "p_milli", "auto"})
    ->ArgsProduct({{20, 22}, {1000, 100}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(1.0);
BENCHMARK(BM_McThroughput)
    ->ArgNames({"scale", "p_milli", "trials"})
    ->Args({20, 100, 32})
    ->Args({20, 50, 64})
    ->Args({20, 10, 64})
    ->Args({20, 1, 256})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(1.0);

int main(int argc, char** argv) {
  // --threads=N (our own flag) is removed before Google Benchmark parses the rest.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--threads=", 10) == 0)
      g_threads = static_cast<std::size_t>(std::strtoul(argv[i] + 10, nullptr, 10));
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  ThreadLimit limit(g_threads);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("threads", std::to_string(max_threads()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
