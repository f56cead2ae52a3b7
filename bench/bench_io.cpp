// Graph file speed on R-MAT 2^scale (edge factor 16, symmetrized: about 2^scale * 30 arcs):
// .csr write, .csr load (mmap + XXH3 checksum + validation, and without the checksum),
// edge-list parse, edge-list write, and text -> Graph (parse + build_csr).
//
//   bench_io [--scale=20] [--dir=/tmp] [google benchmark flags, e.g. --benchmark_out=io.json]
//
// bytes_per_second = file bytes; items_per_second = arcs (edge-list lines). Files are in the
// page cache after the first iteration, so load times are mmap + checks, not disk reads.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "cascade/builder.hpp"
#include "cascade/generators.hpp"
#include "cascade/io.hpp"

using namespace cascade;
namespace fs = std::filesystem;

namespace {

unsigned g_scale = 20;
std::string g_dir = fs::temp_directory_path().string();

// The graph and its files, made once and removed at exit.
struct Fixture {
  Graph graph;
  std::string csr, text;
  std::uint64_t csr_bytes = 0, text_bytes = 0, text_lines = 0;
  Fixture() {
    RmatParams params;
    params.scale = g_scale;
    params.edge_factor = 16;
    graph = build_csr(generate_rmat(params, 1));
    const std::string stem = g_dir + "/bench_io-" + std::to_string(::getpid());
    csr = stem + ".csr";
    text = stem + ".el";
    write_csr(graph, csr);
    write_edge_list(graph, text);
    csr_bytes = fs::file_size(csr);
    text_bytes = fs::file_size(text);
    text_lines = graph.num_arcs();
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove(csr, ec);
    fs::remove(text, ec);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void report(benchmark::State& state, std::uint64_t bytes, std::uint64_t items) {
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
  state.SetItemsProcessed(static_cast<std::int64_t>(items * state.iterations()));
  state.counters["arcs"] = static_cast<double>(fixture().graph.num_arcs());
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_WriteCsr(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string out = f.csr + ".out";
  for (auto _ : state) write_csr(f.graph, out);
  fs::remove(out);
  report(state, f.csr_bytes, f.graph.num_arcs());
}

void BM_LoadCsr(benchmark::State& state) {
  Fixture& f = fixture();
  LoadOptions options;
  options.verify_checksum = state.range(0) != 0;
  for (auto _ : state) {
    const Graph g = load_csr(f.csr, options);
    benchmark::DoNotOptimize(g.num_arcs());
  }
  report(state, f.csr_bytes, f.graph.num_arcs());
}

void BM_ReadEdgeList(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    const EdgeList list = read_edge_list(f.text);
    benchmark::DoNotOptimize(list.edges.data());
  }
  report(state, f.text_bytes, f.text_lines);
}

void BM_WriteEdgeList(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string out = f.text + ".out";
  for (auto _ : state) write_edge_list(f.graph, out);
  fs::remove(out);
  report(state, f.text_bytes, f.text_lines);
}

void BM_LoadTextGraph(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    const Graph g = load_graph(f.text);
    benchmark::DoNotOptimize(g.num_arcs());
  }
  report(state, f.text_bytes, f.text_lines);
}

}  // namespace

BENCHMARK(BM_WriteCsr)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadCsr)->ArgName("verify")->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadEdgeList)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_WriteEdgeList)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadTextGraph)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
  // --scale=S and --dir=D (our own flags) are removed before Google Benchmark parses the rest.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--scale=", 8) == 0)
      g_scale = static_cast<unsigned>(std::strtoul(argv[i] + 8, nullptr, 10));
    else if (std::strncmp(argv[i], "--dir=", 6) == 0)
      g_dir = argv[i] + 6;
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
