// cascade convert IN OUT: between SNAP/GAPBS edge lists (.el/.wel/.txt...), Matrix Market
// (.mtx/.mm) and the binary .csr format, in any direction (formats from the extensions).
#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "cascade/builder.hpp"
#include "cascade/parallel.hpp"
#include "cli.hpp"
#include "grammar.hpp"
#include "graph_util.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace cascade::cli {
namespace {

struct ConvertOptions {
  CommonOptions common;
  std::string input, output;
  std::string json;  // "" none; "-" stdout; else a file: what was written
  DirectionFlags reading;
  bool keep_self_loops = false;
  bool keep_duplicates = false;
  bool no_verify = false;
  std::string weights;
};

int run_convert(const ConvertOptions& o) {
  const auto weights = o.weights.empty() ? WeightSpec{} : WeightSpec::parse(o.weights, "--weights");
  check_graph_output(o.output);
  check_distinct_outputs({{"OUT", o.output}, {"--json", o.json}});
  ThreadLimit limit(o.common.threads);
  const auto start = std::chrono::steady_clock::now();
  Progress progress("reading " + o.input, 0, Progress::wanted(o.common.quiet));

  LoadOptions load = load_options(o.reading, weights.read_rule());
  load.verify_checksum = !o.no_verify;
  load.build.drop_self_loops = !o.keep_self_loops;
  load.build.drop_duplicates = !o.keep_duplicates;
  Graph g = load_input(o.input, load);
  // A .csr file is loaded as stored (already without self loops or duplicates, unless it was
  // written so): rebuild it when it has to become symmetric.
  if (format_from_path(o.input) == FileFormat::kCsr && o.reading.undirected && !g.is_symmetric()) {
    progress.phase("building CSR");
    g = build_csr(to_edge_list(g), load.build);
  }
  g = apply_weights(g, weights, o.common.seed);

  progress.phase("writing " + o.output);
  write_graph_file(g, o.output);
  progress.finish();
  write_summary_json(
      o.json, "convert", g, o.output,
      {{"input", o.input},
       {"seconds",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}});
  note(
      o.common,
      fmt::format("wrote {}: {} vertices, {} arcs{}{} ({:.2f} s)", o.output,
                  grouped(g.num_vertices()), grouped(g.num_arcs()),
                  g.is_symmetric() ? ", symmetric" : "", g.has_weights() ? ", weighted" : "",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));
  return 0;
}

}  // namespace

Runner add_convert(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  auto* sub =
      app.add_subcommand("convert", "Convert a graph between edge list, Matrix Market and .csr");
  sub->footer(
      "Convert a graph between formats, chosen by extension: .csr (binary, checksummed), "
      ".mtx/.mm (Matrix Market coordinate), anything else an edge list ('src dst [weight]' "
      "lines, '#'/'%' comments; SNAP and GAPBS .el/.wel). Self loops and duplicate arcs are "
      "dropped unless asked otherwise. Example: cascade convert edges.txt g.csr");
  sub->add_option("IN", o->input, "input graph file")->required();
  sub->add_option("OUT", o->output, "output graph file ('-': an edge list on stdout)")->required();
  add_json_option(sub, o->json, "what was written (vertices, arcs, seconds)");
  add_direction_options(sub, o->reading);
  sub->add_flag("--keep-self-loops", o->keep_self_loops, "keep arcs u->u");
  sub->add_flag("--keep-duplicates", o->keep_duplicates,
                "keep repeated arcs (default: one arc, the largest weight)");
  sub->add_flag("--no-verify", o->no_verify, ".csr input: skip the XXH3 checksum check");
  sub->add_option("--weights", o->weights, kWeightsHelp);
  add_common_options(sub, o->common, "seed of --weights random (default 1)");
  return [o] { return run_convert(*o); };
}

}  // namespace cascade::cli
