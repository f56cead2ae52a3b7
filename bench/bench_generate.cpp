// Graph generators: R-MAT alone and R-MAT + build_csr (symmetrized) at scale 18..22, and the
// other generators at about 16M edges, each with 1 and 2 threads.
//
//   bench_generate [google benchmark flags, e.g. --benchmark_filter=Rmat --benchmark_out=gen.json]
//
// items_per_second = generated edges per second (before cleaning); counter arcs = arcs of the
// built graph.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "cascade/builder.hpp"
#include "cascade/generators.hpp"
#include "cascade/parallel.hpp"

using namespace cascade;

namespace {

constexpr std::uint64_t kSeed = 1;

RmatParams rmat_params(const benchmark::State& state) {
  RmatParams params;
  params.scale = static_cast<unsigned>(state.range(0));
  params.edge_factor = 16;
  return params;
}

void BM_Rmat(benchmark::State& state) {
  ThreadLimit limit(static_cast<std::size_t>(state.range(1)));
  std::uint64_t edges = 0;
  for (auto _ : state) {
    const EdgeList list = generate_rmat(rmat_params(state), kSeed);
    edges += list.edges.size();
    benchmark::DoNotOptimize(list.edges.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(edges));
}

void BM_RmatBuild(benchmark::State& state) {
  ThreadLimit limit(static_cast<std::size_t>(state.range(1)));
  std::uint64_t edges = 0, arcs = 0;
  for (auto _ : state) {
    const EdgeList list = generate_rmat(rmat_params(state), kSeed);
    const Graph graph = build_csr(list);
    edges += list.edges.size();
    arcs = graph.num_arcs();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(edges));
  state.counters["arcs"] = static_cast<double>(arcs);
}

// Runs one generator under a thread limit of state.range(0), counting its edges.
template <class Generate>
void run_generator(benchmark::State& state, Generate generate) {
  ThreadLimit limit(static_cast<std::size_t>(state.range(0)));
  std::uint64_t edges = 0;
  for (auto _ : state) {
    const EdgeList list = generate();
    edges += list.edges.size();
    benchmark::DoNotOptimize(list.edges.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(edges));
}

constexpr std::uint64_t kN = std::uint64_t{1} << 20;

void BM_ErdosRenyi(benchmark::State& state) {
  run_generator(state, [] { return generate_erdos_renyi(kN, 16 * kN, kSeed); });
}
void BM_BarabasiAlbert(benchmark::State& state) {
  run_generator(state, [] { return generate_barabasi_albert(kN, 16, kSeed); });
}
void BM_WattsStrogatz(benchmark::State& state) {
  run_generator(state, [] { return generate_watts_strogatz(kN, 32, 0.1, kSeed); });
}
void BM_ChungLu(benchmark::State& state) {
  run_generator(state, [] { return generate_chung_lu(kN, 32.0, 2.5, kSeed); });
}

}  // namespace

BENCHMARK(BM_Rmat)
    ->ArgsProduct({{18, 19, 20, 21, 22}, {1, 2}})
    ->ArgNames({"scale", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RmatBuild)
    ->ArgsProduct({{18, 19, 20, 21, 22}, {1, 2}})
    ->ArgNames({"scale", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ErdosRenyi)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_BarabasiAlbert)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_WattsStrogatz)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ChungLu)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
