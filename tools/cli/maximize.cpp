// cascade maximize FILE --k K: influence maximization (cascade/maximize.hpp). Chooses K seeds by
// IMM, OPIM-C (reverse-influence sampling) or CELF (lazy greedy over Monte Carlo), then validates
// their spread with an independent Monte Carlo (validate_seeds: the fused IC engine for IC). This
// file only parses, calls the library and prints.
#include "cascade/maximize.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cascade/error.hpp"
#include "cascade/labels.hpp"
#include "cascade/memory.hpp"
#include "cascade/parallel.hpp"
#include "cascade/seeds.hpp"
#include "cli.hpp"
#include "distributed.hpp"
#include "grammar.hpp"
#include "graph_util.hpp"
#include "output.hpp"
#include "table.hpp"

namespace cascade::cli {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

struct MaximizeCliOptions {
  CommonOptions common;
  std::string input;
  std::uint64_t k = 0;
  std::string model = "ic";
  double p = 0.1;
  bool use_weights = false;  // --weights given
  std::string weights_rule;  // its RULE ("probability" when given alone)
  bool weighted_cascade = false;
  double epsilon = 0.5;
  double ell = 1.0;
  std::string method = "imm";
  std::uint64_t celf_trials = 1000;
  std::uint64_t validate_trials = 10000;
  std::vector<std::string> compare;  // --compare: methods whose seeds are validated side by side
  std::string json;                  // "" no JSON; "-" stdout; else a file
  DirectionFlags reading;
  CLI::App* app = nullptr;
};

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // ru_maxrss is KiB on Linux
}

MaximizeMethod method_of(const std::string& name) {
  return name == "celf"   ? MaximizeMethod::kCelf
         : name == "opim" ? MaximizeMethod::kOpimC
                          : MaximizeMethod::kImm;
}

// --compare: the seeds of each method (top-degree: the K largest out-degrees), each validated by
// the same validation trials (validate_seeds: ids kValidationFirstTrial.., the same coins), so
// every seed set is judged on the same --validate-trials random worlds.
int compare_methods(const MaximizeCliOptions& o, const Graph& g, MaximizeOptions mo,
                    const Communicator& comm) {
  struct Row {
    std::string method;
    std::vector<Vertex> seeds;
    double seconds = 0;
    std::uint64_t rr_sets = 0;
    double estimated = 0;
    Estimate e;
  };
  std::vector<Row> rows;
  for (const std::string& m : o.compare) {
    note(o.common, fmt::format("choosing {} seeds by {}, validating them ...", o.k, m));
    Row row;
    row.method = m;
    const auto t = Clock::now();
    if (m == "top-degree") {
      row.seeds = top_degree_seeds(g, o.k);
    } else {
      mo.method = method_of(m);
      const MaximizeResult r = maximize(g, mo);
      row.seeds = r.seeds;
      row.rr_sets = r.rr_sets;
      row.estimated = r.estimated_spread;
    }
    row.seconds = std::chrono::duration<double>(Clock::now() - t).count();
    row.e = validate_seeds(g, mo.model, row.seeds, o.validate_trials, &comm);
    rows.push_back(std::move(row));
  }
  double best = 0;
  for (const Row& r : rows) best = std::max(best, r.e.mean);
  auto gap = [best](const Row& r) { return best > 0 ? (best - r.e.mean) / best : 0.0; };
  if (comm.rank() != 0) return 0;

  Json j;
  j["schema"] = schema_json("maximize-compare", 1);
  j["graph"] = {{"file", o.input}, {"vertices", g.num_vertices()}, {"arcs", g.num_arcs()}};
  put_model_json(j, o.model, o.use_weights, o.weighted_cascade, o.p);
  j["k"] = o.k;
  j["epsilon"] = o.epsilon;
  j["ell"] = o.ell;
  j["master_seed"] = o.common.seed;
  j["validation"] = {{"trials", o.validate_trials},
                     {"first_trial", kValidationFirstTrial},
                     {"engine", o.model == "ic" ? "fused" : "trial"}};
  Json methods = Json::array();
  for (const Row& r : rows) {
    Json m = {{"method", r.method}, {"seeds", r.seeds}, {"seconds", r.seconds}};
    if (r.method != "top-degree") m["estimated_spread"] = r.estimated;
    if (r.method == "imm" || r.method == "opim") m["rr_sets"] = r.rr_sets;
    m["mean"] = r.e.mean;
    m["stderr"] = r.e.standard_error;
    m["ci95"] = {r.e.ci95.lo, r.e.ci95.hi};
    m["below_best"] = gap(r);
    methods.push_back(m);
  }
  j["methods"] = methods;
  if (!o.json.empty()) write_text_file(o.json, json_text(j));
  if (!table_wanted(o.common.quiet, {o.json})) return 0;
  std::fputs(key_values({{"graph", fmt::format("{} ({} vertices, {} arcs)", o.input,
                                               grouped(g.num_vertices()), grouped(g.num_arcs()))},
                         {"validation", fmt::format("the same {} Monte Carlo trials for every "
                                                    "seed set",
                                                    grouped(o.validate_trials))}})
                 .c_str(),
             stdout);
  Table t({"method", "seconds", "RR sets", "validated spread", "95% CI", "below best"});
  for (const Row& r : rows)
    t.add({r.method, fmt::format("{:.2f}", r.seconds),
           r.rr_sets ? grouped(r.rr_sets) : std::string("-"), number(r.e.mean, 6),
           fmt::format("[{}, {}]", number(r.e.ci95.lo, 6), number(r.e.ci95.hi, 6)),
           fmt::format("{:.2f}%", 100.0 * gap(r))});
  std::fputs(("\n" + t.str()).c_str(), stdout);
  return 0;
}

