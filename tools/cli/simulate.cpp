// cascade simulate FILE: Monte Carlo estimate of the spread of an independent cascade (ic),
// linear threshold (lt) or timed cascade (timed) from chosen seeds.
//
// Flags become McOptions and the library's estimate_spread() runs the engine (monte_carlo.hpp:
// fused, trial or timed, all with the same per-trial results); this file parses and reports.
// Every number except the timings is identical for any --threads, and under mpirun for any
// number of ranks: each rank runs a block of every batch of trials (distributed.hpp) and only
// rank 0 shows progress and writes the report.
#include "simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cascade/error.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/memory.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/parallel.hpp"
#include "cascade/seeds.hpp"
#include "cascade/timed.hpp"
#include "cli.hpp"
#include "distributed.hpp"
#include "grammar.hpp"
#include "graph_util.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace cascade::cli {
namespace {

using Json = nlohmann::ordered_json;

// --p P or --p LO:HI:STEP (LO, LO + STEP, ... up to HI, at most kMaxPValues values), each a
// number in [0, 1]. Throws UsageError with the message CLI11 prints after "--p: ".
constexpr std::size_t kMaxPValues = 1000;

std::vector<double> parse_p_values(const std::string& text) {
  const bool range = text.find(':') != std::string::npos;
  const std::string where = range ? " in " + text : "";  // which value of a range
  std::vector<double> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = text.find(':', start);
    const std::string part = text.substr(start, colon == std::string::npos ? colon : colon - start);
    char* end = nullptr;
    const double v = std::strtod(part.c_str(), &end);
    if (part.empty() || end != part.c_str() + part.size())
      throw UsageError(fmt::format("'{}'{} is not a number", part, where));
    if (!std::isfinite(v))
      throw UsageError(fmt::format("value {}{} is not a finite number", part, where));
    parts.push_back(v);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() != 1 && parts.size() != 3)
    throw UsageError(fmt::format("'{}' is neither P nor LO:HI:STEP", text));
  for (std::size_t i = 0; i < parts.size() && i < 2; ++i)
    if (parts[i] < 0.0 || parts[i] > 1.0)
      throw UsageError(fmt::format("value {}{} must be in [0, 1]", readable(parts[i]), where));
  if (parts.size() == 1) return parts;
  const double lo = parts[0], hi = parts[1], step = parts[2];
  if (!(lo < hi)) throw UsageError(fmt::format("range {}: LO must be below HI", text));
  if (!(step > 0.0)) throw UsageError(fmt::format("range {}: STEP must be > 0", text));
  const double count = std::floor((hi - lo) / step * (1 + 1e-12)) + 1;  // HI itself when on grid
  if (count > static_cast<double>(kMaxPValues))
    throw UsageError(fmt::format("range {} has {} values, more than the limit of {}", text,
                                 readable(count), kMaxPValues));
  std::vector<double> values;
  // Rounded to 12 significant digits, so 0.05:0.25:0.1 gives 0.15 (not 0.15000000000000002):
  // each point is the run `--p 0.15` would make.
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
    values.push_back(
        std::min(hi, std::stod(fmt::format("{:.12g}", lo + static_cast<double>(i) * step))));
  return values;
}

