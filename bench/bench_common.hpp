#pragma once
// Shared by the bench_* executables: the suite's own flags, the R-MAT graph every kernel case
// runs on, and the arcs-per-second counter.
//
// Flags (removed before Google Benchmark parses the rest):
//   --scale=S | --scale=LO..HI | --scale=A,B,C   R-MAT scales (2^S vertices); default 20
//   --threads=1,2                                  thread counts; default 1 and all cores
//   --dir=D                                        scratch directory for files (default /tmp)
// Cases are registered scale-major, so only one scale's graph is in memory at a time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/generators.hpp"
#include "cascade/parallel.hpp"

namespace cascade::bench {

struct Config {
  std::vector<unsigned> scales{20};
  std::vector<std::size_t> threads;  // filled from max_threads() when not given
  std::string dir = std::filesystem::temp_directory_path().string();
};

inline Config& config() {
  static Config c;
  return c;
}

/// "20", "20..22" or "20,22" -> scales; "1,2" -> thread counts. Exits with a message if bad.
inline std::vector<std::uint64_t> parse_list(const std::string& flag, const std::string& text) {
  std::vector<std::uint64_t> values;
  const auto range = text.find("..");
  auto number = [&](const std::string& s) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v == 0) {
      std::cerr << "bench: " << flag << ": '" << s << "' is not a positive integer\n";
      std::exit(2);
    }
    return static_cast<std::uint64_t>(v);
  };
  if (range != std::string::npos) {
    const std::uint64_t lo = number(text.substr(0, range)), hi = number(text.substr(range + 2));
    for (std::uint64_t v = lo; v <= hi; ++v) values.push_back(v);
  } else {
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto comma = text.find(',', start);
      values.push_back(number(text.substr(start, comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return values;
}

/// Parses the suite's flags, lets register_cases() add the cases, runs them. Returns main's code.
inline int run_main(int argc, char** argv, void (*register_cases)()) {
  Config& c = config();
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--scale=", 0) == 0) {
      c.scales.clear();
      for (auto s : parse_list("--scale", arg.substr(8))) c.scales.push_back(unsigned(s));
    } else if (arg.rfind("--threads=", 0) == 0) {
      c.threads.clear();
      for (auto t : parse_list("--threads", arg.substr(10))) c.threads.push_back(t);
    } else if (arg.rfind("--dir=", 0) == 0) {
      c.dir = arg.substr(6);
    } else {
      argv[kept++] = argv[i];
    }
  }
  if (c.threads.empty()) {
    c.threads.push_back(1);
    if (max_threads() > 1) c.threads.push_back(max_threads());
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("cores", std::to_string(max_threads()));
  benchmark::AddCustomContext("cpu_model", cpu_model());  // every JSON names its machine
  register_cases();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

/// R-MAT 2^scale, edge factor 16, symmetrized (as GAPBS's -g and Graph500 make it), seed 1.
/// Built once and kept until another scale is asked for.
inline const Graph& rmat_graph(unsigned scale) {
  static unsigned cached_scale = 0;
  static std::unique_ptr<Graph> graph;
  if (!graph || cached_scale != scale) {
    graph.reset();  // free the previous scale first
    RmatParams params;
    params.scale = scale;
    params.edge_factor = 16;
    graph = std::make_unique<Graph>(
        build_csr(generate_rmat(params, 1), BuildOptions{.symmetrize = true}));
    cached_scale = scale;
  }
  return *graph;
}

/// items_per_second = arcs examined per second; counter arcs = the graph's arcs (the x axis of
/// the scaling plot).
inline void report_arcs(benchmark::State& state, std::uint64_t arcs_examined,
                        std::uint64_t graph_arcs) {
  state.SetItemsProcessed(static_cast<std::int64_t>(arcs_examined));
  state.counters["arcs"] = static_cast<double>(graph_arcs);
}

/// Registers fn once per (scale, threads) with args {scale, threads, extra...}; the name reads
/// name/scale:S/threads:T/... in the JSON. fn runs under ThreadLimit(threads).
template <class Fn>
void register_scaled(const std::string& name, Fn fn, const std::vector<std::string>& extra_names,
                     const std::vector<std::vector<std::int64_t>>& extra_args, unsigned scale,
                     const std::vector<std::size_t>& threads) {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [fn](benchmark::State& state) {
    ThreadLimit limit(static_cast<std::size_t>(state.range(1)));
    fn(state);
  });
  std::vector<std::string> names{"scale", "threads"};
  names.insert(names.end(), extra_names.begin(), extra_names.end());
  b->ArgNames(names)->Unit(benchmark::kMillisecond)->UseRealTime();
  for (const auto& extra :
       extra_args.empty() ? std::vector<std::vector<std::int64_t>>{{}} : extra_args)
    for (std::size_t t : threads) {
      std::vector<std::int64_t> args{scale, static_cast<std::int64_t>(t)};
      args.insert(args.end(), extra.begin(), extra.end());
      b->Args(args);
    }
}

}  // namespace cascade::bench
