// cascade mobilize SCENARIO.json: the virality-vs-incentive comparison. Runs every regime of the
// scenario on one network with common random numbers (kernels/mobilize.hpp), prints the regimes
// side by side, and writes the JSON report, the curves as CSV, and PNG figures (tools/plot.py).
// Under mpirun every rank builds (or maps) the same network and runs a block of the trials; rank
// 0 gathers them, and alone shows progress and writes output (distributed.hpp).
#include "cascade/mobilize.hpp"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/mobilize_report.hpp"
#include "cascade/parallel.hpp"
#include "cascade/scenario_file.hpp"
#include "cascade/seed_choice.hpp"
#include "cascade/trees_csv.hpp"
#include "cli.hpp"
#include "distributed.hpp"
#include "grammar.hpp"
#include "graph_util.hpp"
#include "output.hpp"
#include "plot_runner.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace cascade::cli {
namespace {

struct MobilizeCliOptions {
  CommonOptions common;
  std::string scenario;
  std::string graph;
  DirectionFlags reading;  // --undirected / --directed (a graph file: --graph or the scenario's)
  std::string weights;     // --weights RULE for that file
  std::string generator;
  std::uint64_t vertices = 0;
  double degree = 0;
  double gamma = 0;
  unsigned scale = 0;
  unsigned edge_factor = 0;
  double beta = -1;
  std::uint64_t edges = 0;
  std::uint64_t network_seed = 0;
  std::uint64_t trials = 0;
  double horizon = 0;
  std::string json, csv, plot, trees;
  std::string plot_format = "png";
  std::uint64_t choose_seeds = 0;
  std::string objective = "recruits";
  std::uint64_t seed_pool = 0;
  CLI::App* app = nullptr;
};

constexpr const char* kNetworkFlags[] = {"--generator", "--vertices", "--degree",
                                         "--gamma",     "--scale",    "--edge-factor",
                                         "--beta",      "--edges",    "--network-seed"};

// Every rank's text, concatenated in rank order on rank 0 (empty elsewhere); each part after the
// first has its leading `header` removed.
std::string gather_text(const Communicator& comm, const std::string& mine,
                        const std::string& header) {
  const auto* bytes = reinterpret_cast<const std::byte*>(mine.data());
  std::string all;
  for (const auto& part : comm.gather({bytes, mine.size()}, /*to_all=*/false)) {
    std::string text(reinterpret_cast<const char*>(part.data()), part.size());
    all += all.empty() ? text : text.substr(header.size());
  }
  return all;
}

// The scenario file's name of a generator (the registry's scenario_name).
std::string scenario_generator_name(const std::string& cli_name) {
  return std::string(find_generator(canonical_model(cli_name)).scenario_name);
}

// Applies the generator flags to the scenario's network; UsageError for a flag that does not
// fit the (possibly overridden) generator.
void apply_network_flags(const MobilizeCliOptions& o, NetworkSpec& n) {
  CLI::App& app = *o.app;
  if (app.count("--generator")) n.generator = scenario_generator_name(o.generator);
  const std::string& gen = n.generator;
  auto need = [&](const char* flag, std::initializer_list<const char*> gens) {
    if (!app.count(flag)) return false;
    for (const char* g : gens)
      if (gen == g) return true;
    throw UsageError(fmt::format("{} does not apply to the network generator '{}'", flag, gen));
  };
  if (need("--vertices", {"chung-lu", "barabasi-albert", "watts-strogatz", "erdos-renyi"}))
    n.vertices = o.vertices;
  if (need("--degree", {"chung-lu", "barabasi-albert", "watts-strogatz", "erdos-renyi"})) {
    if (gen == "chung-lu")
      n.mean_degree = o.degree;
    else if (gen == "erdos-renyi")
      n.edges =
          static_cast<std::uint64_t>(std::llround(static_cast<double>(n.vertices) * o.degree / 2));
    else {
      if (o.degree != std::floor(o.degree))
        throw UsageError(fmt::format("--degree {}: {} needs a whole number", o.degree, gen));
      (gen == "barabasi-albert" ? n.degree : n.k) = static_cast<std::uint64_t>(o.degree);
    }
  }
  if (need("--gamma", {"chung-lu"})) n.gamma = o.gamma;
  if (need("--scale", {"rmat"})) n.scale = o.scale;
  if (need("--edge-factor", {"rmat"})) n.edge_factor = o.edge_factor;
  if (need("--beta", {"watts-strogatz"})) n.beta = o.beta;
  if (need("--edges", {"erdos-renyi"})) n.edges = o.edges;
  if (app.count("--network-seed")) n.seed = o.network_seed;
}

// --choose-seeds: the seed choice report (cascade/seed_choice.hpp) as a table and JSON.
int report_seed_choice(const MobilizeCliOptions& o, const Scenario& s, const Graph& g) {
  SeedChoiceOptions so;
  so.k = o.choose_seeds;
  so.objective = o.objective == "targets" ? SeedObjective::kTargets : SeedObjective::kRecruits;
  so.pool = o.seed_pool;
  so.trials = s.trials;
  so.threads = o.common.threads;
  note(o.common, fmt::format("choosing {} seeds per regime ({}) ...", so.k, o.objective));
  const SeedChoiceReport r = choose_seeds(g, s, so);
  const bool share = so.objective == SeedObjective::kTargets;  // a probability, not a count
  nlohmann::ordered_json j;
  j["schema"] = schema_json("seed-choice", 1);
  j["scenario"] = s.name;
  j["vertices"] = g.num_vertices();
  j["objective"] = o.objective;
  j["k"] = r.k;
  j["pool"] = {{"kind", "top-degree"}, {"size", r.pool}};
  j["method"] = r.lazy ? "lazy-greedy" : "greedy";
  j["trials"] = r.trials;
  j["master_seed"] = s.master_seed;
  j["regimes"] = nlohmann::ordered_json::array();
  for (const RegimeSeedChoice& c : r.regimes)
    j["regimes"].push_back({{"name", c.regime},
                            {"seeds", c.seeds},
                            {"gains", c.gains},
                            {"chosen", c.chosen},
                            {"top_degree", c.top_degree},
                            {"random", c.random},
                            {"gain_over_top_degree", c.chosen - c.top_degree},
                            {"gain_over_random", c.chosen - c.random},
                            {"evaluations", c.evaluations}});
  j["cost"] = {{"simulations", r.simulations},
               {"seconds", r.seconds},
               {"beliefs_seconds", r.beliefs_seconds}};
  if (!o.json.empty()) write_text_file(o.json, json_text(j));
  if (o.json == "-") return 0;
  auto value = [share](double x) { return share ? number(x, 3) : number(x, 6); };
  fmt::print(
      "{}: {} seeds per regime maximizing {} by {} h ({} over the top {} by degree, {} "
      "trials)\n\n",
      s.name, r.k, share ? "P(all targets found)" : "expected recruits", s.horizon_hours,
      r.lazy ? "lazy greedy" : "greedy", r.pool, r.trials);
  Table t({"regime", "chosen seeds", "chosen", "top-degree", "random", "gain vs top",
           "gain vs "
           "random"});
  for (const RegimeSeedChoice& c : r.regimes) {
    std::string ids;
    for (Vertex v : c.seeds) ids += (ids.empty() ? "" : " ") + std::to_string(v);
    t.add({c.regime, ids, value(c.chosen), value(c.top_degree), value(c.random),
           value(c.chosen - c.top_degree), value(c.chosen - c.random)});
  }
  std::fputs(t.str().c_str(), stdout);
  fmt::print("\ncost: {} simulations, {:.2f} s (beliefs {:.2f} s)\n", grouped(r.simulations),
             r.seconds, r.beliefs_seconds);
  return 0;
}

int run_mobilize(MobilizeCliOptions& o, const Communicator& comm) {
  CLI::App& app = *o.app;
  if (app.count("--objective") && !app.count("--choose-seeds"))
    throw UsageError("--objective applies to --choose-seeds only");
  if (app.count("--seed-pool") && !app.count("--choose-seeds"))
    throw UsageError("--seed-pool applies to --choose-seeds only");
  if (app.count("--choose-seeds")) {
    if (o.choose_seeds == 0) throw UsageError("--choose-seeds 0: choose at least one seed");
    for (const char* f : {"--csv", "--trees", "--plot"})
      if (app.count(f)) throw UsageError(fmt::format("{} does not apply to --choose-seeds", f));
    if (comm.size() > 1)
      throw UsageError("--choose-seeds runs in one process (not split over MPI ranks)");
  }
  const bool root = comm.rank() == 0;
  if (!root) o.common.quiet = true;  // one progress bar: rank 0's
  check_distinct_outputs({{"--json", o.json}, {"--csv", o.csv}, {"--trees", o.trees}});
  bool network_flags = false;
  for (const char* f : kNetworkFlags) network_flags = network_flags || app.count(f) > 0;
  if (!o.graph.empty() && network_flags)
    throw UsageError(
        "--graph and the generator flags (--generator, --vertices, ...) exclude "
        "each other");

  Scenario s = read_scenario(o.scenario);
  if (s.query.enabled)
    throw UsageError(o.scenario +
                     ": a query_incentive scenario runs on random trees: use "
                     "'cascade sweep " +
                     o.scenario + " --set query_incentive.KEY=...'");
  apply_network_flags(o, s.network);
  // How the graph file is read (--graph, or the scenario's 'file' network).
  for (const char* f : {"--weights", "--undirected", "--directed"})
    if (app.count(f) && o.graph.empty() && s.network.generator != "file")
      throw UsageError(fmt::format("{} applies to a graph file (--graph or a 'file' network)", f));
  if (app.count("--weights")) s.network.weights = parse_weight_rule(o.weights, "--weights").name();
  if (o.reading.undirected) s.network.undirected = true;
  if (o.reading.directed) s.network.undirected = false;
  if (app.count("--seed")) s.master_seed = o.common.seed;
  if (o.trials) s.trials = o.trials;
  if (o.horizon > 0) s.horizon_hours = o.horizon;
  check_scenario_limits(s);  // again: --trials and --horizon change the sizes

  // Fail before the long run when the plot cannot be drawn.
  std::string python, script;
  if (!o.plot.empty() && root) {
    python = find_plot_python();
    script = find_plot_script();
  }

  ThreadLimit limit(o.common.threads);
  Progress progress("building the network (" + s.network.generator + ")", 0,
                    show_progress(o.common.quiet, comm));
  const auto t0 = std::chrono::steady_clock::now();
  Graph g;
  if (!o.graph.empty()) {
    g = load_input(o.graph, network_load_options(s.network));
    s.network.generator = "file";
    s.network.path = o.graph;
  } else if (network_flags) {
    g = build_scenario_network(s);  // InvalidArgument here: a bad flag value (exit 2)
  } else {
    try {
      g = build_scenario_network(s);
    } catch (const InvalidArgument& e) {  // the scenario's own values: a file problem
      throw FileError(fmt::format("{}: network: {}", o.scenario, e.what()));
    }
  }
  // Ranks with different graphs, scenarios or flags must not merge their trials.
  if (comm.size() > 1)
    require_same_inputs(
        comm, text_fingerprint(scenario_to_json(s) + command_line(), graph_fingerprint(g)),
        "graph, scenario and parameters");
  const double network_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  note(o.common, fmt::format("network: {} vertices, {} arcs ({:.1f} s); running {} regimes x {} "
                             "trials{}",
                             grouped(g.num_vertices()), grouped(g.num_arcs()), network_s,
                             s.regimes.empty() ? 2 : s.regimes.size(), s.trials,
                             comm.size() > 1 ? fmt::format(" on {} ranks", comm.size()) : ""));

  if (app.count("--choose-seeds")) {
    progress.finish();
    return report_seed_choice(o, s, g);
  }
  progress.phase(fmt::format("simulating {} ({} trials)", s.name, s.trials), 1);
  MobilizeOptions mopts;
  mopts.trials = s.trials;
  mopts.threads = o.common.threads;
  mopts.progress = [&progress](double f) { progress.set_fraction(f); };
  mopts.communicator = &comm;
  std::string trees;  // this rank's rows; rank 0 gathers them (contiguous blocks: trial order)
  if (!o.trees.empty())
    mopts.on_tree = [&trees, &s, &g](const TrialTree& t) {
      append_trees_csv(trees, t, s.regimes[t.regime].name, g.labels().get());
    };
  MobilizationReport report = mobilize(g, s, mopts);
  if (!o.trees.empty())
    trees = gather_text(comm, trees_csv_header(g.has_labels()) + trees,
                        trees_csv_header(g.has_labels()));
  report.network_seconds = network_s;
  progress.finish();
  if (!root) return 0;  // rank 0 gathered every trial and reports

  // stdout carries the machine output when one of them is "-"; -q with files: no table
  if (table_wanted(o.common.quiet, {o.json, o.csv, o.trees, o.plot})) {
    std::fputs(format_table(report).c_str(), stdout);  // warnings under the table
    std::fflush(stdout);
  } else {  // a warning is never silenced
    for (const std::string& w : report.warnings) fmt::print(stderr, "cascade: warning: {}\n", w);
  }

  write_text_files({{o.json, o.json.empty() ? "" : to_json(report)},
                    {o.csv, o.csv.empty() ? "" : to_csv(report)},
                    {o.trees, trees}});  // all or none
  if (!o.plot.empty()) {
    std::vector<std::string> csv_arg;
    if (!o.csv.empty() && o.csv != "-") csv_arg = {"--csv", o.csv};
    plot_json_report(python, script, to_json(report), o.json, o.plot, "mobilize.json",
                     o.plot_format, o.common.quiet, csv_arg);
  }
  return 0;
}

}  // namespace

