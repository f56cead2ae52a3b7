// Monte Carlo estimator: the driver (batches, progress blocks, early stop, in-order reduction),
// the one-trial engine (one-trial kernels over trials or inside trials) and estimate_spread's
// choice among the engines (one-trial, fused_ic.cpp, timed_runner.cpp).
#include "cascade/monte_carlo.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "cascade/error.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/seeds.hpp"
#include "distributed/byte_io.hpp"

namespace cascade {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void check_options(const McOptions& o) {
  if (o.trials == 0) throw InvalidArgument("Monte Carlo needs at least 1 trial");
  if (o.batch_trials == 0) throw InvalidArgument("Monte Carlo batch_trials must be >= 1");
  if (!(o.target_ci_half_width >= 0.0) || !std::isfinite(o.target_ci_half_width))
    throw InvalidArgument("target CI half-width " + std::to_string(o.target_ci_half_width) +
                          " is not a finite number >= 0");
  for (double q : o.quantiles)
    if (!(q >= 0.0 && q <= 1.0))
      throw InvalidArgument("quantile " + std::to_string(q) + " is not in [0, 1]");
  if (o.model == Model::kTimed && !(o.curve_step_hours > 0.0 && std::isfinite(o.curve_step_hours)))
    throw InvalidArgument("curve step " + std::to_string(o.curve_step_hours) +
                          " hours is not a finite number > 0");
}

// Type-7 quantile of sorted values.
double quantile(const std::vector<std::uint64_t>& sorted, double q) {
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double a = static_cast<double>(sorted[lo]), b = static_cast<double>(sorted[hi]);
  return a + (h - static_cast<double>(lo)) * (b - a);
}

// Seeds of a trial: fixed for explicit / top-degree, drawn per trial for random.
class SeedSource {
 public:
  SeedSource(const Graph& g, const SeedSpec& spec, std::uint64_t master)
      : g_(g), spec_(spec), master_(master) {
    switch (spec.kind) {
      case SeedSpec::Kind::kExplicit:
        fixed_ = explicit_seeds(g, spec.ids);
        if (fixed_.empty()) throw InvalidArgument("the seed list is empty");
        break;
      case SeedSpec::Kind::kTopDegree:
        if (spec.k == 0) throw InvalidArgument("number of seeds must be >= 1");
        fixed_ = top_degree_seeds(g, spec.k);
        break;
      case SeedSpec::Kind::kRandom:
        if (spec.k == 0) throw InvalidArgument("number of seeds must be >= 1");
        if (spec.k > g.num_vertices())
          throw InvalidArgument("cannot pick " + std::to_string(spec.k) + " seeds from " +
                                std::to_string(g.num_vertices()) + " vertices");
        break;
    }
  }
  /// The seeds of `trial`; `buffer` holds them when they are drawn.
  std::span<const Vertex> of(std::uint64_t trial, std::vector<Vertex>& buffer) const {
    if (spec_.kind != SeedSpec::Kind::kRandom) return fixed_;
    buffer = random_seeds(g_, spec_.k, master_, trial);
    return buffer;
  }
  /// Drawn anew per trial (random), or the same set in every trial (fixed()).
  bool per_trial() const { return spec_.kind == SeedSpec::Kind::kRandom; }
  const std::vector<Vertex>& fixed() const { return fixed_; }
  /// of() as a function of the trial, for the engines that take one. Keeps a reference to this.
  TrialSeedsFn function() const {
    return [this](std::uint64_t trial) {
      std::vector<Vertex> buffer;
      const auto seeds = of(trial, buffer);
      return per_trial() ? buffer : std::vector<Vertex>(seeds.begin(), seeds.end());
    };
  }

