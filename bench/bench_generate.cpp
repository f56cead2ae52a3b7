// Graph construction at 2^scale vertices, 16 * 2^scale generated edges, per thread count:
//  - rmat: R-MAT generation alone (Graph500 parameters);
//  - build: build_csr of that edge list, symmetrized (the list is made once, outside the timing);
//  - rmat_build: both, as `cascade generate rmat` does (the "generated and built");
//  - er, ba: Erdos-Renyi G(n, m) and Barabasi-Albert with the same edge count.
//
//   bench_generate [--scale=20..22] [--threads=1,2] [--benchmark_out=gen.json]
//
// items_per_second = generated edges per second; counter arcs = arcs of the built graph.
#include "bench_common.hpp"

using namespace cascade;
using namespace cascade::bench;

namespace {

constexpr std::uint64_t kSeed = 1;

EdgeList rmat_list(const benchmark::State& state) {
  RmatParams params;
  params.scale = static_cast<unsigned>(state.range(0));
  params.edge_factor = 16;
  return generate_rmat(params, kSeed);
}

std::uint64_t vertices(const benchmark::State& state) { return std::uint64_t{1} << state.range(0); }

template <class Generate>
void run_generator(benchmark::State& state, Generate generate) {
  std::uint64_t edges = 0;
  for (auto _ : state) {
    const EdgeList list = generate();
    edges += list.edges.size();
    benchmark::DoNotOptimize(list.edges.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(edges));
}

void rmat(benchmark::State& state) {
  run_generator(state, [&] { return rmat_list(state); });
}

void build(benchmark::State& state) {
  const EdgeList list = rmat_list(state);
  std::uint64_t arcs = 0;
  for (auto _ : state) {
    const Graph g = build_csr(list, BuildOptions{.symmetrize = true});
    arcs = g.num_arcs();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * list.edges.size()));
  state.counters["arcs"] = static_cast<double>(arcs);
}

void rmat_build(benchmark::State& state) {
  std::uint64_t edges = 0, arcs = 0;
  for (auto _ : state) {
    const EdgeList list = rmat_list(state);
    edges += list.edges.size();
    arcs = build_csr(list, BuildOptions{.symmetrize = true}).num_arcs();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(edges));
  state.counters["arcs"] = static_cast<double>(arcs);
}

void er(benchmark::State& state) {
  run_generator(state,
                [&] { return generate_erdos_renyi(vertices(state), 16 * vertices(state), kSeed); });
}

void ba(benchmark::State& state) {
  run_generator(state, [&] { return generate_barabasi_albert(vertices(state), 16, kSeed); });
}

void register_cases() {
  for (unsigned scale : config().scales) {
    register_scaled("rmat", rmat, {}, {}, scale, config().threads);
    register_scaled("build", build, {}, {}, scale, config().threads);
    register_scaled("rmat_build", rmat_build, {}, {}, scale, config().threads);
    register_scaled("er", er, {}, {}, scale, config().threads);
    register_scaled("ba", ba, {}, {}, scale, config().threads);
  }
}

}  // namespace

int main(int argc, char** argv) { return run_main(argc, argv, register_cases); }
