// Independent cascade kernels on R-MAT graphs (Graph500 parameters, edge factor 16, symmetrized):
//  - BM_IcSingle: one cascade, parallel inside the trial, push-only vs direction-optimizing,
//    at p = 1 (a BFS: compare with GAPBS's direction-optimizing BFS) and mid p;
//  - BM_ReferenceBfs: a GAPBS-style direction-optimizing BFS on the same graph and sources, the
//    speed reference for BM_IcSingle at p = 1;
//  - BM_McThroughput: Monte Carlo estimate_spread, parallel over trials, at several p.
//
//   bench_ic [--threads=2] [google benchmark flags, e.g. --benchmark_filter=Single
//             --benchmark_out=ic.json]
//
// items_per_second = arcs examined per second (each active vertex's out-arcs, per trial: the
// TEPS numerator); counters: spread, steps, pull_steps, trials_per_second. Graphs are built once
// per scale and kept (scale 22 needs about 1.5 GB);
// --benchmark_filter=scale:20 skips the big one.
#include <benchmark/benchmark.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <atomic>
#include <bit>
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
  static std::map<unsigned, std::unique_ptr<Graph>> graphs;  // built once per scale, kept
  auto& slot = graphs[scale];
  if (!slot) {
    RmatParams params;
    params.scale = scale;
    params.edge_factor = 16;
    slot = std::make_unique<Graph>(
        build_csr(generate_rmat(params, 1), BuildOptions{.symmetrize = true}));
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

// --- Speed reference: a GAPBS-style direction-optimizing BFS (the structure of GAPBS bfs.cc:
// top-down with CAS on the parent, bottom-up over bitmaps, alpha = 15, beta = 18). Parent array
// only, no ordering or determinism: what run_ic at p = 1 is measured against on the same graph.
using Word = std::uint64_t;
struct BfsScratch {
  std::vector<std::int32_t> parent;  // -1: unvisited (int32 ids, as GAPBS)
  std::vector<Word> front, curr;
  std::vector<Vertex> queue, next;
  tbb::enumerable_thread_specific<std::vector<Vertex>> local;
};

std::uint64_t reference_bfs(const Graph& g, Vertex source, BfsScratch& s) {
  const std::uint64_t n = g.num_vertices(), words = (n + 63) / 64;
  const Graph& in = g.transpose();
  s.parent.resize(n);
  tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t v) { s.parent[v] = -1; });
  s.parent[source] = static_cast<std::int32_t>(source);
  s.queue.assign(1, source);
  std::uint64_t edges_to_check = g.num_arcs(), scout = g.out_degree(source), visited = 1;
  while (!s.queue.empty()) {
    if (static_cast<double>(scout) > static_cast<double>(edges_to_check) / 15.0) {
      s.front.assign(words, 0);
      for (Vertex v : s.queue) s.front[v >> 6] |= Word{1} << (v & 63);
      std::uint64_t awake = s.queue.size(), old = 0;
      s.curr.resize(words);
      do {  // bottom-up steps
        old = awake;
        awake = tbb::parallel_reduce(
            tbb::blocked_range<std::uint64_t>(0, words, 16), std::uint64_t{0},
            [&](const tbb::blocked_range<std::uint64_t>& r, std::uint64_t count) {
              for (std::uint64_t w = r.begin(); w < r.end(); ++w) {
                Word bits = 0;
                for (std::uint64_t v = w * 64; v < std::min(n, w * 64 + 64); ++v) {
                  if (s.parent[v] >= 0) continue;
                  for (Vertex u : in.out_neighbors(static_cast<Vertex>(v)))
                    if (s.front[u >> 6] >> (u & 63) & 1) {
                      s.parent[v] = static_cast<std::int32_t>(u);
                      bits |= Word{1} << (v & 63);
                      ++count;
                      break;
                    }
                }
                s.curr[w] = bits;
              }
              return count;
            },
            std::plus<>());
        visited += awake;
        std::swap(s.front, s.curr);
      } while (awake >= old || static_cast<double>(awake) > static_cast<double>(n) / 18.0);
      s.queue.clear();
      for (std::uint64_t w = 0; w < words; ++w)
        for (Word b = s.front[w]; b != 0; b &= b - 1)
          s.queue.push_back(
              static_cast<Vertex>(w * 64 + static_cast<unsigned>(std::countr_zero(b))));
      scout = 1;
    } else {  // top-down step
      edges_to_check -= std::min(edges_to_check, scout);
      for (auto& l : s.local) l.clear();
      scout = tbb::parallel_reduce(
          tbb::blocked_range<std::size_t>(0, s.queue.size(), 64), std::uint64_t{0},
          [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t count) {
            auto& l = s.local.local();
            for (std::size_t i = r.begin(); i < r.end(); ++i) {
              const Vertex u = s.queue[i];
              for (Vertex v : g.out_neighbors(u)) {
                std::atomic_ref<std::int32_t> p(s.parent[v]);
                std::int32_t expected = -1;
                if (p.load(std::memory_order_relaxed) < 0 &&
                    p.compare_exchange_strong(expected, static_cast<std::int32_t>(u),
                                              std::memory_order_relaxed)) {
                  l.push_back(v);
                  count += g.out_degree(v);
                }
              }
            }
            return count;
          },
          std::plus<>());
      s.next.clear();
      for (auto& l : s.local) s.next.insert(s.next.end(), l.begin(), l.end());
      visited += s.next.size();
      std::swap(s.queue, s.next);
    }
  }
  return visited;
}

// Args: scale. The GAPBS-style BFS from the same sources as BM_IcSingle.
void BM_ReferenceBfs(benchmark::State& state) {
  const Graph& g = rmat_graph(static_cast<unsigned>(state.range(0)));
  BfsScratch scratch;
  std::uint64_t visited = 0, trial = 0, arcs = 0;
  for (auto _ : state) {
    visited += reference_bfs(g, random_source(g, trial++), scratch);
    state.PauseTiming();  // count the arcs of the visited vertices, as arcs_examined does
    for (Vertex v = 0; v < g.num_vertices(); ++v)
      if (scratch.parent[v] >= 0) arcs += g.out_degree(v);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(arcs));
  state.counters["spread"] = static_cast<double>(visited) / static_cast<double>(trial);
}

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
BENCHMARK(BM_ReferenceBfs)
    ->ArgNames({"scale"})
    ->Arg(20)
    ->Arg(22)
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
