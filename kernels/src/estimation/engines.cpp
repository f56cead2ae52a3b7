// The Monte Carlo engines (engines.hpp): seed sources, the one-trial engine, and the fused and
// timed engines as TrialRunners for the driver (monte_carlo.cpp).
#include "estimation/engines.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <optional>
#include <string>

#include "cascade/error.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/seeds.hpp"

namespace cascade::detail {
namespace {

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

}  // namespace

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

}  // namespace cascade::detail
