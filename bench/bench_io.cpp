// Graph file speed on R-MAT 2^scale (edge factor 16, symmetrized: about 2^scale * 30 arcs):
// .csr write, .csr load (mmap + XXH3 checksum + validation, and without the checksum),
// edge-list parse, edge-list write, and text -> Graph (parse + build_csr).
//
//   bench_io [--scale=20..22] [--threads=1,2] [--dir=/tmp] [--benchmark_out=io.json]
//
// bytes_per_second = file bytes; items_per_second = arcs (edge-list lines). Files are in the
// page cache after the first iteration, so load times are mmap + checks, not disk reads.
#include <unistd.h>

#include "bench_common.hpp"
#include "cascade/io.hpp"

using namespace cascade;
using namespace cascade::bench;
namespace fs = std::filesystem;

namespace {

// The graph and its files, made once and removed at exit.
struct Fixture {
  unsigned scale;
  const Graph& graph;
  std::string csr, text;
  std::uint64_t csr_bytes = 0, text_bytes = 0, text_lines = 0;
  explicit Fixture(unsigned s) : scale(s), graph(rmat_graph(s)) {
    const std::string stem =
        config().dir + "/bench_io-" + std::to_string(::getpid()) + "-" + std::to_string(s);
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

// One scale's files at a time (cases run scale-major).
Fixture& fixture(const benchmark::State& state) {
  static std::unique_ptr<Fixture> f;
  const auto scale = static_cast<unsigned>(state.range(0));
  if (!f || f->scale != scale) {
    f.reset();
    f = std::make_unique<Fixture>(scale);
  }
  return *f;
}

void report(benchmark::State& state, const Fixture& f, std::uint64_t bytes, std::uint64_t items) {
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
  state.SetItemsProcessed(static_cast<std::int64_t>(items * state.iterations()));
  state.counters["arcs"] = static_cast<double>(f.graph.num_arcs());
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_WriteCsr(benchmark::State& state) {
  Fixture& f = fixture(state);
  const std::string out = f.csr + ".out";
  for (auto _ : state) write_csr(f.graph, out);
  fs::remove(out);
  report(state, f, f.csr_bytes, f.graph.num_arcs());
}

void BM_LoadCsr(benchmark::State& state) {
  Fixture& f = fixture(state);
  LoadOptions options;
  options.verify_checksum = state.range(2) != 0;
  for (auto _ : state) {
    const Graph g = load_csr(f.csr, options);
    benchmark::DoNotOptimize(g.num_arcs());
  }
  report(state, f, f.csr_bytes, f.graph.num_arcs());
}

void BM_ReadEdgeList(benchmark::State& state) {
  Fixture& f = fixture(state);
  for (auto _ : state) {
    const EdgeList list = read_edge_list(f.text);
    benchmark::DoNotOptimize(list.edges.data());
  }
  report(state, f, f.text_bytes, f.text_lines);
}

void BM_WriteEdgeList(benchmark::State& state) {
  Fixture& f = fixture(state);
  const std::string out = f.text + ".out";
  for (auto _ : state) write_edge_list(f.graph, out);
  fs::remove(out);
  report(state, f, f.text_bytes, f.text_lines);
}

void BM_LoadTextGraph(benchmark::State& state) {
  Fixture& f = fixture(state);
  for (auto _ : state) {
    const Graph g = load_graph(f.text);
    benchmark::DoNotOptimize(g.num_arcs());
  }
  report(state, f, f.text_bytes, f.text_lines);
}

void register_cases() {
  for (unsigned scale : config().scales) {
    register_scaled("csr_write", BM_WriteCsr, {}, {}, scale, config().threads);
    register_scaled("csr_load", BM_LoadCsr, {"verify"}, {{1}, {0}}, scale, config().threads);
    register_scaled("el_read", BM_ReadEdgeList, {}, {}, scale, config().threads);
    register_scaled("el_write", BM_WriteEdgeList, {}, {}, scale, config().threads);
    register_scaled("el_load_graph", BM_LoadTextGraph, {}, {}, scale, config().threads);
  }
}

}  // namespace

int main(int argc, char** argv) { return run_main(argc, argv, register_cases); }