 private:
  const Graph& g_;
  const SeedSpec& spec_;
  std::uint64_t master_;
  std::vector<Vertex> fixed_;
};

void add_per_step(std::vector<std::uint64_t>& sum, const std::vector<std::uint64_t>& per_step) {
  if (sum.size() < per_step.size()) sum.resize(per_step.size(), 0);
  for (std::size_t s = 0; s < per_step.size(); ++s) sum[s] += per_step[s];
}

// The built-in engine: one-trial kernels, over trials or inside trials.
class BuiltinRunner {
 public:
  BuiltinRunner(const Graph& g, const McOptions& o, McParallelism mode)
      : g_(g), o_(o), mode_(mode), seeds_(g, o.seeds, o.master_seed) {
    if (o.model == Model::kIc)
      coins_.emplace(g, o.ic.probability, o.master_seed);
    else
      lt_.emplace(g, o.lt, o.master_seed);
  }

  void operator()(std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    out.spreads.assign(count, 0);
    out.seconds.assign(count, 0.0);
    if (count == 0) return;
    if (mode_ == McParallelism::kAuto) {  // IC: the first trials decide, see choose_mode()
      const std::uint64_t probes = std::min(count, kProbeTrials);
      inside(first, probes, out);
      mode_ = choose_mode(out.arcs_examined, probes);
      if (count == probes) return;
      TrialBlock rest;
      (*this)(first + probes, count - probes, rest);
      std::copy(rest.spreads.begin(), rest.spreads.end(), out.spreads.begin() + probes);
      std::copy(rest.seconds.begin(), rest.seconds.end(), out.seconds.begin() + probes);
      add_per_step(out.per_step_sum, rest.per_step_sum);
      out.arcs_examined += rest.arcs_examined;
    } else if (mode_ == McParallelism::kInsideTrial) {
      inside(first, count, out);
    } else {
      over(first, count, out);
    }
  }

  /// The mode used so far (kAuto until the probe trials have run).
  McParallelism mode() const { return mode_; }

 private:
  struct Worker {
    TrialScratch scratch;
    TrialCounts counts;
    std::vector<Vertex> seed_buffer;
    std::vector<std::uint64_t> per_step_sum;
    std::uint64_t arcs = 0;
  };

  void over(std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    for (auto& w : workers_) {
      w.per_step_sum.clear();
      w.arcs = 0;
    }
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, count, 1),
                      [&](const tbb::blocked_range<std::uint64_t>& r) {
                        Worker& w = workers_.local();
                        for (std::uint64_t i = r.begin(); i < r.end(); ++i) {
                          const auto start = Clock::now();
                          const std::uint64_t trial = first + i;
                          const auto seeds = seeds_.of(trial, w.seed_buffer);
                          if (coins_)
                            run_ic_trial(g_, *coins_, seeds, trial, w.scratch, w.counts);
                          else
                            run_lt_trial(g_, *lt_, seeds, trial, w.scratch, w.counts);
                          out.spreads[i] = w.counts.spread;
                          add_per_step(w.per_step_sum, w.counts.per_step);
                          w.arcs += w.counts.arcs_examined;
                          out.seconds[i] = seconds_since(start);
                        }
                      });
    for (const auto& w : workers_) {  // integer sums: the order of the workers does not matter
      add_per_step(out.per_step_sum, w.per_step_sum);
      out.arcs_examined += w.arcs;
    }
  }

  void inside(std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    std::vector<Vertex> seed_buffer;
    for (std::uint64_t i = 0; i < count; ++i) {
      const auto start = Clock::now();
      const std::uint64_t trial = first + i;
      const auto seeds = seeds_.of(trial, seed_buffer);
      if (coins_)
        run_ic(g_, *coins_, seeds, o_.ic, trial, ic_scratch_, cascade_);
      else
        run_lt(g_, *lt_, seeds, trial, lt_scratch_, cascade_);
      out.spreads[i] = cascade_.spread();
      add_per_step(out.per_step_sum, cascade_.per_step);
      out.arcs_examined += cascade_.arcs_examined;
      out.seconds[i] = seconds_since(start);
    }
  }

  // IC cascades that examine at least n/4 arcs each on average amortize the O(n) setup of a
  // parallel trial, and direction-optimization then saves most of their arcs (p = 1 on R-MAT
  // 2^22: 0.12 s per trial inside vs 0.6 s over trials); smaller ones are cheaper one per
  // thread. Several probe trials, because with random seeds one may miss the giant component.
  static constexpr std::uint64_t kProbeTrials = 8;
  McParallelism choose_mode(std::uint64_t probe_arcs, std::uint64_t probes) const {
    return probe_arcs >= probes * (g_.num_vertices() / 4) ? McParallelism::kInsideTrial
                                                          : McParallelism::kOverTrials;
  }

  const Graph& g_;
  const McOptions& o_;
  McParallelism mode_;
  SeedSource seeds_;
  std::optional<LiveArcs> coins_;
  std::optional<LtModel> lt_;
  tbb::enumerable_thread_specific<Worker> workers_;  // over trials: scratch lives across batches
  IcScratch ic_scratch_;                             // inside a trial
  LtScratch lt_scratch_;
  Cascade cascade_;
};