int run_maximize(MaximizeCliOptions& o, const Communicator& comm) {
  const auto start = Clock::now();
  const bool root = comm.rank() == 0;
  if (!root) o.common.quiet = true;
  CLI::App& app = *o.app;
  // ---- flags checked before loading the graph --------------------------------------------------
  if (o.k == 0) throw UsageError("--k 0: choose at least one seed");
  if (!(o.epsilon > 0.0 && o.epsilon < 1.0))
    throw UsageError(fmt::format("--epsilon {}: must be in (0, 1)", o.epsilon));
  if (!(o.ell > 0.0 && std::isfinite(o.ell)))
    throw UsageError(fmt::format("--ell {}: must be a positive number", o.ell));
  if (o.model == "lt" && (app.count("--p") || o.weighted_cascade))
    throw UsageError(
        "--p and --weighted-cascade do not apply to --model lt (influence is 1/in-degree, or the "
        "arc weights with --weights)");
  const bool compare_celf =
      std::find(o.compare.begin(), o.compare.end(), "celf") != o.compare.end();
  if (!o.compare.empty() && o.validate_trials == 0)
    throw UsageError("--compare needs --validate-trials >= 1 (it compares validated spreads)");
  if ((o.method == "celf" || compare_celf) && o.model != "ic")
    throw UsageError(
        "--method celf supports --model ic only (LT with fixed thresholds is not submodular per "
        "trial); use --method imm or opim");
  if (o.method != "celf" && !compare_celf && app.count("--celf-trials"))
    throw UsageError("--celf-trials applies to --method celf only");

  ThreadLimit limit(o.common.threads);
  // The file's weights are read only when they are used (--weights RULE); otherwise dropped,
  // so a file of any weights can be simulated with --p or --weighted-cascade.
  o.use_weights = app.count("--weights") > 0;
  const LoadOptions load = load_options(
      o.reading, parse_weight_rule(o.use_weights ? o.weights_rule : "none", "--weights"));
  const Graph g = load_input(o.input, load);
  if (comm.size() > 1)  // (one pass over the graph: only when there are ranks to compare)
    require_same_inputs(comm, text_fingerprint(command_line(), graph_fingerprint(g)),
                        "graph and parameters");
  if (o.k > g.num_vertices())
    throw UsageError(
        fmt::format("--k {}: {} has only {} vertices", o.k, o.input, g.num_vertices()));
  require_memory(
      monte_carlo_bytes(g.num_vertices(), g.num_arcs(), g.has_weights(), o.validate_trials,
                        max_threads()),
      fmt::format("maximize {} (validation with {} trials)", o.input, o.validate_trials));

  MaximizeOptions mo;
  mo.model.model = o.model == "lt" ? Model::kLt : Model::kIc;
  mo.model.probability = o.use_weights        ? ArcProbability::arc_weights()
                         : o.weighted_cascade ? ArcProbability::weighted_cascade()
                                              : ArcProbability::uniform(o.p);
  mo.model.lt_use_weights = o.use_weights;
  mo.model.master_seed = o.common.seed;
  mo.k = o.k;
  mo.epsilon = o.epsilon;
  mo.ell = o.ell;
  mo.method = method_of(o.method);
  mo.celf_trials = o.celf_trials;
  mo.communicator = &comm;
  if (!o.compare.empty()) return compare_methods(o, g, mo, comm);

  note(o.common, fmt::format("choosing {} seeds by {} ...", o.k, o.method));
  const MaximizeResult r = maximize(g, mo);
  const auto validation_start = Clock::now();
  Estimate e;
  if (o.validate_trials > 0) {
    note(o.common, fmt::format("validating with {} Monte Carlo trials ...", o.validate_trials));
    e = validate_seeds(g, mo.model, r.seeds, o.validate_trials, &comm);
  }
  const double validation_seconds =
      std::chrono::duration<double>(Clock::now() - validation_start).count();
  const double total_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  // ---- report --------------------------------------------------------------------------------
  Json j;
  j["schema"] = schema_json("maximize", 1);
  j["graph"] = graph_json(o.input, g);
  put_model_json(j, o.model, o.use_weights, o.weighted_cascade, o.p);
  j["method"] = o.method;
  j["k"] = o.k;
  if (o.method == "celf")
    j["celf_trials"] = o.celf_trials;
  else
    j["guarantee"] = {
        {"epsilon", o.epsilon},
        {"ell", o.ell},
        {"ratio", r.approximation},
        {"probability", 1.0 - std::pow(static_cast<double>(g.num_vertices()), -o.ell)}};
  j["master_seed"] = o.common.seed;
  j["seeds"] = r.seeds;
  if (g.has_labels()) {  // the people behind the ids (cascade/labels.hpp)
    std::vector<std::string> labels;
    for (Vertex v : r.seeds) labels.push_back(vertex_name(g, v));
    j["seed_labels"] = labels;
  }
  j["marginal_gains"] = r.marginal_gains;
  j["estimated_spread"] = r.estimated_spread;
  if (o.method != "celf") {
    j["opt_lower_bound"] = r.opt_lower_bound;
    j["rr_sets"] = r.rr_sets;
    j["rr_vertices"] = r.rr_vertices;
    j["arcs_examined"] = r.work;
  } else {
    j["evaluations"] = r.work;
  }
  if (o.validate_trials == 0)
    j["validation"] = nullptr;
  else
    j["validation"] = {{"trials", e.trials},
                       {"first_trial", kValidationFirstTrial},
                       {"engine", o.model == "ic" ? "fused" : "trial"},
                       {"mean", e.mean},
                       {"stderr", e.standard_error},
                       {"ci95", {e.ci95.lo, e.ci95.hi}}};
  if (!root) return 0;  // rank 0 alone writes
  j["run"] = {{"threads", max_threads()},
              {"ranks", comm.size()},
              {"seconds", total_seconds},
              {"seconds_sampling", r.seconds_sampling},
              {"seconds_selection", r.seconds_selection},
              {"seconds_validation", validation_seconds},
              {"peak_rr_bytes", r.peak_rr_bytes},
              {"peak_rss_bytes", peak_rss_bytes()}};
  const std::string text = json_text(j);
  if (!o.json.empty()) write_text_file(o.json, text);
  if (!table_wanted(o.common.quiet, {o.json})) return 0;

  std::vector<std::pair<std::string, std::string>> kv = {
      {"graph", fmt::format("{} ({} vertices, {} arcs)", o.input, grouped(g.num_vertices()),
                            grouped(g.num_arcs()))},
      {"method", o.method == "celf"
                     ? fmt::format("celf, {} trials per evaluation", o.celf_trials)
                     : fmt::format("{}, ratio >= {:.4f} with probability 1 - "
                                   "1/n^{}, {} RR sets",
                                   o.method, r.approximation, o.ell, grouped(r.rr_sets))},
      {"estimated spread", number(r.estimated_spread, 6)},
      {"validated spread",
       o.validate_trials == 0
           ? std::string("not validated (--validate-trials 0)")
           : fmt::format("{}  (95% CI [{}, {}], {} trials)", number(e.mean, 6),
                         number(e.ci95.lo, 6), number(e.ci95.hi, 6), grouped(e.trials))},
      {"time", fmt::format("{:.3f} s (sampling {:.3f}, selection {:.3f}, validation {:.3f}), peak "
                           "memory {}",
                           total_seconds, r.seconds_sampling, r.seconds_selection,
                           validation_seconds, format_bytes(peak_rss_bytes()))},
  };
  std::fputs(key_values(kv).c_str(), stdout);
  Table t(g.has_labels() ? std::vector<std::string>{"#", "seed", "label", "marginal gain"}
                         : std::vector<std::string>{"#", "seed", "marginal gain"});
  for (std::size_t i = 0; i < r.seeds.size(); ++i) {
    std::vector<std::string> row = {std::to_string(i + 1), std::to_string(r.seeds[i])};
    if (g.has_labels()) row.push_back(vertex_name(g, r.seeds[i]));
    row.push_back(number(r.marginal_gains[i], 6));
    t.add(row);
  }
  std::fputs(("\n" + t.str()).c_str(), stdout);
  return 0;
}

}  // namespace

