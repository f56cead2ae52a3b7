#pragma once
// Monte Carlo estimation of the expected spread of a cascade (IC or LT).
//
// Trials are independent: trial r uses the coins / thresholds of (master seed, r), and with
// SeedSpec::random(k) its own k seeds. Two ways to use the cores:
//  - over trials: each worker thread runs whole trials, sequentially, on its own epoch-stamped
//    scratch (run_ic_trial / run_lt_trial), so a trial costs O(what it touches), not O(n);
//  - inside a trial: trials run one after another, each parallel (run_ic / run_lt).
// kAuto picks "inside" when there are fewer than 2 trials per thread (too few to balance the
// threads). Otherwise, for IC, the first 8 trials run inside and decide: if they examined at
// least n/4 arcs each on average (large cascades: the O(n) setup is amortized and
// direction-optimization pays) the rest run inside too, else over trials; LT runs over trials. All
// give the same per-trial results.
//
// Determinism: per-trial spreads are stored by trial index and reduced in trial order; per-step
// counts and arc counts are summed as integers (order-free). The early stop is checked after
// fixed-size batches of trials in order. So every number in an Estimate except the timings is
// bit-identical for any thread count and either parallel mode.
//
// Processes: with McOptions::communicator (cascade/distributed.hpp) every batch is split into
// contiguous blocks of trial ids, one per rank; each rank runs its block and the blocks are
// all-gathered in rank (= trial) order before the same reduction, so every rank returns the same
// Estimate, bit-identical to one process's (timings aside).
//
// Engines: estimate_with() is the driver (batching, stopping, reduction) over any TrialRunner;
// estimate_spread() picks one of the library's engines and runs it behind that driver
// (McOptions::engine, resolve_engine()):
//   fused  IC: run_ic_fused (fused_ic.hpp), 64-512 trials per pass over the arcs. kAuto picks
//          it for IC with >= 128 trials (enough to fill 64-lane batches) unless parallelism is
//          kInsideTrial; it is several times faster than one trial at a time there.
//   trial  IC and LT: the one-trial kernels, over trials or inside a trial (McParallelism).
//   timed  Model::kTimed: one timed_cascade() per trial (parallel delta-stepping inside the
//          trial); the curve is over hours (curve_step_hours bins). The only timed engine.
// Every engine gives a trial the same result (the same coins, seeds and kernel semantics), so the
// Estimate does not depend on the engine, timings and Estimate::parallelism aside.
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "cascade/distributed.hpp"
#include "cascade/graph.hpp"
#include "cascade/ic.hpp"
#include "cascade/lt.hpp"
#include "cascade/statistics.hpp"  // Interval, kZ95, wilson_interval
#include "cascade/timed.hpp"