void append(TrialBlock& out, TrialBlock&& part) {
  if (out.spreads.empty()) {
    out = std::move(part);
    return;
  }
  out.spreads.insert(out.spreads.end(), part.spreads.begin(), part.spreads.end());
  add_per_step(out.per_step_sum, part.per_step_sum);  // integers: exact in any order
  out.arcs_examined += part.arcs_examined;
  out.seconds.insert(out.seconds.end(), part.seconds.begin(), part.seconds.end());
}

// Trials this process runs when nothing stops early: its share of every batch.
std::uint64_t planned_trials(const McOptions& o) {
  const Communicator* comm = o.communicator;
  if (comm == nullptr || comm->size() == 1) return o.trials;
  const std::uint64_t batch = o.target_ci_half_width > 0 ? o.batch_trials : o.trials;
  std::uint64_t mine = 0;
  for (std::uint64_t done = 0; done < o.trials; done += batch)
    mine += rank_trials(std::min(batch, o.trials - done), comm->rank(), comm->size()).size();
  return mine;
}

// Runs this process's trials through the runner: in one call, or with a progress hook in blocks
// of progress_trials, calling the hook after each. A trial's result depends on its id alone, so
// the blocks change nothing but the timings.
class LocalRunner {
 public:
  LocalRunner(const McOptions& o, const TrialRunner& run)
      : o_(o), run_(run), total_(o.progress ? planned_trials(o) : 0) {
    block_ =
        o.progress_trials > 0
            ? o.progress_trials
            : std::max<std::uint64_t>(4 * std::max<std::size_t>(1, max_threads()), o.trials / 50);
  }

  void operator()(std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    if (!o_.progress) {
      run_(first, count, out);
      return;
    }
    for (std::uint64_t done = 0; done < count;) {
      const std::uint64_t k = std::min(block_, count - done);
      TrialBlock part;
      run_(first + done, k, part);
      append(out, std::move(part));
      done += k;
      done_ += k;
      o_.progress(done_, total_);
    }
  }

 private:
  const McOptions& o_;
  const TrialRunner& run_;
  std::uint64_t total_;
  std::uint64_t block_ = 1;
  std::uint64_t done_ = 0;
};

// Runs trials first .. first + count - 1 into `out`: all of them here, or with a communicator of
// several ranks this rank's block, then every rank's block gathered in rank order, which is
// trial order. Timings travel too (the median is over all trials).
void run_batch(const McOptions& o, LocalRunner& run, std::uint64_t first, std::uint64_t count,
               TrialBlock& out) {
  const Communicator* comm = o.communicator;
  if (comm == nullptr || comm->size() == 1) {
    run(first, count, out);
  } else {
    const TrialRange mine = rank_trials(count, comm->rank(), comm->size());
    TrialBlock local;
    if (mine.size() > 0) run(first + mine.begin, mine.size(), local);
    detail::ByteWriter w;
    w.put_vector(local.spreads);
    w.put_vector(local.per_step_sum);
    w.put(local.arcs_examined);
    w.put_vector(local.seconds);
    for (const auto& part : comm->gather(w.bytes(), /*to_all=*/true)) {
      detail::ByteReader r(part);
      const auto spreads = r.get_vector<std::uint64_t>();
      const auto per_step = r.get_vector<std::uint64_t>();
      const auto arcs = r.get<std::uint64_t>();
      const auto seconds = r.get_vector<double>();
      out.spreads.insert(out.spreads.end(), spreads.begin(), spreads.end());
      add_per_step(out.per_step_sum, per_step);  // integers: exact in any order
      out.arcs_examined += arcs;
      out.seconds.insert(out.seconds.end(), seconds.begin(), seconds.end());
    }
  }
  // Checked after the gather, so every rank sees the same count and fails alike.
  if (out.spreads.size() != count)
    throw InvalidArgument("trial runner returned " + std::to_string(out.spreads.size()) +
                          " results for " + std::to_string(count) + " trials");
}

