// cascade generate MODEL [params] -o FILE: a synthetic graph, built into CSR and saved in the
// format of FILE's extension (.csr binary, .el/.txt edge list, .mtx Matrix Market).
// Deterministic: the same (MODEL, params, --seed) give a byte-identical file for any --threads.
#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "cascade/builder.hpp"
#include "cascade/memory.hpp"
#include "cascade/parallel.hpp"
#include "cli.hpp"
#include "grammar.hpp"
#include "graph_util.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace cascade::cli {
namespace {

struct GenerateOptions {
  CommonOptions common;
  GeneratorFlags gen;
  std::string output;
  std::string json;  // "" none; "-" stdout; else a file: what was written
  std::string weights = "";
};

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int run_generate(const GenerateOptions& o) {
  const auto weights = o.weights.empty() ? WeightSpec{} : WeightSpec::parse(o.weights, "--weights");
  ThreadLimit limit(o.common.threads);
  check_generator_flags(o.gen);
  check_graph_output(o.output);
  check_distinct_outputs({{"--output", o.output}, {"--json", o.json}});
  // Refuse before generating anything what cannot fit (e.g. rmat --scale 31): the estimate
  // covers the edge list, the CSR build and the weighted copy (--max-memory overrides the limit).
  require_memory(generator_memory(o.gen, weights.assigns_weights()),
                 "generate " + describe_generator(o.gen));
  Progress progress("generating " + describe_generator(o.gen), 0, Progress::wanted(o.common.quiet));

  auto t = std::chrono::steady_clock::now();
  EdgeList el = run_generator(o.gen, o.common.seed);
  const double gen_s = since(t);

  progress.phase(fmt::format("building CSR from {} edges", grouped(el.edges.size())));
  t = std::chrono::steady_clock::now();
  Graph g = build_csr(el, {});
  el = EdgeList{};  // free the list before writing
  g = apply_weights(g, weights, o.common.seed);
  const double build_s = since(t);

  progress.phase("writing " + o.output);
  t = std::chrono::steady_clock::now();
  write_graph_file(g, o.output);
  const double write_s = since(t);
  progress.finish();
  write_summary_json(o.json, "generate", g, o.output,
                     {{"model", o.gen.model},
                      {"seed", o.common.seed},
                      {"seconds", {{"generate", gen_s}, {"build", build_s}, {"write", write_s}}}});

  note(o.common, fmt::format("wrote {}: {} vertices, {} arcs (generate {:.2f} s, build {:.2f} s, "
                             "write {:.2f} s)",
                             o.output, grouped(g.num_vertices()), grouped(g.num_arcs()), gen_s,
                             build_s, write_s));
  return 0;
}

}  // namespace

Runner add_generate(CLI::App& app) {
  auto o = std::make_shared<GenerateOptions>();
  auto* sub = app.add_subcommand(
      "generate", "Generate a synthetic graph (rmat, er, ba, ws, chunglu) and save it");
  sub->footer(
      "Generate a synthetic graph and save it (format from the extension of -o).\n"
      "Models: rmat (R-MAT/Kronecker, Graph500 a=.57 b=c=.19), er (Erdos-Renyi G(n,m)), "
      "ba (Barabasi-Albert), ws (Watts-Strogatz), chunglu (Chung-Lu power law).\n"
      "Undirected by default: each edge is stored as two arcs; self loops and duplicate arcs "
      "are dropped. Example: cascade generate rmat --scale 20 --edge-factor 16 -o g.csr");
  sub->add_option("MODEL", o->gen.model, "rmat, er, ba, ws or chunglu")->required();
  sub->add_option("-o,--output", o->output,
                  "output file: .csr (binary), .el/.wel/.txt (edge list), .mtx (Matrix Market); "
                  "'-': an edge list on stdout")
      ->required();
  add_json_option(sub, o->json, "what was written (vertices, arcs, seconds)");
  add_generator_options(sub, o->gen);
  sub->add_option("--weights", o->weights, kWeightsHelp);
  add_common_options(sub, o->common, "generator seed (default 1)");
  return [o] {
    o->gen.model = canonical_model(o->gen.model);
    return run_generate(*o);
  };
}

}  // namespace cascade::cli