int run_simulate(SimulateOptions& o, const Communicator& comm) {
  CLI::App& app = *o.app;
  const bool root = comm.rank() == 0;
  if (!root) o.common.quiet = true;  // one progress bar: rank 0's
  check_distinct_outputs({{"--json", o.json}, {"--output", o.output}, {"--csv", o.csv}});
  // ---- flags that only make sense together --------------------------------------------------
  const std::vector<double> p_values = parse_p_values(o.p_text);
  o.p = p_values.front();
  const bool timed = o.model == "timed";
  if (o.model == "lt" && app.count("--p"))
    throw UsageError(
        "--p does not apply to --model lt (influence is 1/in-degree, or the arc "
        "weights with --weights)");
  if (!timed)
    for (const char* flag : {"--delay", "--median-hours", "--shape", "--horizon", "--curve-step"})
      if (app.count(flag)) throw UsageError(fmt::format("{} applies to --model timed only", flag));
  if (o.model != "ic")
    for (const char* flag : {"--direction", "--lanes"})
      if (app.count(flag)) throw UsageError(fmt::format("{} applies to --model ic only", flag));
  if (o.engine == "fused" && o.model != "ic") throw UsageError("--engine fused needs --model ic");
  if (timed && (app.count("--engine") && o.engine != "auto"))
    throw UsageError("--engine does not apply to --model timed");
  if (timed && (o.ci_half_width > 0))
    throw UsageError("--ci-half-width applies to --model ic and lt only");
  if (timed && std::isfinite(o.horizon_hours) &&
      !(o.horizon_hours / o.curve_step_hours + 1 <= kMaxCurvePoints))
    throw UsageError(fmt::format(
        "--curve-step {:g}: {:g} curve points up to --horizon {:g}, more than the limit of {:g}",
        o.curve_step_hours, o.horizon_hours / o.curve_step_hours + 1, o.horizon_hours,
        kMaxCurvePoints));

  ThreadLimit limit(o.common.threads);
  Progress progress("loading " + o.input, 0, show_progress(o.common.quiet, comm));
  // The file's weights are read only when they are used (--weights RULE); otherwise dropped,
  // so a file of any weights can be simulated with --p or --weighted-cascade.
  o.use_weights = app.count("--weights") > 0;
  const LoadOptions load = load_options(
      o.reading, parse_weight_rule(o.use_weights ? o.weights_rule : "none", "--weights"));
  const Graph g = load_input(o.input, load);
  // Ranks with different graphs or flags must not merge their trials into one report.
  if (comm.size() > 1)  // (one pass over the graph: only when there are ranks to compare)
    require_same_inputs(comm, text_fingerprint(command_line(), graph_fingerprint(g)),
                        "graph and parameters");
  // Refuse up front a run that cannot fit: per-trial results, scratch, the transposed graph
  // (cascade/memory.hpp; the global --max-memory overrides the limit).
  require_memory(
      monte_carlo_bytes(g.num_vertices(), g.num_arcs(), g.has_weights(), o.trials, max_threads()),
      fmt::format("simulate {} with {} trials", o.input, o.trials));

  // ---- options for the library --------------------------------------------------------------
  McOptions mc;
  mc.model = o.model == "lt" ? Model::kLt : Model::kIc;
  ArcProbability probability = ArcProbability::uniform(o.p);
  if (o.use_weights) probability = ArcProbability::arc_weights();
  if (o.weighted_cascade) probability = ArcProbability::weighted_cascade();
  mc.ic.probability = probability;
  mc.master_seed = o.common.seed;
  mc.ic.direction = o.direction == "push"   ? Direction::kPush
                    : o.direction == "pull" ? Direction::kPull
                                            : Direction::kAuto;
  mc.lt.use_weights = o.use_weights;
  if (!o.seed_file.empty())
    mc.seeds = SeedSpec::list(read_seed_file(o.seed_file, g));
  else if (o.top_degree > 0)
    mc.seeds = SeedSpec::top_degree(o.top_degree);
  else
    mc.seeds = SeedSpec::random(o.seeds);
  mc.trials = o.trials;
  mc.target_ci_half_width = o.ci_half_width;
  mc.batch_trials = o.batch;
  mc.quantiles = o.quantiles;
  mc.communicator = &comm;
  mc.parallelism = o.parallelism == "over"     ? McParallelism::kOverTrials
                   : o.parallelism == "inside" ? McParallelism::kInsideTrial
                                               : McParallelism::kAuto;

  if (mc.seeds.kind == SeedSpec::Kind::kRandom && mc.seeds.k > g.num_vertices())
    throw InvalidArgument(
        fmt::format("--seeds {}: the graph has only {} vertices", mc.seeds.k, g.num_vertices()));
  mc.engine = o.engine == "fused"   ? McEngine::kFused
              : o.engine == "trial" ? McEngine::kTrial
                                    : McEngine::kAuto;
  mc.fused_lanes = o.lanes;
  if (timed) {
    mc.model = Model::kTimed;
    mc.timed.delay = DelayModel{*delay_distribution_named(o.delay), o.median_hours, o.shape};
    mc.timed.horizon_hours = o.horizon_hours;
    mc.curve_step_hours = o.curve_step_hours;
  }
  const std::string engine = timed                                    ? "timed"
                             : resolve_engine(mc) == McEngine::kFused ? "fused"
                                                                      : "trial";
  progress.phase(fmt::format("simulating {} {} {}", o.trials, o.model,
                             timed               ? "cascades"
                             : engine == "fused" ? "trials (fused)"
                                                 : "trials"));
  if (show_progress(o.common.quiet, comm))  // progress blocks only when someone watches
    mc.progress = [&progress](std::uint64_t done, std::uint64_t total) {
      progress.set_fraction(total > 0 ? static_cast<double>(done) / static_cast<double>(total)
                                      : 1.0);
    };

  // ---- run: one estimate per probability ----------------------------------------------------
  std::vector<Json> reports;
  std::vector<Estimate> estimates;
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    o.p = p_values[i];
    if (!o.use_weights && !o.weighted_cascade) mc.ic.probability = ArcProbability::uniform(o.p);
    if (p_values.size() > 1)
      progress.phase(fmt::format("simulating {} {} trials at p = {} ({}/{})", o.trials, o.model,
                                 readable(o.p), i + 1, p_values.size()));
    estimates.push_back(estimate_spread(g, mc));
    if (root) reports.push_back(simulate_report_json(o, g, mc, estimates.back(), engine, comm));
  }
  progress.finish();
  if (!root) return 0;  // rank 0 holds the same Estimates and reports them

  // ---- report -------------------------------------------------------------------------------
  const bool range = p_values.size() > 1;
  Json j = reports.front();
  if (range) {
    j = Json::object();
    j["schema"] = schema_json("simulate-p-range", 1);
    j["graph"] = reports.front()["graph"];
    j["model"] = o.model;
    j["seeds"] = reports.front()["seeds"];
    j["master_seed"] = o.common.seed;
    j["p_values"] = p_values;
    j["runs"] = reports;  // one simulate report per p, in order
  }
  const std::string text = json_text(j);
  std::string csv;
  if (!o.csv.empty()) {
    csv = range ? "p,trial,spread\n" : "trial,spread\n";
    for (std::size_t r = 0; r < estimates.size(); ++r)
      for (std::size_t i = 0; i < estimates[r].spreads.size(); ++i)
        csv += range ? fmt::format("{},{},{}\n", readable(p_values[r]), mc.first_trial + i,
                                   estimates[r].spreads[i])
                     : fmt::format("{},{}\n", mc.first_trial + i, estimates[r].spreads[i]);
  }
  write_text_files({{o.output, o.output.empty() ? "" : text},
                    {o.json, o.json.empty() ? "" : text},
                    {o.csv, csv}});  // all or none; "-": stdout
  if (!table_wanted(o.common.quiet, {o.json, o.output, o.csv})) return 0;
  if (range)
    print_p_range_table(o, g, p_values, estimates, engine);
  else
    print_simulate_report(o, g, estimates.front(), j, timed);
  return 0;
}

}  // namespace

