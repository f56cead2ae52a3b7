// cascade sweep SCENARIO.json (--set KEY=V1,V2,... [--set KEY2=...] | --budget B1,B2,...): runs a
// scenario at every point of a grid of key values, or every scheme at each of a list of equal
// total budgets (the equal-spend frontier), with common random numbers (kernels/sweep.hpp);
// prints a table and writes the JSON, the CSV and PNG figures (tools/plot.py).
#include "cascade/sweep.hpp"

#include <fmt/format.h>

#include <memory>

#include "cascade/error.hpp"
#include "cascade/scenario_file.hpp"
#include "cli.hpp"
#include "grammar.hpp"
#include "output.hpp"
#include "plot_runner.hpp"
#include "progress.hpp"

namespace cascade::cli {
namespace {

struct SweepCliOptions {
  CommonOptions common;
  std::string scenario;
  std::vector<std::string> sets;
  std::string budgets;
  std::uint64_t trials = 0;
  std::string json, csv, plot;
  std::string plot_format = "png";
  CLI::App* app = nullptr;
};

int run_sweep(SweepCliOptions& o) {
  SweepOptions so;
  for (const std::string& set : o.sets) so.axes.push_back(parse_sweep_axis(set));
  if (o.app->count("--budget")) so.budgets_dollars = parse_budgets(o.budgets);
  if (so.axes.empty() && so.budgets_dollars.empty())
    throw UsageError("nothing to sweep: give --set KEY=V1,V2,... or --budget B1,B2,...");
  so.trials = o.trials;
  so.threads = o.common.threads;
  if (o.common.seed_given) so.master_seed = o.common.seed;

  check_distinct_outputs({{"--json", o.json}, {"--csv", o.csv}});
  // Fail before the long run when the plot cannot be drawn.
  std::string python, script;
  if (!o.plot.empty()) {
    python = find_plot_python();
    script = find_plot_script();
  }
  const std::string text = read_scenario_text(o.scenario);
  Progress progress("sweeping " + o.scenario, 0, Progress::wanted(o.common.quiet));
  so.progress = [&progress](double f) { progress.set_fraction(f); };
  const SweepReport report = sweep(text, o.scenario, so);
  progress.finish();
  note(o.common, fmt::format("{} points, {} network(s) built ({:.1f} s), simulated in {:.1f} s",
                             report.points.size(), report.networks_built, report.network_seconds,
                             report.simulate_seconds));

  if (table_wanted(o.common.quiet, {o.json, o.csv, o.plot})) {
    std::fputs(format_table(report).c_str(), stdout);
    std::fflush(stdout);
  }
  const std::string json = json_text(nlohmann::ordered_json::parse(to_json(report)));
  if (!o.json.empty()) write_text_file(o.json, json);
  if (!o.csv.empty()) write_text_file(o.csv, to_csv(report));
  if (!o.plot.empty())
    plot_json_report(python, script, json, o.json, o.plot, "sweep.json", o.plot_format,
                     o.common.quiet);
  return 0;
}

}  // namespace

Runner add_sweep(CLI::App& app) {
  auto o = std::make_shared<SweepCliOptions>();
  auto* sub = app.add_subcommand(
      "sweep", "A scenario over a grid of key values, or every scheme at equal budgets");
  sub->footer(
      "Runs every point through 'cascade mobilize' with the scenario's master seed (common "
      "random numbers across points). --set KEY=V1,V2,... sweeps any scenario key, dots "
      "between keys and numbers indexing arrays (incentive.recruit_probability_max, "
      "regimes.3.bounty_dollars, seeds.count, network.vertices); two --set give their cartesian "
      "product. --budget B1,B2,... gives every scheme the same total budget B (dollars; money "
      "parameters scaled as in data/scenarios/README.md) and reports outcome per dollar spent. "
      "Example: cascade sweep data/scenarios/red-balloon-2009.json --budget 4000,40000 "
      "--json s.json --plot figs/");
  o->app = sub;
  sub->add_option("SCENARIO", o->scenario, "scenario file (JSON)")->required();
  sub->add_option("--set", o->sets, "KEY=V1,V2,...: a scenario key and its values (at most twice)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--budget", o->budgets,
                  "B1,B2,...: equal total budgets in dollars (excludes --set)");
  sub->add_option("--trials", o->trials, "trials per point and regime (default: the scenario's)")
      ->check(CLI::PositiveNumber);
  const char* og = "Output";
  add_json_option(sub, o->json, "the report");
  sub->add_option("--csv", o->csv, "write one row per point and regime (CSV; '-': stdout)")
      ->group(og);
  sub->add_option("--plot", o->plot,
                  "draw figures into this directory (needs python3 + matplotlib)")
      ->group(og);
  add_plot_format_option(sub, o->plot_format);
  add_common_options(sub, o->common, "master random seed of every point (default: the scenario's)");
  return [o] { return run_sweep(*o); };
}

}  // namespace cascade::cli