// Trials per progress block of each engine: about 1/50 of the run, and at least enough to keep
// every thread busy (fused: its widest batches; one-trial: a few trials each; timed: one trial,
// which is parallel inside). A fused run of fewer than 4096 trials per thread still reports at
// least 8 times (blocks of whole 64-lane passes): a bar that jumps from 0 to 100% tells nothing.
std::uint64_t progress_block(McEngine engine, const McOptions& o) {
  const std::uint64_t threads = std::max<std::size_t>(1, max_threads());
  const std::uint64_t fiftieth = o.trials / 50;
  if (o.model == Model::kTimed) return std::max<std::uint64_t>(1, fiftieth);
  if (engine == McEngine::kFused) {
    const std::uint64_t eighth = (o.trials / 8 + 63) / 64 * 64;
    return std::max<std::uint64_t>({std::min<std::uint64_t>(512 * threads, eighth), fiftieth, 64});
  }
  return std::max<std::uint64_t>(4 * threads, fiftieth);
}

}  // namespace

McParallelism resolve_parallelism(McParallelism requested, std::uint64_t trials) {
  if (requested != McParallelism::kAuto) return requested;
  const std::size_t threads = max_threads();
  return threads > 1 && trials < 2 * threads ? McParallelism::kInsideTrial
                                             : McParallelism::kOverTrials;
}

Estimate estimate_with(const McOptions& o, const TrialRunner& run) {
  check_options(o);
  const auto start = Clock::now();
  Estimate e;
  e.parallelism = o.parallelism;
  std::vector<std::uint64_t> per_step_sum;
  std::vector<double> seconds;
  TrialBlock block;
  LocalRunner local(o, run);
  // Welford's running mean / M2, updated in trial order, for the stopping rule.
  double run_mean = 0.0, run_m2 = 0.0;
  const bool stopping = o.target_ci_half_width > 0.0;
  while (e.trials < o.trials) {
    const std::uint64_t count =
        stopping ? std::min(o.batch_trials, o.trials - e.trials) : o.trials - e.trials;
    block = TrialBlock{};
    run_batch(o, local, o.first_trial + e.trials, count, block);
    e.spreads.insert(e.spreads.end(), block.spreads.begin(), block.spreads.end());
    seconds.insert(seconds.end(), block.seconds.begin(), block.seconds.end());
    add_per_step(per_step_sum, block.per_step_sum);
    e.arcs_examined += block.arcs_examined;
    for (std::uint64_t x : block.spreads) {
      ++e.trials;
      const double d = static_cast<double>(x) - run_mean;
      run_mean += d / static_cast<double>(e.trials);
      run_m2 += d * (static_cast<double>(x) - run_mean);
    }
    if (stopping && e.trials >= 2 && e.trials < o.trials) {
      const double se =
          std::sqrt(run_m2 / static_cast<double>(e.trials - 1) / static_cast<double>(e.trials));
      if (kZ95 * se <= o.target_ci_half_width) {
        e.stopped_early = true;
        break;
      }
    }
  }

  // Final statistics, reduced in trial order: exact integer sum for the mean, then two-pass.
  const auto t = static_cast<double>(e.trials);
  rng::Uint128 total = 0;
  for (std::uint64_t x : e.spreads) total += x;
  e.mean = static_cast<double>(total) / t;
  double m2 = 0.0;
  for (std::uint64_t x : e.spreads) {
    const double d = static_cast<double>(x) - e.mean;
    m2 += d * d;
  }
  const Spread spread = spread_of(m2, t);
  e.stddev = spread.stddev;
  e.standard_error = spread.standard_error;
  e.ci95 = normal_ci95(e.mean, e.standard_error);

  std::vector<std::uint64_t> sorted = e.spreads;
  std::sort(sorted.begin(), sorted.end());
  for (double q : o.quantiles) e.quantiles.emplace_back(q, quantile(sorted, q));

  rng::Uint128 cumulative = 0;
  for (std::uint64_t s : per_step_sum) {
    cumulative += s;
    e.curve.push_back(static_cast<double>(cumulative) / t);
  }
  if (!seconds.empty()) {
    auto mid = seconds.begin() + static_cast<std::ptrdiff_t>(seconds.size() / 2);
    std::nth_element(seconds.begin(), mid, seconds.end());
    e.seconds_per_trial_median = *mid;
  }
  e.seconds = seconds_since(start);
  return e;
}