Runner add_simulate(CLI::App& app) {
  auto o = std::make_shared<SimulateOptions>();
  auto* sub = app.add_subcommand(
      "simulate", "Monte Carlo spread of an IC, LT or timed cascade: mean, CI, quantiles, curve");
  sub->footer(
      "Monte Carlo estimate of the spread of a cascade: mean with standard error and 95% "
      "interval, quantiles, and the mean curve of active vertices per step (per hour for "
      "--model timed). Example: cascade simulate g.csr --model ic --p 0.05 --seeds 1 "
      "--trials 2000 --json. Under mpirun / srun (MPI build) the trials are split over the ranks "
      "with the same results; rank 0 writes the output.");
  o->app = sub;
  sub->add_option("FILE", o->input, "graph file (.csr, .mtx, edge list)")->required();
  sub->add_option("--model", o->model,
                  "ic (independent cascade), lt (linear threshold) or timed (IC with delays)")
      ->capture_default_str()
      ->check(CLI::IsMember({"ic", "lt", "timed"}));
  auto* p = sub->add_option("-p,--p", o->p_text,
                            "ic/timed: probability of every arc, in [0, 1]; LO:HI:STEP runs "
                            "every value from LO to HI (spread vs p)")
                ->capture_default_str()
                ->type_name("P|LO:HI:STEP")
                ->check(CLI::Validator(
                    [](std::string& text) {
                      try {
                        parse_p_values(text);
                      } catch (const UsageError& e) {
                        return std::string(e.what());
                      }
                      return std::string();
                    },
                    ""))
                ->group("Probabilities");
  add_arc_model_options(sub, p, o->weights_rule, o->weighted_cascade,
                        "ic/timed: p(u->v) = 1/in-degree(v)");
  auto* k = sub->add_option("--seeds", o->seeds, "K random seed vertices, drawn anew per trial")
                ->capture_default_str()
                ->check(CLI::PositiveNumber)
                ->group("Seeds");
  auto* f = sub->add_option("--seed-file", o->seed_file,
                            "file with one seed vertex id per line ('#' comments), all trials")
                ->group("Seeds");
  auto* top = sub->add_option("--top-degree-seeds", o->top_degree,
                              "the K highest out-degree vertices (ties to the lower id)")
                  ->check(CLI::PositiveNumber)
                  ->group("Seeds");
  k->excludes(f)->excludes(top);
  f->excludes(top);
  sub->add_option("-n,--trials", o->trials, "number of trials (maximum with --ci-half-width)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--ci-half-width", o->ci_half_width,
                  "stop once the 95% CI half-width is <= this many vertices (0: run all trials)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--batch", o->batch, "trials between stopping checks")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--quantiles", o->quantiles, "spread quantiles to report, each in [0, 1]")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0))
      ->delimiter(',');
  sub->add_option("--engine", o->engine,
                  "ic/lt: auto, fused (ic: many trials per pass) or trial (one trial at a time); "
                  "auto = fused for ic with >= 128 trials")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "fused", "trial"}))
      ->group("Tuning");
  sub->add_option("--parallelism", o->parallelism,
                  "trial engine: auto, over (parallel over trials) or inside (inside each trial); "
                  "auto = inside for ic when the first 8 trials are large cascades")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "over", "inside"}))
      ->group("Tuning");
  sub->add_option("--direction", o->direction,
                  "ic inside a trial: auto (direction-optimizing), push or pull")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "push", "pull"}))
      ->group("Tuning");
  sub->add_option("--lanes", o->lanes, "fused engine: trials per pass, 64/128/256/512 (0: auto)")
      ->capture_default_str()
      ->check(CLI::IsMember({0u, 64u, 128u, 256u, 512u}))
      ->group("Tuning");
  const char* tg = "Timed model";
  sub->add_option("--delay", o->delay,
                  std::string("delay distribution: ") + kDelayDistributionNames)
      ->capture_default_str()
      ->check(
          [](const std::string& name) {
            return delay_distribution_named(name) ? std::string()
                                                  : "'" + name + "' is not a delay distribution (" +
                                                        kDelayDistributionNames + ")";
          },
          "DELAY")
      ->group(tg);
  sub->add_option("--median-hours", o->median_hours, "median delay of a live arc, hours")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(tg);
  sub->add_option("--shape", o->shape, "lognormal sigma or Weibull k")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(tg);
  sub->add_option("--horizon", o->horizon_hours, "stop at this many hours (default: none)")
      ->check(CLI::PositiveNumber)
      ->group(tg);
  sub->add_option("--curve-step", o->curve_step_hours, "hours between curve points")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(tg);
  const char* og = "Output";
  add_json_option(sub, o->json, "the report");
  sub->add_option("-o,--output", o->output, "the same as --json FILE ('-': stdout)")->group(og);
  sub->add_option("--csv", o->csv,
                  "write per-trial spreads (trial,spread) to this CSV file ('-': stdout)")
      ->group(og);
  add_direction_options(sub, o->reading);
  add_common_options(sub, o->common,
                     "master random seed of the coins and random seeds (default 1)");
  return [o] {
    return run_distributed([&o](const Communicator& comm) { return run_simulate(*o, comm); });
  };
}

}  // namespace cascade::cli
