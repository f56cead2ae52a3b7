// cascade._cascade: estimate_spread (the library's engine choice: fused IC, one trial at a time,
// timed) and mobilize. Long calls release the GIL and take it back between blocks of trials to
// report progress and to let Ctrl-C (KeyboardInterrupt) end the call.
#include <chrono>
#include <limits>
#include <string>

#include "cascade/mobilize.hpp"
#include "cascade/mobilize_report.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/parallel.hpp"
#include "cascade/scenario_file.hpp"
#include "cascade/seed_choice.hpp"
#include "options.hpp"

namespace cascade::python {
namespace {

McEngine engine_of(const std::string& name) {
  if (name == "auto") return McEngine::kAuto;
  if (name == "fused") return McEngine::kFused;
  if (name == "trial") return McEngine::kTrial;
  throw InvalidArgument("unknown engine '" + name + "' (auto, fused, trial)");
}

const char* engine_name(const Estimate& e, Model model) {
  if (model == Model::kTimed) return "timed";
  return e.engine == McEngine::kFused ? "fused" : "trial";
}

DelayDistribution delay_of(const std::string& name) {
  if (const auto d = delay_distribution_named(name)) return *d;
  throw InvalidArgument("unknown delay '" + name + "' (" + kDelayDistributionNames + ")");
}

// Runs on the calling thread between blocks (the GIL is released around the call): checks for
// Ctrl-C, then calls the user's callback. Either may raise; the exception ends the estimate.
// Python objects (the arguments too) are made only once the GIL is held.
template <class... Args>
void check_in(const py::object& callback, Args... args) {
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  if (!callback.is_none()) callback(args...);
}

py::dict estimate_dict(Estimate&& e, Model model, double curve_step_hours) {
  py::dict out;
  out["trials"] = e.trials;
  out["mean"] = e.mean;
  out["stddev"] = e.stddev;
  out["stderr"] = e.standard_error;
  out["ci95"] = py::make_tuple(e.ci95.lo, e.ci95.hi);
  py::dict quantiles;
  for (const auto& [q, v] : e.quantiles) quantiles[py::float_(q)] = v;
  out["quantiles"] = quantiles;
  out["curve"] = to_numpy(std::move(e.curve));
  out["curve_unit"] = model == Model::kTimed ? "hour" : "step";
  out["curve_step"] = model == Model::kTimed ? curve_step_hours : 1.0;
  out["spreads"] = to_numpy(std::move(e.spreads));
  out["arcs_examined"] = e.arcs_examined;
  out["stopped_early"] = e.stopped_early;
  out["engine"] = engine_name(e, model);
  out["parallelism"] =
      e.parallelism == McParallelism::kInsideTrial ? "inside-trial" : "over-trials";
  out["seconds"] = e.seconds;
  out["seconds_per_trial_median"] = e.seconds_per_trial_median;
  return out;
}

constexpr const char* kEstimateDoc = R"(Monte Carlo estimate of the expected spread of a cascade.

Runs the library's estimate_spread: the fused engine (64-512 IC trials per pass over the arcs)
for model "ic" with >= 128 trials, one trial at a time otherwise, the timed kernel for "timed".
Every engine gives the same numbers for the same arguments, for any thread count.

Parameters
  graph             Graph
  model             "ic" (independent cascade), "lt" (linear threshold) or "timed" (IC whose
                    live arcs carry delays; the curve is over hours)
  p                 ic/timed: probability of every arc, in [0, 1]
  weights           use the arc weights (ic/timed: probabilities; lt: influence)
  weighted_cascade  ic/timed: p(u->v) = 1 / in-degree(v)
  seeds             list of seed vertex ids, the same in every trial
  random_seeds      k distinct uniform seed vertices, drawn anew per trial
  top_degree        the k largest out-degrees (ties to the lower id)
                    (give exactly one of seeds, random_seeds, top_degree)
  trials            number of trials (the maximum with ci_half_width)
  seed              master random seed of coins, thresholds, delays and random seeds
  ci_half_width     > 0: stop at the first batch whose 95% CI half-width is <= this many vertices
  batch             trials between stopping checks
  first_trial       id of the first trial (trial r uses the random numbers of (seed, r))
  quantiles         spread quantiles to report, each in [0, 1]
  threads           worker threads, 0 = all cores
  engine            "auto", "fused" (ic only) or "trial"
  lanes             fused engine: trials per pass, 64/128/256/512 (0 = automatic)
  delay             timed: "exponential", "lognormal" or "weibull"
  median_hours      timed: median delay of a live arc, hours (> 0)
  shape             timed: lognormal sigma or Weibull k (> 0)
  horizon_hours     timed: stop at this many hours (default: no horizon)
  curve_step_hours  timed: hours between curve points (> 0)
  progress          callable(done, total) called between blocks of trials (trial counts)

Returns a dict: trials, mean, stddev, stderr, ci95 (lo, hi), quantiles {q: value}, curve (numpy:
mean active vertices by step, or by curve_step hours), curve_unit, curve_step, spreads (numpy,
per trial), arcs_examined, stopped_early, engine, parallelism, seconds,
seconds_per_trial_median. Raises ValueError for bad arguments and KeyboardInterrupt on Ctrl-C
(checked between blocks of trials).)";

constexpr const char* kMobilizeDoc = R"(Virality vs incentive-weighted recruitment on a scenario.

Reads the scenario file (JSON, schema in data/scenarios/README.md), builds its network, runs every
regime with common random numbers and returns the report as a dict: the same numbers as
`cascade mobilize SCENARIO --json` (the JSON document, parsed).

Parameters
  scenario       path of the scenario file
  trials         trials per regime (default: the scenario's)
  horizon_hours  simulated hours (default: the scenario's)
  seed           master random seed (default: the scenario's)
  threads        worker threads, 0 = all cores
  progress       callable(fraction) with the fraction done in [0, 1], after each trial and regime

Raises OSError for an unreadable or invalid scenario file, KeyboardInterrupt on Ctrl-C (checked
after each trial and regime).)";

}  // namespace

void bind_estimation(py::module_& m) {
  m.def(
      "estimate_spread",
      [](const Graph& g, const std::string& model, std::optional<double> p, bool weights,
         bool weighted_cascade, const py::object& seeds, std::optional<std::uint64_t> random_seeds,
         std::optional<std::uint64_t> top_degree, std::uint64_t trials, std::uint64_t seed,
         double ci_half_width, std::uint64_t batch, std::uint64_t first_trial,
         std::vector<double> quantiles, std::size_t threads, const std::string& engine,
         unsigned lanes, const std::string& delay, double median_hours, double shape,
         std::optional<double> horizon_hours, double curve_step_hours, const py::object& progress) {
        McOptions options;
        options.master_seed = seed;
        if (model == "ic" || model == "timed") {
          options.model = model == "ic" ? Model::kIc : Model::kTimed;
          options.ic.probability = probability_of(p, weights, weighted_cascade);
        } else if (model == "lt") {
          if (p || weighted_cascade)
            throw InvalidArgument("p= and weighted_cascade= do not apply to model 'lt'");
          options.model = Model::kLt;
          options.lt.use_weights = weights;
        } else {
          throw InvalidArgument("unknown model '" + model + "' (ic, lt, timed)");
        }
        options.seeds = seed_spec(seeds, random_seeds, top_degree);
        options.trials = trials;
        options.target_ci_half_width = ci_half_width;
        options.batch_trials = batch;
        options.first_trial = first_trial;
        options.quantiles = std::move(quantiles);
        options.engine = engine_of(engine);
        options.fused_lanes = lanes;
        options.timed.delay = DelayModel{delay_of(delay), median_hours, shape};
        options.timed.horizon_hours =
            horizon_hours.value_or(std::numeric_limits<double>::infinity());
        options.curve_step_hours = curve_step_hours;
        options.progress = [&progress](std::uint64_t done, std::uint64_t total) {
          check_in(progress, done, total);
        };
        Estimate e;
        {
          py::gil_scoped_release release;
          ThreadLimit limit(threads);
          e = estimate_spread(g, options);
        }
        return estimate_dict(std::move(e), options.model, curve_step_hours);
      },
      py::arg("graph"), py::arg("model") = "ic", py::arg("p") = py::none(),
      py::arg("weights") = false, py::arg("weighted_cascade") = false,
      py::arg("seeds") = py::none(), py::arg("random_seeds") = py::none(),
      py::arg("top_degree") = py::none(), py::arg("trials") = 1000, py::arg("seed") = 0,
      py::arg("ci_half_width") = 0.0, py::arg("batch") = 1000, py::arg("first_trial") = 0,
      py::arg("quantiles") = std::vector<double>{0.05, 0.25, 0.5, 0.75, 0.95},
      py::arg("threads") = 0, py::arg("engine") = "auto", py::arg("lanes") = 0,
      py::arg("delay") = "exponential", py::arg("median_hours") = 1.0, py::arg("shape") = 1.0,
      py::arg("horizon_hours") = py::none(), py::arg("curve_step_hours") = 1.0,
      py::arg("progress") = py::none(), kEstimateDoc);

  m.def(
      "_mobilize_json",
      [](const std::string& path, std::optional<std::uint64_t> trials,
         std::optional<double> horizon_hours, std::optional<std::uint64_t> seed,
         std::size_t threads, const py::object& progress) {
        Scenario s = read_scenario(path);
        if (trials) s.trials = *trials;
        if (horizon_hours) s.horizon_hours = *horizon_hours;
        if (seed) s.master_seed = *seed;
        MobilizeOptions options;
        options.trials = s.trials;
        options.threads = threads;
        options.progress = [&progress](double fraction) { check_in(progress, fraction); };
        std::string json;
        {
          py::gil_scoped_release release;
          ThreadLimit limit(threads);
          const auto start = std::chrono::steady_clock::now();
          const Graph g = build_scenario_network(s);
          const std::chrono::duration<double> network = std::chrono::steady_clock::now() - start;
          MobilizationReport report = mobilize(g, s, options);
          report.network_seconds = network.count();
          json = to_json(report);
        }
        return json;
      },
      py::arg("scenario"), py::arg("trials") = py::none(), py::arg("horizon_hours") = py::none(),
      py::arg("seed") = py::none(), py::arg("threads") = 0, py::arg("progress") = py::none(),
      kMobilizeDoc);

  m.def(
      "_choose_seeds",
      [](const std::string& path, std::uint64_t k, const std::string& objective, std::uint64_t pool,
         std::optional<std::uint64_t> trials, std::optional<double> horizon_hours,
         std::optional<std::uint64_t> seed, std::size_t threads) {
        if (objective != "recruits" && objective != "targets")
          throw InvalidArgument("objective '" + objective + "': recruits or targets");
        Scenario s = read_scenario(path);
        if (trials) s.trials = *trials;
        if (horizon_hours) s.horizon_hours = *horizon_hours;
        if (seed) s.master_seed = *seed;
        SeedChoiceOptions o;
        o.k = k;
        o.objective = objective == "targets" ? SeedObjective::kTargets : SeedObjective::kRecruits;
        o.pool = pool;
        o.trials = s.trials;
        o.threads = threads;
        SeedChoiceReport r;
        {
          py::gil_scoped_release release;
          ThreadLimit limit(threads);
          const Graph g = build_scenario_network(s);
          r = choose_seeds(g, s, o);
        }
        py::list regimes;
        for (const RegimeSeedChoice& c : r.regimes) {
          py::dict d;
          d["name"] = c.regime;
          d["seeds"] = c.seeds;
          d["gains"] = c.gains;
          d["chosen"] = c.chosen;
          d["top_degree"] = c.top_degree;
          d["random"] = c.random;
          d["gain_over_top_degree"] = c.chosen - c.top_degree;
          d["gain_over_random"] = c.chosen - c.random;
          d["evaluations"] = c.evaluations;
          regimes.append(d);
        }
        py::dict out;
        out["objective"] = objective;
        out["k"] = r.k;
        out["pool"] = r.pool;
        out["method"] = r.lazy ? "lazy-greedy" : "greedy";
        out["trials"] = r.trials;
        out["regimes"] = regimes;
        out["cost"] =
            py::dict(py::arg("simulations") = r.simulations, py::arg("seconds") = r.seconds,
                     py::arg("beliefs_seconds") = r.beliefs_seconds);
        return out;
      },
      py::arg("scenario"), py::arg("k"), py::arg("objective") = "recruits", py::arg("pool") = 0,
      py::arg("trials") = py::none(), py::arg("horizon_hours") = py::none(),
      py::arg("seed") = py::none(), py::arg("threads") = 0,
      "Seed choice of `cascade mobilize --choose-seeds` (cascade/seed_choice.hpp) as a dict.");
}

}  // namespace cascade::python
