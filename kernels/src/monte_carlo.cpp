// Monte Carlo estimator: the driver (batches, early stop, in-order reduction) and the built-in
// engine that runs one-trial kernels over trials or inside trials.
#include "cascade/monte_carlo.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "byte_io.hpp"
#include "cascade/error.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/seeds.hpp"

namespace cascade {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kZ95 = 1.959963984540054;  // two-sided 95% normal quantile

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
      : g_(g),
        o_(o),
        mode_(mode),
        seeds_(g, o.seeds, o.model == Model::kIc ? o.ic.master_seed : o.lt.master_seed) {
    if (o.model == Model::kIc)
      coins_.emplace(g, o.ic.probability, o.ic.master_seed);
    else
      lt_.emplace(g, o.lt);
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

// Runs trials first .. first + count - 1 into `out`: all of them here, or with a communicator of
// several ranks this rank's block, then every rank's block gathered in rank order, which is
// trial order. Timings travel too (the median is over all trials).
void run_batch(const McOptions& o, const TrialRunner& run, std::uint64_t first, std::uint64_t count,
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
  // Welford's running mean / M2, updated in trial order, for the stopping rule.
  double run_mean = 0.0, run_m2 = 0.0;
  const bool stopping = o.target_ci_half_width > 0.0;
  while (e.trials < o.trials) {
    const std::uint64_t count =
        stopping ? std::min(o.batch_trials, o.trials - e.trials) : o.trials - e.trials;
    block = TrialBlock{};
    run_batch(o, run, o.first_trial + e.trials, count, block);
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
  e.stddev = e.trials > 1 ? std::sqrt(m2 / (t - 1.0)) : 0.0;
  e.standard_error = e.stddev / std::sqrt(t);
  e.ci95 = {e.mean - kZ95 * e.standard_error, e.mean + kZ95 * e.standard_error};

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

Estimate estimate_spread(const Graph& g, const McOptions& options) {
  check_options(options);
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

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials) {
  if (trials == 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = kZ95 * kZ95;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // The ends are exact where they meet 0 or 1 (rounding would leave 1 - 1e-16).
  return {successes == 0 ? 0.0 : std::max(0.0, centre - half),
          successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

}  // namespace cascade