Runner add_mobilize(CLI::App& app) {
  auto o = std::make_shared<MobilizeCliOptions>();
  auto* sub = app.add_subcommand(
      "mobilize",
      "Virality vs incentive-weighted recruitment on a scenario: table, JSON, CSV, plots");
  sub->footer(
      "Virality vs incentive-weighted recruitment: run the regimes of a scenario (JSON, see "
      "data/scenarios/README.md) on one network with common random numbers; print them side by "
      "side; write JSON, CSV and plots. The network comes from the scenario, from --graph, or "
      "from the generator flags (which override the scenario's). "
      "Example: cascade mobilize data/scenarios/red-balloon-2009.json --plot plots/. Under "
      "mpirun / srun (MPI build) the trials are split over the ranks with the same results; rank "
      "0 writes the output.");
  o->app = sub;
  sub->add_option("SCENARIO", o->scenario, "scenario file (JSON)")->required();
  auto* graph = sub->add_option("--graph", o->graph, "run on this graph file instead");
  add_direction_options(sub, o->reading);
  sub->add_option("--weights", o->weights,
                  "how the graph file's weights are read (default none: recruitment does not use "
                  "them): probability, none, scale:C, max, exp:S, wc or trivalency");
  const char* ng = "Network (overrides the scenario's)";
  sub->add_option("--generator", o->generator, "rmat, er, ba, ws or chunglu")->group(ng);
  sub->add_option("-n,--vertices", o->vertices, "vertices (not rmat)")
      ->check(CLI::PositiveNumber)
      ->group(ng);
  sub->add_option("-d,--degree", o->degree,
                  "chunglu/er: mean degree; ba: edges per new vertex; ws: ring neighbours k")
      ->check(CLI::PositiveNumber)
      ->group(ng);
  sub->add_option("--gamma", o->gamma, "chunglu: power-law exponent (> 2)")->group(ng);
  sub->add_option("--scale", o->scale, "rmat: 2^SCALE vertices")
      ->check(CLI::Range(1u, 31u))
      ->group(ng);
  sub->add_option("--edge-factor", o->edge_factor, "rmat: edges per vertex")
      ->check(CLI::PositiveNumber)
      ->group(ng);
  sub->add_option("--beta", o->beta, "ws: rewiring probability")
      ->check(CLI::Range(0.0, 1.0))
      ->group(ng);
  sub->add_option("-m,--edges", o->edges, "er: number of edges")
      ->check(CLI::PositiveNumber)
      ->group(ng);
  sub->add_option("--network-seed", o->network_seed, "generator seed")->group(ng);
  (void)graph;
  sub->add_option("--trials", o->trials, "trials per regime (default: the scenario's)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--horizon", o->horizon, "simulated hours (default: the scenario's)")
      ->check(CLI::PositiveNumber);
  const char* sg = "Seed choice";
  sub->add_option("--choose-seeds", o->choose_seeds,
                  "choose K initial members per regime (greedy over mobilize trials) and compare "
                  "them with top-degree and random seeds")
      ->group(sg);
  sub->add_option("--objective", o->objective,
                  "--choose-seeds: recruits (expected joiners by the horizon) or targets "
                  "(P(all targets found))")
      ->capture_default_str()
      ->check(CLI::IsMember({"recruits", "targets"}))
      ->group(sg);
  sub->add_option("--seed-pool", o->seed_pool,
                  "--choose-seeds: candidates, the C highest-degree people (default max(32, 8K))")
      ->check(CLI::PositiveNumber)
      ->group(sg);
  const char* og = "Output";
  sub->add_option("--trees", o->trees,
                  "write the recruitment trees (CSV: trial,regime,person,recruiter,join_hours,"
                  "found_target) to this file ('-': stdout)")
      ->group(og);
  add_json_option(sub, o->json, "the report");
  sub->add_option("--csv", o->csv, "write the curves (CSV) to this file ('-': stdout)")->group(og);
  sub->add_option("--plot", o->plot,
                  "draw figures into this directory (needs python3 + matplotlib)")
      ->group(og);
  add_plot_format_option(sub, o->plot_format);
  add_common_options(sub, o->common, "master random seed (default: the scenario's)");
  return [o] {
    return run_distributed([&o](const Communicator& comm) { return run_mobilize(*o, comm); });
  };
}

}  // namespace cascade::cli