Runner add_maximize(CLI::App& app) {
  auto o = std::make_shared<MaximizeCliOptions>();
  auto* sub = app.add_subcommand(
      "maximize", "influence maximization: choose K seeds (IMM, OPIM-C or CELF), validate them");
  sub->footer(
      "Chooses K seed vertices maximizing the expected spread of an IC or LT cascade: IMM or "
      "OPIM-C (reverse-influence sampling, spread >= (1 - 1/e - epsilon) OPT with probability "
      ">= 1 - 1/n^ell) or CELF (lazy greedy over Monte Carlo, IC only, small graphs), then "
      "validates the seeds with an independent Monte Carlo. Example: cascade maximize g.csr "
      "--k 50 --p 0.01 --epsilon 0.5 --json out.json");
  o->app = sub;
  sub->add_option("FILE", o->input, "graph file (.csr, .mtx, edge list)")->required();
  sub->add_option("-k,--k", o->k, "number of seeds to choose (1 .. vertices)")->required();
  sub->add_option("--model", o->model, "ic (independent cascade) or lt (linear threshold)")
      ->capture_default_str()
      ->check(CLI::IsMember({"ic", "lt"}));
  auto* p = sub->add_option("-p,--p", o->p, "ic: probability of every arc, in [0, 1]")
                ->capture_default_str()
                ->check(CLI::Range(0.0, 1.0))
                ->group("Probabilities");
  add_arc_model_options(sub, p, o->weights_rule, o->weighted_cascade,
                        "ic: p(u->v) = 1/in-degree(v)");
  auto* method =
      sub->add_option("--method", o->method,
                      "imm (Tang et al. 2015), opim (OPIM-C, Tang et al. 2018) or celf (IC only)")
          ->capture_default_str()
          ->check(CLI::IsMember({"imm", "opim", "celf"}));
  sub->add_option("--compare", o->compare,
                  "METHOD,...: choose seeds by each of imm, opim, celf, top-degree and validate "
                  "every seed set on the same --validate-trials worlds (a table, or JSON)")
      ->delimiter(',')
      ->check(CLI::IsMember({"imm", "opim", "celf", "top-degree"}))
      ->excludes(method);
  sub->add_option("-e,--epsilon", o->epsilon, "imm/opim: approximation slack, in (0, 1)")
      ->capture_default_str();
  sub->add_option("--ell", o->ell, "imm/opim: failure probability at most 1/n^ell (> 0)")
      ->capture_default_str();
  sub->add_option("--celf-trials", o->celf_trials, "celf: Monte Carlo trials per evaluation")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--validate-trials", o->validate_trials,
                  "independent Monte Carlo trials validating the chosen seeds (0: skip)")
      ->capture_default_str();
  add_json_option(sub, o->json, "the report");
  add_direction_options(sub, o->reading);
  add_common_options(sub, o->common, "master random seed of the RR sets and coins (default 1)");
  return
      [o] { return run_distributed([&o](const Communicator& c) { return run_maximize(*o, c); }); };
}

}  // namespace cascade::cli