namespace cascade {

/// kTimed: IC whose live arcs carry delays (timed.hpp); coins and seeds from McOptions::ic.
enum class Model { kIc, kLt, kTimed };

/// Which engine estimate_spread runs (see the header comment; results are the same).
enum class McEngine {
  kAuto,   ///< fused for IC with >= 128 trials (not kInsideTrial), else trial; timed for kTimed
  kFused,  ///< IC only: many trials per pass (run_ic_fused)
  kTrial,  ///< one trial at a time (IC / LT kernels; for kTimed, the timed kernel)
};

/// Progress of an estimate: `done` of `total` trials of this process (with a communicator, of
/// this rank's share; total is the maximum when an early stop may end sooner). Called on the
/// calling thread between blocks of trials; it may throw to abort the estimate (the exception
/// leaves estimate_spread / estimate_with), but not under a communicator of several ranks.
using McProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Seeds of one trial (called from worker threads, so it must be thread-safe and pure, e.g.
/// [&](std::uint64_t r) { return random_seeds(g, k, master, r); }).
using TrialSeedsFn = std::function<std::vector<Vertex>(std::uint64_t trial)>;

/// Which vertices start a trial.
struct SeedSpec {
  enum class Kind {
    kExplicit,   ///< the list `ids`, in every trial
    kRandom,     ///< k distinct uniform vertices, drawn per trial (random_seeds of the trial)
    kTopDegree,  ///< the k largest out-degrees (ties to the lower id), in every trial
  };
  Kind kind = Kind::kExplicit;
  std::vector<Vertex> ids;
  std::uint64_t k = 1;

  static SeedSpec list(std::vector<Vertex> ids) { return {Kind::kExplicit, std::move(ids), 0}; }
  static SeedSpec random(std::uint64_t k) { return {Kind::kRandom, {}, k}; }
  static SeedSpec top_degree(std::uint64_t k) { return {Kind::kTopDegree, {}, k}; }
};

enum class McParallelism {
  kAuto,         ///< inside when trials < 2 * threads; else IC: decided by 8 probe trials, LT: over
  kOverTrials,   ///< parallel over trials, each trial sequential
  kInsideTrial,  ///< trials in sequence, each parallel inside
};

struct McOptions {
  Model model = Model::kIc;
  /// The one seed of the run: arc coins, LT thresholds and random seed sets all derive from it.
  std::uint64_t master_seed = 0;
  IcParams ic;  ///< models kIc, kTimed: probability model, traversal direction
  LtParams lt;  ///< model kLt: weights or 1/in-degree
  SeedSpec seeds = SeedSpec::random(1);
  /// Trials to run: trial ids first_trial .. first_trial + trials - 1 (with an early stop, the
  /// maximum).
  std::uint64_t trials = 1000;
  std::uint64_t first_trial = 0;
  McParallelism parallelism = McParallelism::kAuto;
  /// > 0: stop after the first batch at which the 95% CI half-width (kZ95 * standard error) is
  /// <= this many vertices. 0: run all trials.
  double target_ci_half_width = 0.0;
  /// Trials per batch between stopping checks. Fixed, so the stopping point does not depend on
  /// the thread count.
  std::uint64_t batch_trials = 1000;
  /// Quantiles of the spread to report, each in [0, 1].
  std::vector<double> quantiles = {0.05, 0.25, 0.5, 0.75, 0.95};
  /// null: this process runs every trial. Else a collective call on every rank of the group:
  /// each runs its share of every batch (rank_trials) and all return the same Estimate.
  const Communicator* communicator = nullptr;
  /// The engine; kAuto: the fastest that applies (resolve_engine). InvalidArgument for kFused
  /// with a model other than kIc.
  McEngine engine = McEngine::kAuto;
  /// Fused engine: trials per pass, 64, 128, 256 or 512; 0 picks from the trial count.
  unsigned fused_lanes = 0;
  /// Model kTimed: delay distribution (hours), horizon, delta-stepping bucket width.
  TimedOptions timed;
  /// Model kTimed: width of a curve bin in hours (curve[s] = mean reached by s bins), > 0.
  double curve_step_hours = 1.0;
  /// Called between blocks of trials (null: no calls, one block per batch). The blocks do not
  /// change any result, only how often the caller hears.
  McProgress progress;
  /// Trials per progress block; 0 picks per engine (about 1/50 of the trials, and at least
  /// enough to keep every thread busy: fused 128 per thread, up to 512 per thread when that
  /// still gives 8 reports; trial 4 per thread; timed 1, whose trials are parallel inside).
  std::uint64_t progress_trials = 0;
};

/// What a Monte Carlo run found. All but the timings are deterministic.
struct Estimate {
  std::uint64_t trials = 0;     ///< trials run
  double mean = 0.0;            ///< mean spread (activated vertices, seeds included)
  double stddev = 0.0;          ///< sample standard deviation of the spread (0 for one trial)
  double standard_error = 0.0;  ///< stddev / sqrt(trials)
  Interval ci95;                ///< normal_ci95: mean -/+ kZ95 standard errors
  /// (q, value) per requested quantile: linear interpolation between order statistics
  /// (Hyndman-Fan type 7, numpy's default).
  std::vector<std::pair<double, double>> quantiles;
  /// curve[s] = mean number of vertices active by step s (cumulative; a trial that ended earlier
  /// counts its final spread). curve.back() == mean.
  std::vector<double> curve;
  std::vector<std::uint64_t> spreads;  ///< per trial, in trial order (histogram material)
  std::uint64_t arcs_examined = 0;     ///< total over trials (see Cascade::arcs_examined)
  bool stopped_early = false;          ///< the CI target was met before options.trials
  McParallelism parallelism = McParallelism::kAuto;  ///< the mode used (never kAuto)
  McEngine engine = McEngine::kAuto;                 ///< estimate_spread: the engine used
  double seconds = 0.0;                              ///< wall time of the whole estimate
  double seconds_per_trial_median = 0.0;             ///< median wall time of one trial
};

/// Results of consecutive trials first .. first + spreads.size() - 1, as a TrialRunner fills them.
struct TrialBlock {
  std::vector<std::uint64_t> spreads;       ///< per trial, in trial order
  std::vector<std::uint64_t> per_step_sum;  ///< per step: activations summed over the trials
  std::uint64_t arcs_examined = 0;          ///< summed over the trials
  std::vector<double> seconds;              ///< per trial wall time (may be block time / count)
};

/// Simulates trials first .. first + count - 1 into `out` (cleared by the caller). A trial's
/// result must depend only on its id, not on the block it runs in.
using TrialRunner = std::function<void(std::uint64_t first, std::uint64_t count, TrialBlock& out)>;

/// Monte Carlo estimate of the spread of options.model on g with the engine of
/// resolve_engine(options). Throws InvalidArgument for bad options (no trials, no seeds, a
/// quantile outside [0, 1], an engine that does not apply, ...). Work: trials x one cascade
/// (the fused engine shares each pass over the arcs among 64-512 trials).
Estimate estimate_spread(const Graph& g, const McOptions& options);

/// The engine estimate_spread runs for these options: options.engine unless kAuto; kAuto is
/// kFused for kIc with trials >= 128 and parallelism != kInsideTrial, else kTrial.
McEngine resolve_engine(const McOptions& options);

/// The driver behind estimate_spread with any engine: runs batches of options.batch_trials
/// through `run` (one call per batch, or one call for all trials without a CI target), stops
/// early per options, and reduces. Uses options' trials, first_trial, target, batch, quantiles,
/// communicator (then `run` sees only this rank's block of each batch); `parallelism` is
/// recorded as given.
Estimate estimate_with(const McOptions& options, const TrialRunner& run);

/// The timed model as an engine for estimate_with(): one timed_cascade() per trial from
/// seeds_of(trial), coins `live`; spread = vertices reached within the horizon, curve bin s =
/// vertices reached in ((s-1) step, s step] hours (step = curve_step_hours > 0), arcs = the
/// out-degrees of the vertices that joined. g and live must outlive the runner.
TrialRunner timed_cascade_runner(const Graph& g, const LiveArcs& live, TrialSeedsFn seeds_of,
                                 const TimedOptions& options, double curve_step_hours);

/// The static part of kAuto's choice for this many trials with the current thread limit:
/// kInsideTrial or kOverTrials (estimate_spread then lets the first IC trial decide).
McParallelism resolve_parallelism(McParallelism requested, std::uint64_t trials);

}  // namespace cascade
