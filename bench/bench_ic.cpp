// Cascade kernels on R-MAT 2^scale (Graph500 parameters, edge factor 16, symmetrized), per
// scale and thread count:
//  - ic_single: one IC cascade, parallel inside the trial, push-only vs direction-optimizing,
//    at p = 1 (a BFS: compare with GAPBS's direction-optimizing BFS) and mid p;
//  - reference_bfs: a GAPBS-style direction-optimizing BFS on the same graph and sources, the
//    speed reference for ic_single at p = 1;
//  - mc_ic: Monte Carlo estimate_spread, one-trial-at-a-time engine parallel over trials, 50
//    highest-degree seeds (the fused engine's headline is bench_fused_ic);
//  - lt_single: one linear-threshold cascade (1/in-degree influence, n/64 seeds), parallel
//    inside;
//  - timed_single: one timed IC cascade (p = 0.1, log-normal delays) by delta-stepping.
//
//   bench_ic [--scale=20..22] [--threads=1,2] [--benchmark_filter=ic_single
//             --benchmark_out=ic.json]
//
// items_per_second = arcs examined per second (each active vertex's out-arcs, per trial: the
// TEPS numerator; timed: every arc of a reached vertex); counters: spread, steps, pull_steps,
// trials_per_second, arcs (of the graph).
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

#include "bench_common.hpp"
#include "cascade/builder.hpp"
#include "cascade/generators.hpp"
#include "cascade/ic.hpp"
#include "cascade/lt.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/seeds.hpp"
#include "cascade/timed.hpp"

using namespace cascade;
using namespace cascade::bench;

namespace {

constexpr std::uint64_t kMaster = 2024;

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

// Args: scale, threads. The GAPBS-style BFS from the same sources as BM_IcSingle.
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
  report_arcs(state, arcs, g.num_arcs());
  state.counters["spread"] = static_cast<double>(visited) / static_cast<double>(trial);
}

// Args: scale, threads, p * 1000, direction (0 push-only, 1 direction-optimizing).
void BM_IcSingle(benchmark::State& state) {
  const Graph& g = rmat_graph(static_cast<unsigned>(state.range(0)));
  IcParams params;
  params.probability = ArcProbability::uniform(probability_of(state.range(2)));
  params.direction = state.range(3) == 0 ? Direction::kPush : Direction::kAuto;
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
  report_arcs(state, arcs, g.num_arcs());
  state.counters["spread"] = static_cast<double>(spread) / runs;
  state.counters["steps"] = static_cast<double>(steps) / runs;
  state.counters["pull_steps"] = static_cast<double>(pulls) / runs;
}

// Args: scale, threads, p * 1000, trials. 50 highest-degree seeds (as bench_fused_ic), parallel
// over trials, sequential trials with epoch-stamped scratch.
void BM_McThroughput(benchmark::State& state) {
  const Graph& g = rmat_graph(static_cast<unsigned>(state.range(0)));
  McOptions options;
  options.model = Model::kIc;
  options.ic.probability = ArcProbability::uniform(probability_of(state.range(2)));
  options.master_seed = kMaster;
  options.seeds = SeedSpec::top_degree(50);
  options.trials = static_cast<std::uint64_t>(state.range(3));
  options.parallelism = McParallelism::kOverTrials;
  options.engine = McEngine::kTrial;  // this benchmark measures the one-trial engine
  std::uint64_t arcs = 0, trials = 0;
  double mean = 0.0;
  for (auto _ : state) {
    const Estimate e = estimate_spread(g, options);
    options.first_trial += options.trials;  // fresh trials every iteration
    arcs += e.arcs_examined;
    trials += e.trials;
    mean = e.mean;
  }
  report_arcs(state, arcs, g.num_arcs());
  state.counters["trials_per_second"] =
      benchmark::Counter(static_cast<double>(trials), benchmark::Counter::kIsRate);
  state.counters["spread"] = mean;
}

// Args: scale, threads. Linear threshold, 1/in-degree influence, n/64 random seeds per trial
// (from one seed an LT cascade on R-MAT stays tiny: it would measure only the O(n) setup).
void BM_LtSingle(benchmark::State& state) {
  const Graph& g = rmat_graph(static_cast<unsigned>(state.range(0)));
  const LtModel model(g, LtParams{}, kMaster);
  LtScratch scratch;
  Cascade c;
  std::uint64_t arcs = 0, spread = 0, trial = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const auto seeds = random_seeds(g, g.num_vertices() / 64, kMaster, trial);
    state.ResumeTiming();
    run_lt(g, model, seeds, trial, scratch, c);
    arcs += c.arcs_examined;
    spread += c.spread();
    ++trial;
  }
  report_arcs(state, arcs, g.num_arcs());
  state.counters["spread"] = static_cast<double>(spread) / static_cast<double>(trial);
}

// Args: scale, threads. Timed IC, p = 0.1, log-normal delays (median 6 h), 48 h horizon,
// delta-stepping; arcs examined = out-arcs of the reached vertices.
void BM_TimedSingle(benchmark::State& state) {
  const Graph& g = rmat_graph(static_cast<unsigned>(state.range(0)));
  const LiveArcs live(g, ArcProbability::uniform(0.1), kMaster);
  const TimedOptions options{{DelayDistribution::kLogNormal, 6.0, 1.0}, 48.0, 0.0};
  std::uint64_t arcs = 0, reached = 0, trial = 0;
  for (auto _ : state) {
    const Vertex source = random_source(g, trial);
    const TimedCascade c =
        timed_cascade(g, live, std::span<const Vertex>(&source, 1), trial, options);
    state.PauseTiming();
    for (Vertex v = 0; v < g.num_vertices(); ++v)
      if (c.time[v] < options.horizon_hours) arcs += g.out_degree(v);
    state.ResumeTiming();
    reached += c.reached;
    ++trial;
  }
  report_arcs(state, arcs, g.num_arcs());
  state.counters["spread"] = static_cast<double>(reached) / static_cast<double>(trial);
}

void register_cases() {
  const auto& threads = config().threads;
  for (unsigned scale : config().scales) {
    register_scaled("ic_single", BM_IcSingle, {"p_milli", "auto"},
                    {{1000, 0}, {1000, 1}, {100, 0}, {100, 1}}, scale, threads);
    register_scaled("reference_bfs", BM_ReferenceBfs, {}, {}, scale, threads);
    register_scaled("mc_ic", BM_McThroughput, {"p_milli", "trials"}, {{50, 8}, {10, 8}}, scale,
                    threads);
    register_scaled("lt_single", BM_LtSingle, {}, {}, scale, threads);
    register_scaled("timed_single", BM_TimedSingle, {}, {}, scale, threads);
  }
}

}  // namespace

int main(int argc, char** argv) { return run_main(argc, argv, register_cases); }