McEngine resolve_engine(const McOptions& o) {
  if (o.engine == McEngine::kFused && o.model != Model::kIc)
    throw InvalidArgument("the fused engine runs the IC model only");
  if (o.engine != McEngine::kAuto) return o.engine;
  // Fused batches pay off once there are enough trials to fill 64-lane batches.
  return o.model == Model::kIc && o.trials >= 128 && o.parallelism != McParallelism::kInsideTrial
             ? McEngine::kFused
             : McEngine::kTrial;
}

namespace {

Estimate estimate_one_trial(const Graph& g, const McOptions& options) {
  // With several ranks, this rank runs about its share of the trials: pick the mode for that.
  const std::uint64_t ranks = options.communicator ? options.communicator->size() : 1;
  McParallelism mode =
      resolve_parallelism(options.parallelism, (options.trials + ranks - 1) / ranks);
  // Enough trials to run one per thread: for IC, the probe trials' sizes decide (the runner
  // resolves kAuto); LT has no direction-optimizing kernel, so over trials it stays.
  if (options.parallelism == McParallelism::kAuto && options.model == Model::kIc &&
      mode == McParallelism::kOverTrials)
    mode = McParallelism::kAuto;
  BuiltinRunner runner(g, options, mode);
  Estimate e = estimate_with(options, [&runner](std::uint64_t first, std::uint64_t count,
                                                TrialBlock& out) { runner(first, count, out); });
  e.parallelism =
      runner.mode() == McParallelism::kAuto ? McParallelism::kOverTrials : runner.mode();
  return e;
}

// Batches of trials run in parallel, each sequential: recorded as over trials.
Estimate estimate_fused(const Graph& g, const McOptions& options) {
  const LiveArcs coins(g, options.ic.probability, options.master_seed);
  const SeedSource seeds(g, options.seeds, options.master_seed);
  FusedIcOptions fused;
  fused.lanes = options.fused_lanes;
  const TrialRunner run = seeds.per_trial() ? fused_ic_runner(g, coins, seeds.function(), fused)
                                            : fused_ic_runner(g, coins, seeds.fixed(), fused);
  Estimate e = estimate_with(options, run);
  e.parallelism = McParallelism::kOverTrials;
  return e;
}

// Trials in sequence, each parallel inside (delta-stepping).
Estimate estimate_timed(const Graph& g, const McOptions& options) {
  options.timed.delay.validate();
  const LiveArcs coins(g, options.ic.probability, options.master_seed);
  const SeedSource seeds(g, options.seeds, options.master_seed);
  Estimate e = estimate_with(
      options,
      timed_cascade_runner(g, coins, seeds.function(), options.timed, options.curve_step_hours));
  e.parallelism = McParallelism::kInsideTrial;
  return e;
}

}  // namespace

Estimate estimate_spread(const Graph& g, const McOptions& options) {
  check_options(options);
  const McEngine engine = resolve_engine(options);
  McOptions o = options;
  if (o.progress && o.progress_trials == 0) o.progress_trials = progress_block(engine, o);
  Estimate e = o.model == Model::kTimed     ? estimate_timed(g, o)
               : engine == McEngine::kFused ? estimate_fused(g, o)
                                            : estimate_one_trial(g, o);
  e.engine = engine;
  return e;
}

}  // namespace cascade
