// cascade fit DATA --scenario S.json --free KEY=LO:HI [...]: fits free scenario keys to observed
// recruitment trees (CSV, as `cascade mobilize --trees` writes) or to a published record's
// summaries file (JSON) by ABC-SMC (frontend/fit.hpp); prints the posterior and identifiability
// table and writes the JSON report and the posterior predictive figure (tools/plot.py).
#include "cascade/fit.hpp"

#include <fmt/format.h>

#include <memory>

#include "cascade/error.hpp"
#include "cascade/fit_report.hpp"
#include "cascade/scenario.hpp"
#include "cascade/scenario_file.hpp"
#include "cli.hpp"
#include "output.hpp"
#include "plot_runner.hpp"
#include "progress.hpp"

namespace cascade::cli {
namespace {

struct FitCliOptions {
  CommonOptions common;
  std::string data, scenario;
  std::vector<std::string> free;
  std::size_t particles = 64, generations = 4;
  std::string json, plot, plot_format = "png";
};

int run_fit(FitCliOptions& o) {
  FitOptions fo;
  for (const std::string& f : o.free) fo.free.push_back(parse_free_key(f));
  if (fo.free.empty()) throw UsageError("nothing to fit: give --free KEY=LO:HI");
  fo.particles = o.particles;
  fo.generations = o.generations;
  fo.threads = o.common.threads;
  fo.seed = o.common.seed;

  std::string python, script;  // fail before the long run when the plot cannot be drawn
  if (!o.plot.empty()) {
    python = find_plot_python();
    script = find_plot_script();
  }
  const std::string text = read_scenario_text(o.scenario);
  const Scenario scenario = parse_scenario(text, o.scenario);
  if (scenario.query.enabled)
    throw UsageError(o.scenario + ": a query_incentive scenario has no recruitment trees to fit");
  const std::string data = read_data_file(o.data);
  const std::vector<TreeSummaries> observed =
      looks_like_json(data) ? parse_summaries_json(data, o.data)
                            : summaries_by_regime(parse_trees_csv(data, o.data),
                                                  signup_hours(scenario.horizon_hours));

  Progress progress("fitting " + o.data, 0, Progress::wanted(o.common.quiet));
  fo.progress = [&progress](double f) { progress.set_fraction(f); };
  const FitResult result = fit(text, o.scenario, observed, fo);
  progress.finish();
  note(o.common, fmt::format("{} simulations in {:.1f} s", result.simulations, result.seconds));

  if (table_wanted(o.common.quiet, {o.json, o.plot})) {  // stdout carries the JSON for "-"
    std::fputs(format_table(result).c_str(), stdout);
    std::fflush(stdout);
  }
  const std::string json = json_text(nlohmann::ordered_json::parse(to_json(result, o.data)));
  if (!o.json.empty()) write_text_file(o.json, json);
  if (!o.plot.empty())
    plot_json_report(python, script, json, o.json, o.plot, "fit.json", o.plot_format,
                     o.common.quiet);
  return 0;
}

}  // namespace

Runner add_fit(CLI::App& app) {
  auto o = std::make_shared<FitCliOptions>();
  auto* sub = app.add_subcommand(
      "fit", "Fit free scenario keys to observed recruitment trees or a record's summaries");
  sub->footer(
      "DATA is a tree CSV (the columns of 'cascade mobilize --trees': one tree or many trials, "
      "any of the scenario's regimes) or a summaries file (JSON, format in "
      "data/records/README.md). Each --free KEY=LO:HI frees a numeric scenario key (dots between "
      "keys, as in 'cascade sweep --set') with a uniform prior on [LO, HI]. ABC-SMC compares "
      "sign-ups over time, the offspring and depth distributions and the targets found; the "
      "result is identical for any --threads. Example: cascade fit trees.csv --scenario "
      "data/scenarios/red-balloon-2009.json --free population.share_probability=0.01:0.2 "
      "--json fit.json --plot figs/");
  sub->add_option("DATA", o->data, "tree CSV or summaries file (JSON)")->required();
  sub->add_option("--scenario", o->scenario, "scenario file (JSON) the data is fitted with")
      ->required();
  sub->add_option("--free", o->free, "KEY=LO:HI: a free key and its uniform prior (repeatable)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--particles", o->particles, "particles kept per generation (default 64)")
      ->check(CLI::Range(std::size_t{4}, std::size_t{100000}));
  sub->add_option("--generations", o->generations,
                  "ABC-SMC generations after the prior one (default 4)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{100}));
  const char* og = "Output";
  sub->add_option("--json", o->json, "write the JSON report to this file ('-': stdout)")->group(og);
  sub->add_option("--plot", o->plot,
                  "draw the posterior predictive check into this directory (python3 + matplotlib)")
      ->group(og);
  add_plot_format_option(sub, o->plot_format);
  add_common_options(sub, o->common, "master random seed of the fit (default 1)");
  return [o] { return run_fit(*o); };
}

}  // namespace cascade::cli
